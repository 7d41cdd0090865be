/// What a stationary point is, by its Hessian index (the number of negative eigenvalues).
public enum StationaryKind: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
  /// Index 0: every direction curves upward.
  case minimum
  /// Index 1: a first-order saddle, the transition state of one reaction.
  case saddle

  /// The Hessian index this kind claims.
  public var index: Int {
    switch self {
    case .minimum: return 0
    case .saddle: return 1
    }
  }

  public var description: String { rawValue }
}
