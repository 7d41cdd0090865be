import Foundation

/// The functions a formula may call, as the potential-file contract lists them: `exp log
/// sqrt sin cos tan sinh cosh tanh atan` of one argument and `pow(a, b)` of two.
public enum ExpressionFunction: String, CaseIterable, Sendable {
  case exp, log, sqrt, sin, cos, tan, sinh, cosh, tanh, atan, pow

  /// How many arguments a call takes.
  public var arity: Int { self == .pow ? 2 : 1 }

  /// The names, sorted, for messages.
  public static let names: [String] = allCases.map(\.rawValue).sorted()

  /// The value of a one-argument function (`pow` is the graph's `power` node and is never
  /// applied here). Folding constants and running the compiled tape both call this, so a
  /// folded constant is bit for bit what the tape would have computed.
  @inline(__always)
  func apply(_ value: Double) -> Double {
    switch self {
    case .exp: return Foundation.exp(value)
    case .log: return Foundation.log(value)
    case .sqrt: return value.squareRoot()
    case .sin: return Foundation.sin(value)
    case .cos: return Foundation.cos(value)
    case .tan: return Foundation.tan(value)
    case .sinh: return Foundation.sinh(value)
    case .cosh: return Foundation.cosh(value)
    case .tanh: return Foundation.tanh(value)
    case .atan: return Foundation.atan(value)
    case .pow: return .nan
    }
  }
}
