/// Help-text layout and the top-level help.
enum Help {
  static let version = "0.1.0"

  /// A two-column help row, wrapped under the description column.
  static func row(_ label: String, _ help: String) -> String {
    let column = 26
    let width = 80
    var lines: [String] = []
    var line = ""
    for word in help.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width - column {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    let head = "  " + label
    var text: String
    if head.count < column {
      text = head + String(repeating: " ", count: column - head.count) + (lines.first ?? "") + "\n"
    } else {
      text = head + "\n" + String(repeating: " ", count: column) + (lines.first ?? "") + "\n"
    }
    for rest in lines.dropFirst() { text += String(repeating: " ", count: column) + rest + "\n" }
    return text
  }

  static let usage = "irc <subcommand> [<arguments>] [<options>]"

  static var overview: String {
    var text = """
      OVERVIEW: Trace intrinsic reaction coordinates on model potential-energy surfaces.

      irc finds a first-order saddle, follows the steepest-descent path from it down to the
      minima it connects, logs |∇V| along the way until it falls below a tolerance, and writes
      the path as XYZ, CSV and JSON.

      USAGE: \(usage)

      OPTIONS:

      """
    text += row("--version", "Show the version.")
    text += row("-h, --help", "Show help information.")
    text += "\nSUBCOMMANDS:\n"
    for command in Commands.all { text += row(command.spec.name, command.spec.abstract) }
    text += "\n  See 'irc help <subcommand>' for detailed help.\n"
    return text
  }

  /// The known name closest to a misspelt one, if it is close enough to be a typo.
  static func nearest(_ name: String, among names: [String]) -> String? {
    let scored = names.map { ($0, distance(Array(name), Array($0))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else {
      return nil
    }
    return best.0
  }

  /// Levenshtein distance.
  private static func distance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...max(b.count, 1) where !b.isEmpty {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
