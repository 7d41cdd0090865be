import Foundation
import Testing

@testable import IRCKit

/// The two branches traced at once (for a surface that computes elsewhere) give the path of
/// the sequential trace bit for bit, report their steps in the same order, and really run
/// on two threads; a surface computed in this process, or an integrator that carries what
/// one branch learnt into the other, keeps the sequential trace.
struct ConcurrentBranchTests {
  /// Müller–Brown claiming `concurrency` evaluations at once, noting the thread of each.
  struct ThreadNotingSurface: Surface {
    let concurrency: Int
    let threads = ThreadLog()
    var dimension: Int { 2 }
    var derivativeSource: DerivativeSource { .analytic }
    var concurrentEvaluations: Int { concurrency }
    func energy(at point: Vector) -> Double { referenceMullerBrown.energy(at: point) }
    func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
      threads.note()
      return referenceMullerBrown.energyAndGradient(at: point)
    }
    func hessian(at point: Vector) -> Matrix {
      threads.note()
      return referenceMullerBrown.hessian(at: point)
    }
  }

  /// The distinct threads that evaluated, in order of first appearance.
  final class ThreadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [pthread_t] = []
    func note() {
      let me = pthread_self()
      lock.withLock { if !seen.contains(where: { pthread_equal($0, me) != 0 }) { seen.append(me) } }
    }
    var count: Int { lock.withLock { seen.count } }
  }

  struct Trace {
    var path: ReactionPath
    var steps: [(PathDirection, PathPoint)]
    var threads: Int
  }

  static func trace(_ method: PathMethod, concurrency: Int) throws -> Trace {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let settings = try TraceSettings(
      potential: potential, saddle: saddle, overrides: .init(stepLength: 0.02, method: method))
    let surface = ThreadNotingSurface(concurrency: concurrency)
    var steps: [(PathDirection, PathPoint)] = []
    let path = try settings.tracer().trace(from: saddle, on: surface) { steps.append(($0, $1)) }
    return Trace(path: path, steps: steps, threads: surface.threads.count)
  }

  static func bits(_ points: [PathPoint]) -> [UInt64] {
    points.flatMap { point in
      [point.energy.bitPattern, point.arcLength.bitPattern]
        + point.coordinates.map(\.bitPattern) + point.gradient.map(\.bitPattern)
    }
  }

  @Test(arguments: [PathMethod.euler, .rk4, .gs2, .lqa, .eulerpc, .adaptive])
  func bothBranchesAtOnceGiveTheSequentialPath(_ method: PathMethod) throws {
    let sequential = try Self.trace(method, concurrency: 1)
    let concurrent = try Self.trace(method, concurrency: 2)
    #expect(sequential.threads == 1)
    #expect(concurrent.threads == 2, "the backward branch ran on a thread of its own")
    for (a, b) in zip(sequential.path.branches, concurrent.path.branches) {
      #expect(a.termination == b.termination)
      #expect(a.counts == b.counts)
      #expect(a.rejectedSteps == b.rejectedSteps)
      #expect(Self.bits(a.points) == Self.bits(b.points))
    }
    #expect(sequential.path.forward.termination == .converged)
    #expect(sequential.path.backward.termination == .converged)
    // The observer sees the same steps in the same order: forward first, then backward.
    #expect(sequential.steps.map(\.0) == concurrent.steps.map(\.0))
    #expect(Self.bits(sequential.steps.map(\.1)) == Self.bits(concurrent.steps.map(\.1)))
  }

  /// The surrogate's backward branch starts with what the forward branch observed: the
  /// branches are not independent, so they stay one after the other on one thread.
  @Test func aSurrogateTracesItsBranchesInTurn() throws {
    let concurrent = try Self.trace(.surrogate, concurrency: 2)
    #expect(concurrent.threads == 1)
    let sequential = try Self.trace(.surrogate, concurrency: 1)
    #expect(
      Self.bits(sequential.path.orderedPoints.map(\.point))
        == Self.bits(concurrent.path.orderedPoints.map(\.point)))
  }
}
