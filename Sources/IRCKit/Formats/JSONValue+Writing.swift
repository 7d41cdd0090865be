import Foundation

extension JSONValue {
  /// The JSON text: compact, or indented by two spaces per level. Keys keep their order.
  /// Numbers are written in the shortest form that reads back to the same `Double`;
  /// integral values without a fraction. A non-finite number, which JSON cannot hold,
  /// is written as `null` (the library's writers never pass one; this is the last guard).
  public func serialized(pretty: Bool = true) -> String {
    var output = ""
    write(to: &output, pretty: pretty, indent: 0)
    return output
  }

  private func write(to output: inout String, pretty: Bool, indent: Int) {
    switch self {
    case .null: output += "null"
    case .bool(let value): output += value ? "true" : "false"
    case .number(let value): output += JSONValue.format(value)
    case .string(let value): JSONValue.writeString(value, to: &output)
    case .array(let elements):
      if elements.isEmpty {
        output += "[]"
        return
      }
      // Arrays of numbers stay on one line: coordinates and eigenvalues read better so.
      let inline = !pretty || elements.allSatisfy { if case .number = $0 { true } else { false } }
      output += "["
      for (position, element) in elements.enumerated() {
        if position > 0 { output += inline ? (pretty ? ", " : ",") : "," }
        if !inline { newline(&output, indent + 1) }
        element.write(to: &output, pretty: pretty, indent: indent + 1)
      }
      if !inline { newline(&output, indent) }
      output += "]"
    case .object(let members):
      if members.isEmpty {
        output += "{}"
        return
      }
      output += "{"
      for (position, member) in members.enumerated() {
        if position > 0 { output += "," }
        if pretty { newline(&output, indent + 1) }
        JSONValue.writeString(member.key, to: &output)
        output += pretty ? ": " : ":"
        member.value.write(to: &output, pretty: pretty, indent: indent + 1)
      }
      if pretty { newline(&output, indent) }
      output += "}"
    }
  }

  private func newline(_ output: inout String, _ indent: Int) {
    output += "\n" + String(repeating: "  ", count: indent)
  }

  static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    // Integral values below 2⁵³ are exact as integers; −0 keeps its sign.
    if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
      return value == 0 && value.sign == .minus ? "-0" : String(Int64(value))
    }
    return NumberFormat.roundTrip(value)
  }

  static func writeString(_ value: String, to output: inout String) {
    output += "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}
