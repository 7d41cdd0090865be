/// How many times each quantity of a surface was evaluated.
public struct EvaluationCounts: Sendable, Equatable, CustomStringConvertible {
  /// Energy-only evaluations (line searches, acceptance tests without a gradient).
  public var energies = 0
  /// Gradient evaluations (each also yields the energy).
  public var gradients = 0
  /// Hessian evaluations, analytic or finite-difference alike.
  public var hessians = 0

  public init(energies: Int = 0, gradients: Int = 0, hessians: Int = 0) {
    self.energies = energies
    self.gradients = gradients
    self.hessians = hessians
  }

  /// Gradients plus each Hessian at its finite-difference price of 2n gradients: the
  /// currency in which methods that use Hessians are compared with gradient-only ones.
  public func gradientEquivalents(dimension: Int) -> Int { gradients + 2 * dimension * hessians }

  public static func + (lhs: EvaluationCounts, rhs: EvaluationCounts) -> EvaluationCounts {
    EvaluationCounts(
      energies: lhs.energies + rhs.energies, gradients: lhs.gradients + rhs.gradients,
      hessians: lhs.hessians + rhs.hessians)
  }

  public static func - (lhs: EvaluationCounts, rhs: EvaluationCounts) -> EvaluationCounts {
    EvaluationCounts(
      energies: lhs.energies - rhs.energies, gradients: lhs.gradients - rhs.gradients,
      hessians: lhs.hessians - rhs.hessians)
  }

  public var description: String {
    "\(gradients) gradient\(gradients == 1 ? "" : "s"), \(hessians) Hessian\(hessians == 1 ? "" : "s")"
  }
}

/// A surface value that went non-finite: the one place a NaN or an infinity is stopped.
public struct NonFiniteEvaluation: Error, Equatable, CustomStringConvertible {
  public enum Quantity: String, Sendable, Equatable {
    case energy, gradient, hessian
  }
  public var quantity: Quantity
  public var point: Vector

  public init(quantity: Quantity, point: Vector) {
    self.quantity = quantity
    self.point = point
  }

  public var description: String {
    "the \(quantity.rawValue) is not finite at \(point)"
  }
}

/// The counting, checking front of a surface that every algorithm evaluates through.
///
/// It counts each evaluation exactly (for reports and for tests of an algorithm's cost)
/// and refuses any non-finite result, so no NaN travels into a path or a file. It is a
/// value: an algorithm takes it `inout`, and the counts are those of that algorithm alone.
public struct Evaluator: Sendable {
  public let surface: any Surface
  public private(set) var counts = EvaluationCounts()

  public init(_ surface: any Surface) { self.surface = surface }

  public var dimension: Int { surface.dimension }

  public mutating func energy(at point: Vector) throws(NonFiniteEvaluation) -> Double {
    counts.energies += 1
    let energy = surface.energy(at: point)
    guard energy.isFinite else { throw NonFiniteEvaluation(quantity: .energy, point: point) }
    return energy
  }

  public mutating func energyAndGradient(
    at point: Vector
  ) throws(NonFiniteEvaluation) -> (energy: Double, gradient: Vector) {
    counts.gradients += 1
    let result = surface.energyAndGradient(at: point)
    guard result.energy.isFinite else {
      throw NonFiniteEvaluation(quantity: .energy, point: point)
    }
    guard result.gradient.isFinite else {
      throw NonFiniteEvaluation(quantity: .gradient, point: point)
    }
    return result
  }

  public mutating func hessian(at point: Vector) throws(NonFiniteEvaluation) -> Matrix {
    counts.hessians += 1
    let hessian = surface.hessian(at: point)
    guard hessian.isFinite else { throw NonFiniteEvaluation(quantity: .hessian, point: point) }
    return hessian
  }
}
