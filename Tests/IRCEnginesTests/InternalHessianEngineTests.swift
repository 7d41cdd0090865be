import Foundation
import IRCKit
import Testing

@testable import IRCEngines

/// Finite-difference Hessians of an engine along the internal directions only, through the
/// shipped ExtTool script (a Morse cluster in python3).
@Suite struct InternalHessianEngineTests {
  static let masses = [1.00782503223, 2.01410177812, 1.00782503223]

  /// A bent triatomic costs 2·(3N − 6) = 6 engine calls instead of 2·3N = 18, counted as
  /// such by the log, and gives the projected mass-weighted Hessian of the full 18-call one.
  @Test func aBentTriatomicTakesSixCallsAndMatchesTheFullHessian() throws {
    let log = EvaluationLog()
    let internalSurface = EngineSurface(
      engine: fakeEngine(), symbols: triatomic.symbols, log: log, jobs: 4, masses: Self.masses)
    let full = EngineSurface(
      engine: fakeEngine(), symbols: triatomic.symbols, log: EvaluationLog(), jobs: 6)
    let x = triatomic.positions
    let reduced = try internalSurface.evaluateHessian(at: x)
    #expect(log.statistics.engineCalls == 2 * (3 * 3 - 6))
    #expect(log.statistics.hessianGradientCalls == 6)
    #expect(log.statistics.finiteDifferenceHessians == 1)
    let projectedReduced = Self.projected(reduced, at: x)
    let projectedFull = Self.projected(try full.evaluateHessian(at: x), at: x)
    // Both are central differences with the same O(h²) step, along different directions.
    let error = (projectedReduced - projectedFull).maxMagnitude
    #expect(error < 1e-4 * projectedFull.maxMagnitude, "error \(error)")
  }

  /// A linear triatomic has 3N − 5 internal directions: 8 calls.
  @Test func aLinearTriatomicTakesEightCalls() throws {
    let log = EvaluationLog()
    let surface = EngineSurface(
      engine: fakeEngine(), symbols: triatomic.symbols, log: log, jobs: 4, masses: Self.masses)
    _ = try surface.evaluateHessian(at: [0, 0, 0, 1.06, 0, 0, 2.12, 0, 0])
    #expect(log.statistics.engineCalls == 8)
  }

  /// P M^−½ H M^−½ P, as `MassWeightedSurface` shows a Cartesian Hessian to the algorithms.
  static func projected(_ cartesian: Matrix, at x: Vector) -> Matrix {
    let roots = masses.flatMap { Array(repeating: $0.squareRoot(), count: 3) }
    var weighted = cartesian
    for i in 0..<x.count {
      for j in 0..<x.count { weighted[i, j] /= roots[i] * roots[j] }
    }
    return RigidBodyModes.project(
      weighted, removing: RigidBodyModes.vectors(at: x, masses: masses), shift: 0)
  }
}
