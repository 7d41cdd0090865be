import Foundation

/// Independent readers of the files `irc trace` writes, following
/// `shared/reference/outputs.md` to the letter. They share no code with the writers, so a
/// file that breaks the contract fails here even when the writer and a lenient reader
/// agree.
struct FormatError: Error, CustomStringConvertible {
  var description: String
}

/// One atom line: the symbol, the numbers as written and as read.
struct XYZAtom {
  var symbol: String
  var fields: [String]
  var position: [Double]
}

/// One frame of a multi-frame extended-XYZ file.
struct XYZFrame {
  /// The comment line's `key=value` pairs, in order, values unquoted.
  var properties: [(key: String, value: String)]
  var comment: String
  var atoms: [XYZAtom]

  subscript(key: String) -> String? { properties.first { $0.key == key }?.value }

  /// A required finite number.
  func number(_ key: String) throws -> Double {
    guard let text = self[key] else {
      throw FormatError(description: "comment line has no \(key)=: \(comment)")
    }
    guard let value = Double(text), value.isFinite else {
      throw FormatError(description: "\(key)=\(text) is not a finite number: \(comment)")
    }
    return value
  }
}

enum XYZTrajectory {
  static let properties = "species:S:1:pos:R:3"
  static let propertiesWithForces = "species:S:1:pos:R:3:forces:R:3"

  /// Reads a whole file, refusing anything outside the contract.
  static func parse(_ data: Data) throws -> [XYZFrame] {
    guard data.allSatisfy({ $0 < 0x80 }) else { throw FormatError(description: "not ASCII") }
    guard !data.contains(0x0D) else { throw FormatError(description: "contains CR; LF only") }
    let text = String(decoding: data, as: UTF8.self)
    guard text.hasSuffix("\n") else {
      throw FormatError(description: "does not end with a newline")
    }
    guard !text.hasSuffix("\n\n") else {
      throw FormatError(description: "ends with a blank line (more than one newline)")
    }
    let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    if let blank = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
      throw FormatError(description: "line \(blank + 1) is blank")
    }
    var frames: [XYZFrame] = []
    var index = 0
    var firstCount: Int?
    while index < lines.count {
      let countLine = lines[index]
      guard countLine.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(countLine),
        count > 0
      else {
        throw FormatError(
          description: "line \(index + 1): count line '\(countLine)' is not a bare positive integer"
        )
      }
      if let firstCount, firstCount != count {
        throw FormatError(
          description: "line \(index + 1): \(count) atoms, but the first frame has \(firstCount)")
      }
      firstCount = count
      guard index + 1 + count < lines.count else {
        throw FormatError(description: "line \(index + 1): frame truncated")
      }
      let comment = lines[index + 1]
      let pairs = try commentPairs(comment, line: index + 2)
      let columns = pairs.first?.value == propertiesWithForces ? 7 : 4
      var atoms: [XYZAtom] = []
      for atomLine in lines[(index + 2)..<(index + 2 + count)] {
        atoms.append(try atom(atomLine, columns: columns))
      }
      frames.append(XYZFrame(properties: pairs, comment: comment, atoms: atoms))
      index += 2 + count
    }
    guard !frames.isEmpty else { throw FormatError(description: "no frames") }
    return frames
  }

  /// The `key=value` pairs of a comment line; a bare word is an error.
  static func commentPairs(_ comment: String, line: Int) throws -> [(key: String, value: String)] {
    func fail(_ why: String) -> FormatError {
      FormatError(description: "line \(line): \(why): \(comment)")
    }
    guard comment.utf8.count < 1024 else { throw fail("comment line of 1024 bytes or more") }
    guard !comment.contains("Energy") else { throw fail("contains the word 'Energy'") }
    guard !comment.contains("Lattice") else { throw fail("contains Lattice") }
    var pairs: [(key: String, value: String)] = []
    var rest = Substring(comment)
    while true {
      rest = rest.drop { $0 == " " }
      if rest.isEmpty { break }
      let token = rest.prefix { $0 != " " && $0 != "=" }
      rest = rest.dropFirst(token.count)
      guard rest.first == "=", !token.isEmpty else {
        throw fail("bare word '\(token)' (not key=value)")
      }
      rest = rest.dropFirst()
      let value: Substring
      if rest.first == "\"" {
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: "\"") else { throw fail("unterminated quote") }
        value = rest[..<close]
        rest = rest[rest.index(after: close)...]
        guard rest.isEmpty || rest.first == " " else { throw fail("text after a quoted value") }
      } else {
        value = rest.prefix { $0 != " " }
        rest = rest.dropFirst(value.count)
        guard !value.isEmpty, !value.contains("\"") else { throw fail("empty value of \(token)") }
      }
      guard !pairs.contains(where: { $0.key == String(token) }) else {
        throw fail("key \(token) given twice")
      }
      pairs.append((String(token), String(value)))
    }
    guard let first = pairs.first, first.key == "Properties",
      first.value == properties || first.value == propertiesWithForces
    else {
      throw fail("does not begin with Properties=\(properties)")
    }
    return pairs
  }

  static func atom(_ line: String, columns: Int) throws -> XYZAtom {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard fields.count == columns else {
      throw FormatError(description: "atom line '\(line)': \(fields.count) columns, not \(columns)")
    }
    let symbol = fields[0]
    let capitalised =
      symbol.count <= 2 && symbol.first.map(\.isUppercase) == true
      && symbol.dropFirst().allSatisfy(\.isLowercase)
    guard capitalised, symbol.allSatisfy(\.isASCII) else {
      throw FormatError(description: "atom line '\(line)': '\(symbol)' is not an element symbol")
    }
    var position: [Double] = []
    for field in fields.dropFirst() {
      guard let value = Double(field), value.isFinite else {
        throw FormatError(description: "atom line '\(line)': '\(field)' is not a finite number")
      }
      position.append(value)
    }
    return XYZAtom(symbol: symbol, fields: Array(fields.dropFirst()), position: position)
  }
}

/// A path-log CSV: its header and rows of fields.
struct CSVTable {
  var header: [String]
  var rows: [[String]]

  static func parse(_ data: Data) throws -> CSVTable {
    let text = String(decoding: data, as: UTF8.self)
    guard text.hasSuffix("\n"), !text.hasSuffix("\n\n") else {
      throw FormatError(description: "CSV does not end with exactly one newline")
    }
    guard !text.contains("\r") else { throw FormatError(description: "CSV contains CR") }
    let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.first else { throw FormatError(description: "empty CSV") }
    let header = first.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    var rows: [[String]] = []
    for (number, line) in lines.dropFirst().enumerated() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == header.count else {
        throw FormatError(
          description: "CSV row \(number + 1) has \(fields.count) fields, header \(header.count)")
      }
      rows.append(fields)
    }
    return CSVTable(header: header, rows: rows)
  }

  /// The column named `name` of every row.
  func column(_ name: String) throws -> [String] {
    guard let index = header.firstIndex(of: name) else {
      throw FormatError(description: "CSV has no column \(name); header \(header)")
    }
    return rows.map { $0[index] }
  }

  /// A column of finite numbers.
  func numbers(_ name: String) throws -> [Double] {
    try column(name).map { text in
      guard let value = Double(text), value.isFinite else {
        throw FormatError(description: "CSV \(name) value '\(text)' is not a finite number")
      }
      return value
    }
  }
}
