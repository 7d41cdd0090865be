/// A potential-energy surface V(q) over `dimension` coordinates.
///
/// A surface is a value: it holds its parameters and nothing else, so it is `Sendable` and
/// can be evaluated from any thread. Only `dimension` and `energy(at:)` are required;
/// the derivatives default to finite differences (`FiniteDifferences`) and every kind
/// with closed-form derivatives overrides them, in the way swift-numerics puts
/// requirements in a protocol and their defaults in its extension.
///
/// A model surface never fails: it returns whatever its formula gives, and the
/// `Evaluator` that the algorithms call checks every result for finiteness, so that a
/// NaN is stopped in one place rather than in every kind. A surface computed by another
/// program can fail: it implements the throwing `evaluate…` requirements, which the
/// `Evaluator` calls and which default to the non-throwing ones, so model surfaces pay
/// nothing for the possibility.
public protocol Surface: Sendable {
  var dimension: Int { get }
  func energy(at point: Vector) -> Double
  func gradient(at point: Vector) -> Vector
  func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector)
  func hessian(at point: Vector) -> Matrix
  /// The energy, or why the surface cannot give it.
  func evaluateEnergy(at point: Vector) throws(EvaluationError) -> Double
  /// The energy and gradient, or why the surface cannot give them.
  func evaluateEnergyAndGradient(
    at point: Vector
  ) throws(EvaluationError) -> (energy: Double, gradient: Vector)
  /// The Hessian, or why the surface cannot give it.
  func evaluateHessian(at point: Vector) throws(EvaluationError) -> Matrix
  /// How the derivatives are obtained, for reports ("analytic" or "finite-difference").
  var derivativeSource: DerivativeSource { get }
  /// How many evaluations are worth running at once: 1 for a surface computed in this
  /// process (its arithmetic is faster than a thread's start), more for an engine that
  /// computes elsewhere (several i-PI clients, or subprocess jobs). The tracer traces both
  /// branches at once when this is above 1.
  var concurrentEvaluations: Int { get }
}

/// Where a surface's gradient and Hessian come from.
public enum DerivativeSource: String, Sendable, Equatable {
  case analytic
  case finiteDifference = "finite-difference"
}

extension Surface {
  public func gradient(at point: Vector) -> Vector {
    FiniteDifferences.gradient(at: point) { energy(at: $0) }
  }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    (energy(at: point), gradient(at: point))
  }

  /// Central differences of the gradient: 2n gradient evaluations, symmetrized.
  public func hessian(at point: Vector) -> Matrix {
    FiniteDifferences.hessian(at: point) { gradient(at: $0) }
  }

  public var derivativeSource: DerivativeSource { .finiteDifference }

  public var concurrentEvaluations: Int { 1 }

  public func evaluateEnergy(at point: Vector) throws(EvaluationError) -> Double {
    energy(at: point)
  }

  public func evaluateEnergyAndGradient(
    at point: Vector
  ) throws(EvaluationError) -> (energy: Double, gradient: Vector) {
    energyAndGradient(at: point)
  }

  public func evaluateHessian(at point: Vector) throws(EvaluationError) -> Matrix {
    hessian(at: point)
  }
}
