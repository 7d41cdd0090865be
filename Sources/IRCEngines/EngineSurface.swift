import Dispatch
import Foundation
import IRCKit

/// An engine seen as a surface over the 3N Cartesian coordinates (Å) of its atoms, with
/// energies in hartree.
///
/// Every evaluation goes through the `log`, which answers a geometry it has seen from
/// memory or from a checkpoint and records every new one before it is used. The Hessian
/// is the central difference of gradients (no engine here gives a usable analytic one:
/// `xtb --hess` aborts on linear molecules), its gradients run `jobs` at a time. Given the
/// atoms' `masses`, it is taken along the 3N − 6 (3N − 5) internal directions only
/// (`InternalHessian`: 2·(3N − 6) calls, the rigid-body block zero), which is all that
/// the mass-weighted, projected algorithms read; without, along all 3N (2·3N calls).
///
/// References:
/// - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), §8.1: the
///   central difference of the gradient, error O(h²).
public struct EngineSurface: Surface {
  public let engine: any Engine
  public let symbols: [String]
  public let log: EvaluationLog
  /// How many engine calls a finite-difference Hessian runs at once.
  public let jobs: Int
  /// The atoms' masses (amu): set, Hessians are taken in the internal subspace.
  public var masses: [Double]?

  /// The displacement of a finite-difference Hessian: 0.005 bohr, the step of ORCA's
  /// NumFreq and of xtb's own numerical Hessian. Gradients from an SCF carry noise of
  /// about 1e-6 hartree/bohr, so the rounding-optimal step of an exact function
  /// (ε^⅓ ≈ 6e-6) would amplify it a thousandfold; at 0.005 bohr the noise adds about
  /// 1e-4 hartree/bohr² and the truncation error is of the same size.
  public static let hessianStep = 0.005 * AtomicUnits.bohr

  public init(
    engine: any Engine, symbols: [String], log: EvaluationLog, jobs: Int = 1,
    masses: [Double]? = nil
  ) {
    precondition(masses == nil || masses!.count == symbols.count, "one mass per atom")
    self.engine = engine
    self.symbols = symbols
    self.log = log
    self.jobs = max(1, jobs)
    self.masses = masses
  }

  public var dimension: Int { 3 * symbols.count }

  /// What the engine can run at once under `jobs` (see `Engine.concurrentCalls`).
  public var concurrentEvaluations: Int { engine.concurrentCalls(jobs: jobs) }

  /// Engine calls running now, across every thread that evaluates this surface.
  private let running = RunningCalls()

  /// One engine call, started once fewer than `jobs` are running (or as many as the engine
  /// serves at once, i-PI's clients, if more): the two branches traced at once, each
  /// computing a finite-difference Hessian, still run at most `jobs` programs together.
  private func call(at point: Vector) throws(EngineFailure) -> EngineResult {
    running.enter(jobs: jobs) { [engine, jobs] in engine.concurrentCalls(jobs: jobs) }
    defer { running.leave() }
    return try engine.evaluate(symbols: symbols, positions: point)
  }

  public func evaluateEnergyAndGradient(
    at point: Vector
  ) throws(EvaluationError) -> (energy: Double, gradient: Vector) {
    do {
      let result = try log.gradient(at: point) { () throws(EngineFailure) -> EngineResult in
        try call(at: point)
      }
      return (result.energy, result.gradient)
    } catch {
      throw .engine(error)
    }
  }

  public func evaluateEnergy(at point: Vector) throws(EvaluationError) -> Double {
    try evaluateEnergyAndGradient(at: point).energy
  }

  public func evaluateHessian(at point: Vector) throws(EvaluationError) -> Matrix {
    let displaced = displacements(at: point)
    do {
      return try log.hessian(at: point, gradientCalls: displaced.count) {
        () throws(EngineFailure) -> Matrix in
        let gradients = try self.gradients(at: displaced)
        guard let masses else { return Self.cartesianHessian(displaced, gradients) }
        return InternalHessian.hessian(
          at: point, masses: masses, step: Self.hessianStep, gradients: gradients)
      }
    } catch {
      throw .engine(error)
    }
  }

  /// The displaced geometries of a finite-difference Hessian at `point`, in pairs ±.
  public func displacements(at point: Vector) -> [Vector] {
    if let masses {
      return InternalHessian.displacements(at: point, masses: masses, step: Self.hessianStep)
    }
    return (0..<(2 * point.count)).map { index -> Vector in
      var q = point
      q[index / 2] += index % 2 == 0 ? Self.hessianStep : -Self.hessianStep
      return q
    }
  }

  /// The gradients at `points`, `jobs` at a time; the first failure (in the order of the
  /// points, so that a rerun names the same one) is thrown.
  private func gradients(at points: [Vector]) throws(EngineFailure) -> [Vector] {
    let results = ParallelMap.run(points, jobs: jobs) { q in
      Result { () throws(EngineFailure) -> EngineResult in
        try log.gradient(at: q) { () throws(EngineFailure) -> EngineResult in
          try call(at: q)
        }
      }
    }
    var gradients: [Vector] = []
    for result in results { gradients.append(try result.get().gradient) }
    return gradients
  }

  /// Columns (g(x + h eᵢ) − g(x − h eᵢ)) / 2h, symmetrised.
  private static func cartesianHessian(_ displaced: [Vector], _ gradients: [Vector]) -> Matrix {
    let n = gradients.first?.count ?? 0
    var matrix = Matrix.zero(n, n)
    for column in 0..<n {
      let width = displaced[2 * column][column] - displaced[2 * column + 1][column]
      for row in 0..<n {
        matrix[row, column] = (gradients[2 * column][row] - gradients[2 * column + 1][row]) / width
      }
    }
    return matrix.symmetrized
  }

  // A failed engine gives NaN here, which the `Evaluator` would stop; the algorithms call
  // the throwing requirements above, so these exist only to satisfy `Surface`.
  public func energy(at point: Vector) -> Double {
    (try? evaluateEnergy(at: point)) ?? .nan
  }

  public func gradient(at point: Vector) -> Vector {
    (try? evaluateEnergyAndGradient(at: point).gradient)
      ?? Vector(repeating: .nan, count: dimension)
  }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    (try? evaluateEnergyAndGradient(at: point))
      ?? (.nan, Vector(repeating: .nan, count: dimension))
  }

  public func hessian(at point: Vector) -> Matrix {
    (try? evaluateHessian(at: point))
      ?? Matrix(
        rows: dimension, columns: dimension,
        entries: Array(repeating: .nan, count: dimension * dimension))
  }
}

/// A count of calls in flight that makes a new one wait while `jobs` are, unless the engine
/// serves more at once (asked only then: an i-PI server's count accepts newcomers, a
/// system call that an evaluation below the limit is spared).
final class RunningCalls: @unchecked Sendable {
  private let condition = NSCondition()
  private var count = 0

  func enter(jobs: Int, served: () -> Int) {
    condition.lock()
    while count >= jobs && count >= served() { condition.wait() }
    count += 1
    condition.unlock()
  }

  func leave() {
    condition.lock()
    count -= 1
    condition.broadcast()
    condition.unlock()
  }
}

/// `map` over independent, slow work items, `jobs` at a time, results in input order.
/// Each job is a thread of its own rather than a `concurrentPerform` iteration, which runs
/// only about as many at once as there are cores: the work is waiting on engines (other
/// processes, or i-PI clients on other machines), so `jobs` may well exceed the cores.
enum ParallelMap {
  static func run<Input: Sendable, Output: Sendable>(
    _ inputs: [Input], jobs: Int, _ transform: @escaping @Sendable (Input) -> Output
  ) -> [Output] {
    guard jobs > 1, inputs.count > 1 else { return inputs.map(transform) }
    let state = Locked((next: 0, results: [Output?](repeating: nil, count: inputs.count)))
    let group = DispatchGroup()
    for _ in 0..<min(jobs, inputs.count) {
      group.enter()
      Thread {
        defer { group.leave() }
        while true {
          let index = state.withLock { value -> Int in
            defer { value.next += 1 }
            return value.next
          }
          guard index < inputs.count else { return }
          let output = transform(inputs[index])
          state.withLock { $0.results[index] = output }
        }
      }.start()
    }
    group.wait()
    return state.withLock { $0.results.map { $0! } }
  }
}
