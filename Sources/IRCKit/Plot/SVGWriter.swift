/// Writes an SVG document as UTF-8 bytes, element by element.
///
/// Two guarantees hold for everything written through it: text and attribute values are
/// XML-escaped, and no NaN or infinity reaches the file. An element any of whose numbers
/// is not finite (or too large to be a coordinate) is left out whole and counted in
/// `droppedElements`; path data drops such points itself (`SVGPath`). Numbers are written
/// in fixed point by hand, which keeps a figure with tens of thousands of vertices fast
/// and byte-for-byte reproducible, whatever the locale.
struct SVGWriter {
  /// One attribute of an element.
  struct Attribute {
    enum Value {
      case number(Double, decimals: Int)
      case text(String)
      case path(SVGPath)
    }

    var name: String
    var value: Value

    /// A number with `decimals` digits after the point (trailing zeros dropped).
    static func number(_ name: String, _ value: Double, decimals: Int = 1) -> Attribute {
      Attribute(name: name, value: .number(value, decimals: decimals))
    }

    static func text(_ name: String, _ value: String) -> Attribute {
      Attribute(name: name, value: .text(value))
    }

    static func path(_ data: SVGPath) -> Attribute {
      Attribute(name: "d", value: .path(data))
    }

    var isWritable: Bool {
      if case .number(let number, _) = value { return SVGWriter.isWritable(number) }
      return true
    }
  }

  /// The largest magnitude written as a number: far beyond any drawing, far below where
  /// the fixed-point conversion could overflow.
  static let largestNumber = 1e9

  static func isWritable(_ number: Double) -> Bool {
    number.isFinite && abs(number) <= largestNumber
  }

  private(set) var bytes: [UInt8] = []
  /// Elements left out because one of their numbers was not finite.
  private(set) var droppedElements = 0
  private var openElements: [String] = []

  /// Starts a document of `width` × `height` pixels.
  init(width: Double, height: Double, fontFamily: String, fontSize: Double) {
    bytes.reserveCapacity(1 << 16)
    append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    open(
      "svg",
      [
        .text("xmlns", "http://www.w3.org/2000/svg"),
        .number("width", width, decimals: 0), .number("height", height, decimals: 0),
        .text("viewBox", "0 0 \(Int(width.rounded())) \(Int(height.rounded()))"),
        .text("font-family", fontFamily), .number("font-size", fontSize),
      ])
  }

  /// An element without content, `<rect … />`; left out if a number is not finite.
  mutating func element(_ name: String, _ attributes: [Attribute]) {
    guard attributes.allSatisfy(\.isWritable) else {
      droppedElements += 1
      return
    }
    if case .path(let data)? = attributes.first(where: { $0.name == "d" })?.value, data.isEmpty {
      return
    }
    startTag(name, attributes)
    append("/>\n")
  }

  /// A text element, its content escaped; left out if a number is not finite.
  mutating func text(_ content: String, _ attributes: [Attribute]) {
    guard attributes.allSatisfy(\.isWritable) else {
      droppedElements += 1
      return
    }
    startTag("text", attributes)
    append(">")
    appendEscaped(content)
    append("</text>\n")
  }

  /// A text element made of runs, each a `<tspan>` with its own attributes (for exponents).
  mutating func text(runs: [(String, [Attribute])], _ attributes: [Attribute]) {
    guard attributes.allSatisfy(\.isWritable),
      runs.allSatisfy({ $0.1.allSatisfy(\.isWritable) })
    else {
      droppedElements += 1
      return
    }
    startTag("text", attributes)
    append(">")
    for (content, runAttributes) in runs {
      if runAttributes.isEmpty {
        appendEscaped(content)
      } else {
        startTag("tspan", runAttributes)
        append(">")
        appendEscaped(content)
        append("</tspan>")
      }
    }
    append("</text>\n")
  }

  /// Opens an element that holds others (`<g>`, `<clipPath>`); close it with `close()`.
  /// Non-finite numbers are left out of it, the element itself is kept so that the
  /// nesting stays balanced.
  mutating func open(_ name: String, _ attributes: [Attribute] = []) {
    let writable = attributes.filter(\.isWritable)
    if writable.count < attributes.count { droppedElements += 1 }
    startTag(name, writable)
    append(">\n")
    openElements.append(name)
  }

  mutating func close() {
    guard let name = openElements.popLast() else { return }
    append("</\(name)>\n")
  }

  /// A comment; `--` cannot occur in one, so it is replaced.
  mutating func comment(_ text: String) {
    append("<!-- ")
    append(text.replacingOccurrences(of: "--", with: "- -"))
    append(" -->\n")
  }

  /// The finished document: every open element closed.
  mutating func finish() -> String {
    while !openElements.isEmpty { close() }
    return String(decoding: bytes, as: UTF8.self)
  }

  private mutating func startTag(_ name: String, _ attributes: [Attribute]) {
    append("<")
    append(name)
    for attribute in attributes {
      append(" ")
      append(attribute.name)
      append("=\"")
      switch attribute.value {
      case .number(let number, let decimals):
        Self.appendFixed(number, decimals: decimals, to: &bytes)
      case .text(let text):
        appendEscaped(text)
      case .path(let data):
        bytes.append(contentsOf: data.bytes)
      }
      append("\"")
    }
  }

  private mutating func append(_ text: String) {
    bytes.append(contentsOf: text.utf8)
  }

  /// XML escaping of the five special characters, and no character XML 1.0 forbids
  /// (its `Char` production): control characters other than tab and newline become spaces,
  /// U+FFFE and U+FFFF become U+FFFD, the replacement character. (Lone surrogates, the
  /// other forbidden code points, cannot occur in a Swift string.)
  private mutating func appendEscaped(_ text: String) {
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": append("&amp;")
      case "<": append("&lt;")
      case ">": append("&gt;")
      case "\"": append("&quot;")
      case "'": append("&apos;")
      case "\t", "\n": bytes.append(UInt8(scalar.value))
      case "\u{0}"..."\u{1F}": bytes.append(UInt8(ascii: " "))
      case "\u{FFFE}", "\u{FFFF}": append("\u{FFFD}")
      default: UTF8.encode(scalar) { bytes.append($0) }
      }
    }
  }

  /// `value` in fixed point with at most `decimals` digits after the point, trailing zeros
  /// dropped, no exponent, "-0" written as "0". The caller has checked `isWritable`.
  static func appendFixed(_ value: Double, decimals: Int, to bytes: inout [UInt8]) {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    appendScaled(Int((value * scale).rounded()), decimals: decimals, to: &bytes)
  }

  /// The integer `scaled` divided by 10^decimals, written in fixed point; `leadingZero`
  /// false writes 0.5 as ".5" (valid in path data, and shorter).
  static func appendScaled(
    _ scaled: Int, decimals: Int, leadingZero: Bool = true, to bytes: inout [UInt8]
  ) {
    var power: UInt = 1
    for _ in 0..<decimals { power *= 10 }
    let magnitude = scaled.magnitude
    let whole = magnitude / power
    var fraction = magnitude % power
    var digits = decimals
    while digits > 0 && fraction % 10 == 0 && fraction > 0 {
      fraction /= 10
      digits -= 1
    }
    if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
    if whole > 0 || leadingZero || fraction == 0 { appendDigits(whole, to: &bytes) }
    guard fraction > 0 else { return }
    bytes.append(UInt8(ascii: "."))
    var padding: UInt = 1
    for _ in 1..<digits { padding *= 10 }
    while padding > fraction {
      bytes.append(UInt8(ascii: "0"))
      padding /= 10
    }
    appendDigits(fraction, to: &bytes)
  }

  private static func appendDigits(_ value: UInt, to bytes: inout [UInt8]) {
    if value >= 10 { appendDigits(value / 10, to: &bytes) }
    bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
  }
}
