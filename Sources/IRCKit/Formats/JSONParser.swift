/// A syntax error in a JSON text, located by line and column (both from 1).
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public var description: String { "line \(line), column \(column): \(message)" }
}

extension JSONValue {
  /// Parses a complete JSON text (RFC 8259). Duplicate keys in an object are an error.
  /// Numbers too large for a `Double` parse as infinities, so that the caller, which knows
  /// the field's path, can report them.
  public init(parsing text: String) throws(JSONSyntaxError) {
    var parser = JSONParser(Array(text.utf8))
    parser.skipWhitespace()
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.atEnd else { throw parser.error("unexpected text after the JSON value") }
    self = value
  }
}

private struct JSONParser {
  let bytes: [UInt8]
  var index = 0
  /// Deeper nesting than this is refused rather than risking the stack.
  static let maximumDepth = 512

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { index >= bytes.count }
  var current: UInt8? { atEnd ? nil : bytes[index] }

  func error(_ message: String) -> JSONSyntaxError {
    var line = 1
    var lineStart = 0
    for position in 0..<min(index, bytes.count) where bytes[position] == UInt8(ascii: "\n") {
      line += 1
      lineStart = position + 1
    }
    // Columns count characters, not bytes: skip UTF-8 continuation bytes.
    let column = bytes[lineStart..<min(index, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count + 1
    return JSONSyntaxError(line: line, column: column, message: message)
  }

  /// The whole UTF-8 character starting at `position`, for messages (a lone byte of a
  /// multi-byte character would print as U+FFFD).
  func character(at position: Int) -> String {
    let lead = bytes[position]
    let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    return String(decoding: bytes[position..<min(position + length, bytes.count)], as: UTF8.self)
  }

  mutating func skipWhitespace() {
    while let byte = current,
      byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    {
      index += 1
    }
  }

  mutating func expect(_ literal: String, value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
    let expected = Array(literal.utf8)
    guard index + expected.count <= bytes.count,
      Array(bytes[index..<(index + expected.count)]) == expected
    else { throw error("invalid literal; expected '\(literal)'") }
    index += expected.count
    return value
  }

  mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    guard depth < Self.maximumDepth else { throw error("nesting deeper than 512 levels") }
    guard let byte = current else { throw error("unexpected end of the text; expected a value") }
    switch byte {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
    case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
    case UInt8(ascii: "n"): return try expect("null", value: .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default:
      throw error("unexpected character '\(character(at: index))'; expected a value")
    }
  }

  mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    index += 1
    var members: [JSONValue.Member] = []
    var seen = Set<String>()
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let keyStart = index
      let key = try parseString()
      guard seen.insert(key).inserted else {
        index = keyStart
        throw error("duplicate key \(InputExcerpt.quoted(key))")
      }
      skipWhitespace()
      guard current == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
      index += 1
      skipWhitespace()
      members.append(JSONValue.Member(key, try parseValue(depth: depth + 1)))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(members)
      default: throw error("expected ',' or '}' in the object")
      }
    }
  }

  mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
    index += 1
    var elements: [JSONValue] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      switch current {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(elements)
      default: throw error("expected ',' or ']' in the array")
      }
    }
  }

  mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("incomplete \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("invalid hexadecimal digit in a \\u escape")
      }
      value = value * 16 + UInt32(digit)
      index += 1
    }
    return value
  }

  /// Reads a string into a byte buffer and decodes it once at its end: appending scalar by
  /// scalar to a `String` cost time growing with the string's length per escape, which made
  /// a string of 10⁶ `\u` escapes take over 20 s.
  mutating func parseString() throws(JSONSyntaxError) -> String {
    index += 1
    var buffer: [UInt8] = []
    var runStart = index
    while true {
      guard let byte = current else { throw error("unterminated string") }
      if byte == UInt8(ascii: "\"") {
        buffer.append(contentsOf: bytes[runStart..<index])
        index += 1
        return String(decoding: buffer, as: UTF8.self)
      }
      if byte < 0x20 { throw error("control character in a string; write it as an escape") }
      if byte == UInt8(ascii: "\\") {
        buffer.append(contentsOf: bytes[runStart..<index])
        index += 1
        guard let escape = current else { throw error("unterminated escape") }
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
          UTF8.encode(try parseUnicodeEscape()) { buffer.append($0) }
        default:
          index -= 1
          throw error("invalid escape '\\\(character(at: index))'")
        }
        runStart = index
        continue
      }
      index += 1
    }
  }

  /// The scalar of a `\uXXXX` escape (its `\u` read), joining a surrogate pair.
  mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
    var code = try parseHex4()
    if (0xD800...0xDBFF).contains(code) {
      guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"),
        bytes[index + 1] == UInt8(ascii: "u")
      else { throw error("unpaired surrogate in a \\u escape") }
      index += 2
      let low = try parseHex4()
      guard (0xDC00...0xDFFF).contains(low) else {
        throw error("unpaired surrogate in a \\u escape")
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
    } else if (0xDC00...0xDFFF).contains(code) {
      throw error("unpaired surrogate in a \\u escape")
    }
    guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
    return scalar
  }

  mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
    let start = index
    func digits(_ parser: inout JSONParser) -> Int {
      let begin = parser.index
      while let byte = parser.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        parser.index += 1
      }
      return parser.index - begin
    }
    if current == UInt8(ascii: "-") { index += 1 }
    if current == UInt8(ascii: "0") {
      index += 1
      if let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        throw error("a number may not have a leading zero")
      }
    } else if digits(&self) == 0 {
      throw error("expected digits in the number")
    }
    if current == UInt8(ascii: ".") {
      index += 1
      guard digits(&self) > 0 else { throw error("expected digits after the decimal point") }
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      index += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
      guard digits(&self) > 0 else { throw error("expected digits in the exponent") }
    }
    let literal = String(decoding: bytes[start..<index], as: UTF8.self)
    guard let value = Double(literal) else {
      index = start
      throw error("invalid number '\(InputExcerpt.cut(literal))'")
    }
    return .number(value)
  }
}
