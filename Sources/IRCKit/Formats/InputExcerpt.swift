/// Input echoed in an error message, cut to a readable length: a 5 MB key must not flood
/// the terminal, and a control character (an escape sequence, a line break) written in a
/// file as `\u001b` must not act on it.
public enum InputExcerpt {
  /// Longer input is cut to this many characters: a name or a value stays whole, and a
  /// message with one excerpt still fits a terminal line or two.
  public static let maximumLength = 60

  /// `text` if it has at most `maximumLength` characters (Unicode scalars), else its first
  /// `maximumLength`, "…" and the total: `kkkk…kkk… (5000000 characters)`. Control
  /// characters are shown as `\u{1B}`.
  public static func cut(_ text: String) -> String {
    var result = ""
    var count = 0
    for scalar in text.unicodeScalars {
      count += 1
      guard count <= maximumLength else { continue }
      if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
        result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
    return count <= maximumLength ? result : result + "… (\(count) characters)"
  }

  /// `cut(text)` in double quotes.
  public static func quoted(_ text: String) -> String { "\"\(cut(text))\"" }

  /// `items` joined by ", ", each cut, as many as fit in `maximumLength` characters, then
  /// "… (N in all)": `x0, x1, x2, … (10000 in all)`.
  public static func list(_ items: [String]) -> String {
    var shown: [String] = []
    var length = 0
    for item in items {
      let piece = cut(item)
      guard shown.isEmpty || length + 2 + piece.unicodeScalars.count <= maximumLength else {
        return shown.joined(separator: ", ") + ", … (\(items.count) in all)"
      }
      shown.append(piece)
      length += (shown.count > 1 ? 2 : 0) + piece.unicodeScalars.count
    }
    return shown.joined(separator: ", ")
  }
}
