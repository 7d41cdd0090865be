/// Why an evaluation of a surface gave no usable value: the one type every algorithm
/// sees when the surface cannot answer, whether a formula went non-finite or an external
/// engine failed.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A quantity of the surface.
  public enum Quantity: String, Sendable, Equatable {
    case energy, gradient, hessian
  }

  /// The surface returned a NaN or an infinity for `quantity` at the point.
  case nonFinite(Quantity, at: Vector)
  /// The program (or connection) that computes the surface failed.
  case engine(EngineFailure)

  public var description: String {
    switch self {
    case .nonFinite(let quantity, let point):
      return "the \(quantity.rawValue) is not finite at \(point)"
    case .engine(let failure):
      return failure.description
    }
  }

  /// The engine failure, if this is one.
  public var engineFailure: EngineFailure? {
    if case .engine(let failure) = self { return failure }
    return nil
  }
}
