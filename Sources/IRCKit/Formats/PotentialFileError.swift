/// Why a potential file could not be loaded. Every case names the file and, where there is
/// one, the path of the offending field (`parameters.terms[2].c`), and its description
/// says what was expected, so a user can fix the file from the message alone.
public enum PotentialFileError: Error, Equatable, CustomStringConvertible {
  /// The text is not JSON.
  case syntax(file: String, line: Int, column: Int, message: String)
  /// An object has a key the contract does not define (a misspelling is never ignored).
  case unknownKey(file: String, path: String, key: String, allowed: [String])
  /// A required field is absent.
  case missingField(file: String, path: String, expected: String)
  /// A field holds the wrong JSON type.
  case wrongType(file: String, path: String, expected: String, found: String)
  /// A number is infinite (JSON has no NaN, but 1e999 overflows).
  case nonFinite(file: String, path: String)
  /// An array has the wrong number of elements.
  case wrongLength(file: String, path: String, expected: Int, found: Int)
  /// `kind` names no known kind.
  case unknownKind(file: String, found: String, known: [String])
  /// `format` is not a supported version.
  case unsupportedFormat(file: String, found: String, supported: [String])
  /// A value of the right type but outside what it may be.
  case invalidValue(file: String, path: String, expected: String)
  /// The file, or one of its fields, is larger than `limit` allows (`found` in its unit).
  case tooLarge(file: String, path: String, limit: PotentialFileLimit, found: Int)

  public var file: String {
    switch self {
    case .syntax(let file, _, _, _), .unknownKey(let file, _, _, _),
      .missingField(let file, _, _), .wrongType(let file, _, _, _), .nonFinite(let file, _),
      .wrongLength(let file, _, _, _), .unknownKind(let file, _, _),
      .unsupportedFormat(let file, _, _), .invalidValue(let file, _, _),
      .tooLarge(let file, _, _, _):
      return file
    }
  }

  /// A field path as messages show it; the document itself is "the top level".
  private static func place(_ path: String) -> String { path.isEmpty ? "(top level)" : path }

  public var description: String {
    switch self {
    case .syntax(let file, let line, let column, let message):
      return "\(file): line \(line), column \(column): not valid JSON: \(message)"
    case .unknownKey(let file, let path, let key, let allowed):
      let place = path.isEmpty ? "at the top level" : "in \(path)"
      return "\(file): unknown key \(InputExcerpt.quoted(key)) \(place); allowed keys: "
        + allowed.joined(separator: ", ")
    case .missingField(let file, let path, let expected):
      return "\(file): \(Self.place(path)): missing; expected \(expected)"
    case .wrongType(let file, let path, let expected, let found):
      return "\(file): \(Self.place(path)): expected \(expected), found \(found)"
    case .nonFinite(let file, let path):
      return "\(file): \(Self.place(path)): the number is not finite; write a finite number"
    case .wrongLength(let file, let path, let expected, let found):
      return
        "\(file): \(Self.place(path)): expected \(expected) element\(expected == 1 ? "" : "s"), "
        + "found \(found)"
    case .unknownKind(let file, let found, let known):
      return "\(file): kind: unknown kind \(InputExcerpt.quoted(found)); known kinds: "
        + known.joined(separator: ", ")
    case .unsupportedFormat(let file, let found, let supported):
      return "\(file): format: unsupported format \(InputExcerpt.quoted(found)); supported: "
        + supported.joined(separator: ", ")
    case .invalidValue(let file, let path, let expected):
      return "\(file): \(Self.place(path)): expected \(expected)"
    case .tooLarge(let file, let path, let limit, let found):
      return "\(file): \(Self.place(path)): \(found) \(limit.unit), more than the limit of "
        + "\(limit.limit) (see \"Limits\" in README.md)"
    }
  }
}
