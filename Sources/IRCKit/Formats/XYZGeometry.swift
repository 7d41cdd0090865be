/// The first frame of an XYZ file (plain or extended): a molecular start.
///
/// Format: a count line (the bare atom count), a comment line (free text, or extended-XYZ
/// `key=value` pairs, which are not needed here), then one line per atom,
/// `Symbol x y z`, with any further columns (forces, …) ignored.
public struct XYZGeometry: Sendable, Equatable {
  /// Element symbols, capitalised (`cl` and `CL` read as `Cl`).
  public var symbols: [String]
  /// x1, y1, z1, x2, … in the file's unit (Å by convention).
  public var coordinates: Vector
  /// The file the geometry came from, for errors.
  public var file: String

  /// Reads the first frame of `text`; `file` names it in errors.
  public init(parsing text: String, file: String) throws(XYZError) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    guard let first = lines.firstIndex(where: { !$0.trimmingWhitespace.isEmpty }) else {
      throw .empty(file: file)
    }
    let countText = lines[first].trimmingWhitespace
    guard let count = Int(countText), count >= 1 else {
      throw .badCount(file: file, line: first + 1, found: countText)
    }
    var symbols: [String] = []
    var coordinates: [Double] = []
    for atom in 0..<count {
      let index = first + 2 + atom
      guard index < lines.count, !lines[index].trimmingWhitespace.isEmpty else {
        throw .missingAtoms(
          file: file, line: min(index, lines.count) + 1, expected: count, found: atom)
      }
      let fields = lines[index].split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard fields.count >= 4 else {
        throw .badAtomLine(file: file, line: index + 1, reason: "expected 'Symbol x y z'")
      }
      let symbol = Self.capitalised(String(fields[0]))
      guard Elements.symbols.contains(symbol) || symbol == "D" || symbol == "T" else {
        throw .badAtomLine(
          file: file, line: index + 1, reason: "\"\(fields[0])\" is not an element symbol")
      }
      for field in fields[1...3] {
        guard let value = Double(field), value.isFinite else {
          throw .badAtomLine(
            file: file, line: index + 1, reason: "\"\(field)\" is not a finite number")
        }
        coordinates.append(value)
      }
      symbols.append(symbol)
    }
    self.symbols = symbols
    self.coordinates = Vector(coordinates)
    self.file = file
  }

  static func capitalised(_ symbol: String) -> String {
    guard let head = symbol.first else { return symbol }
    return head.uppercased() + symbol.dropFirst().lowercased()
  }

  /// Checks that these atoms are the surface's, atom by atom (an isotope matches its
  /// element). The first line of atom k is line k + 2 of the frame.
  public func check(against molecule: Molecule) throws(XYZError) {
    guard symbols.count == molecule.atomCount else {
      throw .wrongAtomCount(file: file, expected: molecule.atomCount, found: symbols.count)
    }
    for (index, (mine, theirs)) in zip(symbols, molecule.symbols).enumerated()
    where !Molecule.sameElement(mine, theirs) {
      throw .wrongSymbol(
        file: file, line: index + 3, atom: index + 1, expected: theirs, found: mine)
    }
  }
}

extension String {
  fileprivate var trimmingWhitespace: String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text = text.dropFirst() }
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    return String(text)
  }
}

/// Why an XYZ start could not be used; every case names the file and, where there is one,
/// the line.
public enum XYZError: Error, Equatable, CustomStringConvertible {
  case empty(file: String)
  case badCount(file: String, line: Int, found: String)
  case missingAtoms(file: String, line: Int, expected: Int, found: Int)
  case badAtomLine(file: String, line: Int, reason: String)
  case wrongAtomCount(file: String, expected: Int, found: Int)
  case wrongSymbol(file: String, line: Int, atom: Int, expected: String, found: String)

  public var description: String {
    switch self {
    case .empty(let file):
      return "\(file): empty; an XYZ file starts with the atom count"
    case .badCount(let file, let line, let found):
      return "\(file): line \(line): expected the atom count (a positive whole number), "
        + "found \"\(found)\""
    case .missingAtoms(let file, let line, let expected, let found):
      return "\(file): line \(line): the count line promises \(expected) atoms, the frame has "
        + "\(found)"
    case .badAtomLine(let file, let line, let reason):
      return "\(file): line \(line): \(reason)"
    case .wrongAtomCount(let file, let expected, let found):
      return "\(file): line 1: \(found) atoms, but the surface has \(expected)"
    case .wrongSymbol(let file, let line, let atom, let expected, let found):
      return "\(file): line \(line): atom \(atom) is \(found), but the surface's atom \(atom) "
        + "is \(expected) (an isotope such as D matches its element)"
    }
  }
}
