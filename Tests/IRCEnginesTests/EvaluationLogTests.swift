import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// An engine inside the test process: V = ½ xᵀAx + bᵀx with A symmetric, so the
/// central difference of its gradient is A up to rounding, and it counts its calls.
final class QuadraticEngine: Engine, @unchecked Sendable {
  let matrix: Matrix
  let linear: Vector
  let failAt: ((Vector) -> Bool)?
  private let calls = NSLock()
  private var count = 0

  init(dimension: Int, seed: UInt64, failAt: ((Vector) -> Bool)? = nil) {
    var generator = SeededGenerator(seed: seed)
    var a = Matrix.zero(dimension, dimension)
    for row in 0..<dimension {
      for column in row..<dimension {
        let value = Double.random(in: -1...1, using: &generator)
        a[row, column] = value
        a[column, row] = value
      }
    }
    matrix = a
    linear = Vector((0..<dimension).map { _ in Double.random(in: -1...1, using: &generator) })
    self.failAt = failAt
  }

  var name: String { "quadratic" }
  var callCount: Int { calls.withLock { count } }

  func evaluate(symbols: [String], positions: Vector) throws(EngineFailure) -> EngineResult {
    calls.withLock { count += 1 }
    if let failAt, failAt(positions) {
      throw EngineFailure(
        engine: name, cause: .exitStatus(1), stderrTail: ["no"], symbols: symbols,
        positions: positions)
    }
    let ax = matrix * positions
    return EngineResult(
      energy: 0.5 * positions.dot(ax) + linear.dot(positions), gradient: ax + linear)
  }
}

@Suite struct EvaluationLogTests {
  static let symbols = ["H", "H"]

  @Test func askedTwiceAGeometryIsComputedOnce() throws {
    let engine = QuadraticEngine(dimension: 6, seed: 1)
    let log = EvaluationLog()
    let surface = EngineSurface(engine: engine, symbols: Self.symbols, log: log)
    let point: Vector = [0.1, 0.2, 0.3, 1.1, 0.2, -0.3]
    let first = try surface.evaluateEnergyAndGradient(at: point)
    let second = try surface.evaluateEnergyAndGradient(at: point)
    #expect(first.energy == second.energy && first.gradient == second.gradient)
    #expect(engine.callCount == 1)
    #expect(log.statistics.engineCalls == 1 && log.statistics.repeatedGradients == 1)
  }

  /// The finite-difference Hessian of a quadratic is its matrix; run 4 at a time it is the
  /// serial one bit for bit, and it costs exactly 2·3N engine calls.
  @Test(arguments: [1, 4])
  func finiteDifferenceHessianOfAQuadraticIsItsMatrix(jobs: Int) throws {
    let engine = QuadraticEngine(dimension: 6, seed: 7)
    let log = EvaluationLog()
    let surface = EngineSurface(engine: engine, symbols: Self.symbols, log: log, jobs: jobs)
    let point: Vector = [0.1, 0.2, 0.3, 1.1, 0.2, -0.3]
    let hessian = try surface.evaluateHessian(at: point)
    #expect((hessian - engine.matrix).maxMagnitude < 1e-9)
    #expect(engine.callCount == 12)
    #expect(log.statistics.finiteDifferenceHessians == 1)
    let serial = try EngineSurface(engine: engine, symbols: Self.symbols, log: EvaluationLog())
      .evaluateHessian(at: point)
    #expect(hessian == serial)
  }

  @Test func aFailedCallIsCountedTypedAndNotRecorded() throws {
    let engine = QuadraticEngine(dimension: 6, seed: 3) { $0[0] > 1 }
    let log = EvaluationLog()
    let surface = EngineSurface(engine: engine, symbols: Self.symbols, log: log)
    let point: Vector = [2, 0, 0, 0, 0, 0]
    for _ in 0..<2 {
      #expect(
        throws: EvaluationError.engine(
          EngineFailure(
            engine: "quadratic", cause: .exitStatus(1), stderrTail: ["no"],
            symbols: Self.symbols, positions: point))
      ) { try surface.evaluateEnergyAndGradient(at: point) }
    }
    // Tried again on the second request: a failure is never cached as a value.
    #expect(engine.callCount == 2)
    #expect(log.statistics.failures == 2 && log.statistics.engineCalls == 0)
  }
}
