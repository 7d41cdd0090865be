import Foundation

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

/// The counting, checking front of a surface that every algorithm evaluates through.
///
/// It counts each evaluation exactly (for reports and for tests of an algorithm's cost)
/// and refuses any non-finite result, so no NaN travels into a path or a file. It calls
/// the surface's throwing requirements, so an engine's failure reaches the algorithm as
/// an `EvaluationError` (and is counted like any other call). It is a
/// value: an algorithm takes it `inout`, and the counts are those of that algorithm alone.
public struct Evaluator: Sendable {
  public let surface: any Surface
  public private(set) var counts = EvaluationCounts()

  public init(_ surface: any Surface) { self.surface = surface }

  public var dimension: Int { surface.dimension }

  public mutating func energy(at point: Vector) throws(EvaluationError) -> Double {
    counts.energies += 1
    let energy = try surface.evaluateEnergy(at: point)
    guard energy.isFinite else { throw EvaluationError.nonFinite(.energy, at: point) }
    return energy
  }

  public mutating func energyAndGradient(
    at point: Vector
  ) throws(EvaluationError) -> (energy: Double, gradient: Vector) {
    counts.gradients += 1
    let result = try surface.evaluateEnergyAndGradient(at: point)
    guard result.energy.isFinite else {
      throw EvaluationError.nonFinite(.energy, at: point)
    }
    guard result.gradient.isFinite else {
      throw EvaluationError.nonFinite(.gradient, at: point)
    }
    return result
  }

  /// The energies and gradients at independent `points`, in order: all at once on a
  /// surface that computes elsewhere (`concurrentEvaluations` > 1), else one after the
  /// other. The error thrown is that of the earliest point that failed, so that a rerun
  /// names the same one whatever the timing.
  public mutating func energiesAndGradients(
    at points: [Vector]
  ) throws(EvaluationError) -> [(energy: Double, gradient: Vector)] {
    guard surface.concurrentEvaluations > 1, points.count > 1 else {
      var results: [(energy: Double, gradient: Vector)] = []
      for point in points { results.append(try energyAndGradient(at: point)) }
      return results
    }
    counts.gradients += points.count
    let outcomes = Self.concurrently(points) { [surface] point in
      var evaluator = Evaluator(surface)
      return Result { () throws(EvaluationError) in try evaluator.energyAndGradient(at: point) }
    }
    return try outcomes.map { outcome throws(EvaluationError) in try outcome.get() }
  }

  /// `transform` of every input, each on a thread of its own but the first: the work waits
  /// on another process or machine, not on this one's cores.
  private static func concurrently<Output: Sendable>(
    _ inputs: [Vector], _ transform: @escaping @Sendable (Vector) -> Output
  ) -> [Output] {
    let slots = ConcurrentSlots<Output>(count: inputs.count)
    for index in inputs.indices.dropFirst() {
      Thread { slots.set(index, transform(inputs[index])) }.start()
    }
    slots.set(0, transform(inputs[0]))
    return slots.waitForAll()
  }

  public mutating func hessian(at point: Vector) throws(EvaluationError) -> Matrix {
    counts.hessians += 1
    let hessian = try surface.evaluateHessian(at: point)
    guard hessian.isFinite else { throw EvaluationError.nonFinite(.hessian, at: point) }
    return hessian
  }
}

/// Results written by several threads, read once every one has been written.
private final class ConcurrentSlots<Output>: @unchecked Sendable {
  private let condition = NSCondition()
  private var slots: [Output?]
  private var filled = 0

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: Output) {
    condition.lock()
    slots[index] = value
    filled += 1
    condition.broadcast()
    condition.unlock()
  }

  func waitForAll() -> [Output] {
    condition.lock()
    defer { condition.unlock() }
    while filled < slots.count { condition.wait() }
    return slots.map { $0! }
  }
}
