import Testing

@testable import IRCKit

/// The JSON parser and writer the potential files rest on: every value kind, escapes,
/// numbers, syntax errors located by line and column, and the writer's round trip.
struct JSONTests {
  // MARK: Helpers

  /// Characters that exercise the writer's escaping and the parser's UTF-8 handling.
  static let interestingScalars: [Unicode.Scalar] = [
    "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{C}", "\u{1F}", "\u{7F}",
    "é", "–", "€", "Å", "\u{2028}", "\u{FEFF}", "😀", "\u{10FFFF}", " ", "{", "}", "[", "]", ":",
    ",",
  ]

  static func randomString(using generator: inout SeededGenerator, maxLength: Int = 12) -> String {
    var scalars = String.UnicodeScalarView()
    for _ in 0..<Int.random(in: 0...maxLength, using: &generator) {
      if Bool.random(using: &generator) {
        scalars.append(interestingScalars.randomElement(using: &generator)!)
      } else {
        scalars.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &generator)))
      }
    }
    return String(scalars)
  }

  /// A finite `Double` drawn from several families: raw bit patterns (every exponent,
  /// subnormals), integers, and ordinary decimals.
  static func randomFiniteDouble(using generator: inout SeededGenerator) -> Double {
    switch Int.random(in: 0..<4, using: &generator) {
    case 0:
      while true {
        let value = Double(bitPattern: generator.next())
        if value.isFinite { return value }
      }
    case 1: return Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &generator))
    case 2: return Double.random(in: -1000...1000, using: &generator)
    default:
      return Double(
        sign: Bool.random(using: &generator) ? .plus : .minus,
        exponent: Int.random(in: -1074...1023, using: &generator),
        significand: Double.random(in: 1..<2, using: &generator))
    }
  }

  /// A random JSON document no deeper than `depth`.
  static func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
    let choice = Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &generator)
    switch choice {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &generator))
    case 2: return .number(randomFiniteDouble(using: &generator))
    case 3, 4: return .string(randomString(using: &generator))
    case 5:
      let count = Int.random(in: 0...4, using: &generator)
      return .array((0..<count).map { _ in randomValue(depth: depth - 1, using: &generator) })
    default:
      var members: [JSONValue.Member] = []
      var keys = Set<String>()
      for _ in 0..<Int.random(in: 0...4, using: &generator) {
        let key = randomString(using: &generator, maxLength: 6)
        guard keys.insert(key).inserted else { continue }
        members.append(JSONValue.Member(key, randomValue(depth: depth - 1, using: &generator)))
      }
      return .object(members)
    }
  }

  static func parsedNumber(_ text: String) throws -> Double {
    let value = try JSONValue(parsing: text)
    guard case .number(let number) = value else {
      Issue.record("\(text) parsed as \(value), not a number")
      return .nan
    }
    return number
  }

  // MARK: Parser: values

  @Test func parsesEveryScalarKind() throws {
    #expect(try JSONValue(parsing: "null") == .null)
    #expect(try JSONValue(parsing: "true") == .bool(true))
    #expect(try JSONValue(parsing: "false") == .bool(false))
    #expect(try JSONValue(parsing: "42") == .number(42))
    #expect(try JSONValue(parsing: "\"text\"") == .string("text"))
    #expect(try JSONValue(parsing: "[]") == .array([]))
    #expect(try JSONValue(parsing: "{}") == .object([]))
    #expect(try JSONValue(parsing: "\"\"") == .string(""))
  }

  @Test func booleansAndNumbersStayDistinct() throws {
    #expect(try JSONValue(parsing: "[1, true, 0, false]") == .array([1, true, 0, false]))
    #expect(try JSONValue(parsing: "true") != .number(1))
  }

  @Test func parsesNestedValuesAndKeepsMemberOrder() throws {
    let text = """
       {"b": [1, {"c": [true, null, "x"]}, []],
      \t"a": {"d": {}, "e": -2.5}}\r\n
      """
    let expected: JSONValue = .object([
      .init("b", .array([1, .object([.init("c", .array([true, nil, "x"]))]), .array([])])),
      .init("a", .object([.init("d", .object([])), .init("e", -2.5)])),
    ])
    let parsed = try JSONValue(parsing: text)
    #expect(parsed == expected)
    #expect(
      parsed["b"] == .array([1, .object([.init("c", .array([true, nil, "x"]))]), .array([])]))
    #expect(parsed["a"]?["e"] == .number(-2.5))
    #expect(parsed["missing"] == nil)
    guard case .object(let members) = parsed else {
      Issue.record("not an object")
      return
    }
    #expect(members.map(\.key) == ["b", "a"])
  }

  @Test func parsesAnyWhitespaceBetweenTokens() throws {
    let parsed = try JSONValue(parsing: " \t\r\n{ \"a\" :\t[ 1 ,\n2 ] ,\"b\"\n:\rnull } \n")
    #expect(parsed == .object([.init("a", .array([1, 2])), .init("b", nil)]))
  }

  @Test func parsesEscapes() throws {
    let text = #""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\u0000""#
    #expect(try JSONValue(parsing: text) == .string("\"\\/\u{8}\u{C}\n\r\tAé€\u{0}"))
  }

  @Test func parsesSurrogatePairsInEitherCase() throws {
    #expect(try JSONValue(parsing: #""\uD83D\uDE00""#) == .string("😀"))
    #expect(try JSONValue(parsing: #""\ud83d\ude00!""#) == .string("😀!"))
    #expect(try JSONValue(parsing: #""a\uDBFF\uDFFFb""#) == .string("a\u{10FFFF}b"))
    #expect(try JSONValue(parsing: #""\uD800\uDC00""#) == .string("\u{10000}"))
  }

  @Test func keepsRawUnicodeText() throws {
    let text = "{\"Müller–Brown\": \"Jóhannesson 😀 Å\"}"
    #expect(try JSONValue(parsing: text) == .object([.init("Müller–Brown", "Jóhannesson 😀 Å")]))
  }

  struct NumberCase: Sendable, CustomTestStringConvertible {
    var text: String
    var value: Double
    var testDescription: String { text }
  }

  static let numberCases: [NumberCase] = [
    .init(text: "0", value: 0),
    .init(text: "-0", value: -0.0),
    .init(text: "-0.0", value: -0.0),
    .init(text: "-0e5", value: -0.0),
    .init(text: "7", value: 7),
    .init(text: "-12", value: -12),
    .init(text: "1.5", value: 1.5),
    .init(text: "0.1", value: 0.1),
    .init(text: "1e3", value: 1000),
    .init(text: "1E3", value: 1000),
    .init(text: "1e+3", value: 1000),
    .init(text: "1e-3", value: 0.001),
    .init(text: "-2.5E-1", value: -0.25),
    .init(text: "1e-05", value: 1e-5),
    .init(text: "123456789012345678901234567890", value: 1.2345678901234568e29),
    .init(text: "1.7976931348623157e308", value: .greatestFiniteMagnitude),
    .init(text: "4.9406564584124654e-324", value: .leastNonzeroMagnitude),
    .init(text: "2.2250738585072014e-308", value: .leastNormalMagnitude),
    .init(text: "1e999", value: .infinity),
    .init(text: "-1e999", value: -.infinity),
    .init(text: "1e-999", value: 0),
    .init(text: "1e99999999999999999999", value: .infinity),
    .init(text: "1" + String(repeating: "0", count: 400) + "e-400", value: 1),
    .init(text: "0." + String(repeating: "0", count: 400) + "1", value: 0),
  ]

  /// Compared bit for bit, so that the sign of zero and infinities count.
  @Test(arguments: numberCases)
  func parsesNumbers(_ testCase: NumberCase) throws {
    let parsed = try Self.parsedNumber(testCase.text)
    #expect(parsed.bitPattern == testCase.value.bitPattern, "parsed \(parsed)")
  }

  @Test func nestingUpTo512LevelsParses() throws {
    let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    var value = try JSONValue(parsing: text)
    var depth = 0
    while case .array(let elements) = value, let first = elements.first {
      value = first
      depth += 1
    }
    #expect(depth == 511)
  }

  // MARK: Parser: syntax errors

  struct SyntaxCase: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var line: Int
    var column: Int
    var message: String
    var testDescription: String { name }
  }

  static let syntaxCases: [SyntaxCase] = [
    .init(
      name: "trailing comma in an object", text: "{\n  \"a\": [1, 2],\n  \"b\": true,\n}",
      line: 4, column: 1, message: "expected a string key"),
    .init(
      name: "trailing comma in an array", text: "[1, 2,]", line: 1, column: 7,
      message: "unexpected character ']'; expected a value"),
    .init(
      name: "missing colon", text: "{\n  \"a\" 1\n}", line: 2, column: 7,
      message: "expected ':' after the key"),
    .init(
      name: "missing comma", text: "[1 2]", line: 1, column: 4,
      message: "expected ',' or ']' in the array"),
    .init(
      name: "unterminated string", text: "[\n  \"abc", line: 2, column: 7,
      message: "unterminated string"),
    .init(
      name: "unterminated escape", text: "[\"abc\\", line: 1, column: 7,
      message: "unterminated escape"),
    .init(
      name: "leading zero", text: "{\"x\": [1,\n 007]}", line: 2, column: 3,
      message: "a number may not have a leading zero"),
    .init(
      name: "negative leading zero", text: "-01", line: 1, column: 3,
      message: "a number may not have a leading zero"),
    .init(
      name: "bare word", text: "{\"ok\": yes}", line: 1, column: 8,
      message: "unexpected character 'y'; expected a value"),
    .init(
      name: "capitalised literal", text: "[True]", line: 1, column: 2,
      message: "unexpected character 'T'; expected a value"),
    .init(
      name: "truncated literal", text: "[nul]", line: 1, column: 2,
      message: "invalid literal; expected 'null'"),
    .init(
      name: "NaN", text: "NaN", line: 1, column: 1,
      message: "unexpected character 'N'; expected a value"),
    .init(
      name: "trailing garbage", text: "{}\n}", line: 2, column: 1,
      message: "unexpected text after the JSON value"),
    .init(
      name: "two values", text: "[1] [2]", line: 1, column: 5,
      message: "unexpected text after the JSON value"),
    .init(
      name: "duplicate key", text: "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}", line: 4,
      column: 3, message: "duplicate key \"a\""),
    .init(
      name: "tab in a string", text: "[\"tab\there\"]", line: 1, column: 6,
      message: "control character in a string; write it as an escape"),
    .init(
      name: "newline in a string", text: "{\"a\":\n \"x\ny\"}", line: 2, column: 4,
      message: "control character in a string; write it as an escape"),
    .init(
      name: "NUL in a string", text: "[\"\u{0}\"]", line: 1, column: 3,
      message: "control character in a string; write it as an escape"),
    .init(
      name: "empty input", text: "", line: 1, column: 1,
      message: "unexpected end of the text; expected a value"),
    .init(
      name: "only whitespace", text: "  \n\n  ", line: 3, column: 3,
      message: "unexpected end of the text; expected a value"),
    .init(
      name: "columns count characters, not bytes", text: "{\"Müller–Brown\": x}", line: 1,
      column: 18, message: "unexpected character 'x'; expected a value"),
    .init(
      name: "non-ASCII bare word", text: "{\"a\": é}", line: 1, column: 7,
      message: "unexpected character 'é'; expected a value"),
    .init(
      name: "CRLF line ends", text: "{\r\n\"a\" 1}", line: 2, column: 5,
      message: "expected ':' after the key"),
    .init(
      name: "single-quoted key", text: "{'a': 1}", line: 1, column: 2,
      message: "expected a string key"),
    .init(
      name: "unclosed array", text: "{\"a\": [1, 2", line: 1, column: 12,
      message: "expected ',' or ']' in the array"),
    .init(
      name: "unclosed object", text: "{\"a\": 1", line: 1, column: 8,
      message: "expected ',' or '}' in the object"),
    .init(
      name: "missing value", text: "{\"a\": ", line: 1, column: 7,
      message: "unexpected end of the text; expected a value"),
    .init(
      name: "decimal point without digits", text: "1.", line: 1, column: 3,
      message: "expected digits after the decimal point"),
    .init(
      name: "leading decimal point", text: ".5", line: 1, column: 1,
      message: "unexpected character '.'; expected a value"),
    .init(
      name: "plus sign", text: "+1", line: 1, column: 1,
      message: "unexpected character '+'; expected a value"),
    .init(
      name: "minus alone", text: "[-]", line: 1, column: 3,
      message: "expected digits in the number"),
    .init(
      name: "empty exponent", text: "1e+", line: 1, column: 4,
      message: "expected digits in the exponent"),
    .init(
      name: "hexadecimal number", text: "0x10", line: 1, column: 2,
      message: "unexpected text after the JSON value"),
    .init(
      name: "invalid escape", text: #"["\x"]"#, line: 1, column: 4,
      message: #"invalid escape '\x'"#),
    .init(
      name: "lone high surrogate", text: #"["\uD800"]"#, line: 1, column: 9,
      message: #"unpaired surrogate in a \u escape"#),
    .init(
      name: "lone low surrogate", text: #"["\uDC00"]"#, line: 1, column: 9,
      message: #"unpaired surrogate in a \u escape"#),
    .init(
      name: "high surrogate before a non-surrogate", text: #"["\uD800\u0041"]"#, line: 1,
      column: 15, message: #"unpaired surrogate in a \u escape"#),
    .init(
      name: "bad hexadecimal digit", text: #"["\u12G4"]"#, line: 1, column: 7,
      message: #"invalid hexadecimal digit in a \u escape"#),
    .init(
      name: "incomplete \\u escape", text: #"["\u12"#, line: 1, column: 5,
      message: #"incomplete \u escape"#),
    .init(
      name: "513 levels of nesting", text: String(repeating: "[", count: 513), line: 1,
      column: 513, message: "nesting deeper than 512 levels"),
  ]

  @Test(arguments: syntaxCases)
  func reportsSyntaxErrorsWithLineAndColumn(_ testCase: SyntaxCase) {
    let expected = JSONSyntaxError(
      line: testCase.line, column: testCase.column, message: testCase.message)
    #expect(throws: expected) { try JSONValue(parsing: testCase.text) }
  }

  @Test func syntaxErrorDescriptionNamesLineAndColumn() {
    let error = JSONSyntaxError(line: 3, column: 14, message: "expected a string key")
    #expect(error.description == "line 3, column 14: expected a string key")
  }

  // MARK: Writer

  /// Every finite `Double` must come back with the same bits: coordinates and energies are
  /// written to files that are read again.
  @Test func numbersRoundTripBitExactly() throws {
    let seed: UInt64 = 0x4A53_4F4E_2001
    var generator = SeededGenerator(seed: seed)
    let specials: [Double] = [
      0, 1, -1, 0.1, 1.0 / 3, .pi, -.pi, 1e15 - 1, 1e15, 1e15 + 1, 1e16, 0x1p53, 1e21, 1e22,
      1e300, -1e-300, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
      .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 9.223372036854775807e18,
      0x1p63, -0x1p63, 4.35, 0.30000000000000004, 2.2250738585072014e-308, 1.7976931348623157e308,
    ]
    var failures: [String] = []
    for index in 0..<60_000 {
      let value =
        index < specials.count ? specials[index] : Self.randomFiniteDouble(using: &generator)
      let text = JSONValue.number(value).serialized(pretty: false)
      let back = try? Self.parsedNumber(text)
      if back?.bitPattern != value.bitPattern, failures.count < 5 {
        failures.append(
          "\(value) (bits \(value.bitPattern)) written as \(text), read as \(String(describing: back))"
        )
      }
    }
    #expect(failures.isEmpty, "seed \(seed): \(failures.joined(separator: "; "))")
  }

  @Test func negativeZeroRoundTripsBitExactly() throws {
    let text = JSONValue.number(-0.0).serialized()
    let back = try Self.parsedNumber(text)
    #expect(back.bitPattern == (-0.0).bitPattern, "-0.0 written as \(text), read as \(back)")
  }

  @Test func integralValuesAreWrittenWithoutFraction() {
    #expect(JSONValue.number(1).serialized() == "1")
    #expect(JSONValue.number(0).serialized() == "0")
    #expect(JSONValue.number(-42).serialized() == "-42")
    #expect(JSONValue.number(-200).serialized() == "-200")
    #expect(JSONValue.number(1e14).serialized() == "100000000000000")
    #expect(JSONValue.number(999_999_999_999_999).serialized() == "999999999999999")
    #expect(JSONValue.number(2.5).serialized() == "2.5")
    #expect(JSONValue.number(-0.001).serialized() == "-0.001")
    #expect(JSONValue.number(1e16).serialized() == "1e+16")
  }

  /// Every integral value up to 2^53 is exactly representable and should read as an integer,
  /// not as `1000000000000000.0`.
  @Test(arguments: [1e15, -1e15, 1_234_567_890_123_456, 9_007_199_254_740_991])
  func largeIntegralValuesAreWrittenWithoutFraction(_ value: Double) {
    let text = JSONValue.number(value).serialized()
    #expect(text == String(Int64(value)))
  }

  @Test func nonFiniteNumbersAreWrittenAsNull() {
    #expect(JSONValue.number(.infinity).serialized() == "null")
    #expect(JSONValue.number(-.infinity).serialized() == "null")
    #expect(JSONValue.number(.nan).serialized() == "null")
  }

  @Test func escapesQuotesBackslashesAndControlCharacters() {
    let value = JSONValue.string("a\"b\\c/d\ne\rf\tg\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}é😀")
    #expect(
      value.serialized() == #""a\"b\\c/d\ne\rf\tg\u0000\u0001\u0008\u000c\u001f"# + "\u{7F}é😀\"")
    #expect(JSONValue.object([.init("k\"ey\n", 1)]).serialized(pretty: false) == #"{"k\"ey\n":1}"#)
  }

  @Test func writesCompactText() {
    let value: JSONValue = .object([
      .init("a", .array([1, 2.5])),
      .init("b", .object([.init("c", nil), .init("d", .array([true, "x"]))])),
      .init("e", .array([])), .init("f", .object([])),
    ])
    #expect(
      value.serialized(pretty: false)
        == #"{"a":[1,2.5],"b":{"c":null,"d":[true,"x"]},"e":[],"f":{}}"#)
  }

  @Test func writesPrettyTextWithNumberArraysOnOneLine() {
    let value: JSONValue = .object([
      .init("a", .array([1, 2.5])),
      .init("b", .object([.init("c", nil), .init("d", .array([true, "x"]))])),
      .init("e", .array([])), .init("f", .object([])),
    ])
    let expected = """
      {
        "a": [1, 2.5],
        "b": {
          "c": null,
          "d": [
            true,
            "x"
          ]
        },
        "e": [],
        "f": {}
      }
      """
    #expect(value.serialized() == expected)
    #expect(value.serialized(pretty: true) == expected)
  }

  @Test func parseOfSerializedEqualsTheValue() throws {
    let seed: UInt64 = 0x4A53_4F4E_2002
    var generator = SeededGenerator(seed: seed)
    for index in 0..<2_000 {
      let value = Self.randomValue(depth: 5, using: &generator)
      for pretty in [false, true] {
        let text = value.serialized(pretty: pretty)
        let back = try JSONValue(parsing: text)
        #expect(back == value, "seed \(seed), document \(index), pretty \(pretty): \(text)")
        if back != value { return }
      }
    }
  }

  @Test func serializedShippedFilesParseBackUnchanged() throws {
    for name in ["muller-brown", "leps", "leps-harmonic"] {
      let value = try JSONValue(parsing: PotentialFileDecodingTests.shippedText(name))
      #expect(try JSONValue(parsing: value.serialized()) == value, "\(name)")
      #expect(try JSONValue(parsing: value.serialized(pretty: false)) == value, "\(name)")
    }
  }
}
