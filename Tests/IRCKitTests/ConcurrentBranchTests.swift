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

  /// The distinct threads that evaluated: each gets a serial number in its own thread
  /// dictionary the first time it evaluates (a `pthread_t` or a `Thread`'s address may be
  /// reused as soon as its thread ends; a new thread's dictionary is always empty).
  final class ThreadLog: @unchecked Sendable {
    private let lock = NSLock()
    private let key = "ConcurrentBranchTests.thread.\(UUID())"
    private var serials = 0
    func note() {
      let dictionary = Thread.current.threadDictionary
      guard dictionary[key] == nil else { return }
      dictionary[key] = lock.withLock {
        serials += 1
        return serials
      }
    }
    var count: Int { lock.withLock { serials } }
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
    // The backward branch on a thread of its own, and the curved departure's second
    // gradient on another.
    let departureThreads = concurrent.path.departureCounts.gradients > 1 ? 1 : 0
    #expect(concurrent.threads == 2 + departureThreads)
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
    // Only the departure's second gradient ran on a thread of its own.
    #expect(concurrent.path.departureCounts.gradients == 2)
    #expect(concurrent.threads == 2)
    let sequential = try Self.trace(.surrogate, concurrency: 1)
    #expect(
      Self.bits(sequential.path.orderedPoints.map(\.point))
        == Self.bits(concurrent.path.orderedPoints.map(\.point)))
  }

  /// Müller–Brown, NaN beyond x = 10, claiming two evaluations at once.
  struct PoisonedSurface: Surface {
    var dimension: Int { 2 }
    var concurrentEvaluations: Int { 2 }
    func energy(at point: Vector) -> Double {
      point[0] > 10 ? .nan : referenceMullerBrown.energy(at: point)
    }
    func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
      (energy(at: point), referenceMullerBrown.gradient(at: point))
    }
  }

  /// Independent evaluations at once (the departure's two gradients) come back in order,
  /// counted, and a failure names the earliest failing point whatever finished first.
  @Test func independentEvaluationsAtOnceKeepTheirOrder() throws {
    let points: [Vector] = [[0, 0], [-0.5, 1.5], [0.6, 0.03]]
    var evaluator = Evaluator(PoisonedSurface())
    let results = try evaluator.energiesAndGradients(at: points)
    #expect(evaluator.counts.gradients == 3)
    for (point, result) in zip(points, results) {
      #expect(result.energy == referenceMullerBrown.energy(at: point))
      #expect(result.gradient == referenceMullerBrown.gradient(at: point))
    }
    #expect(throws: EvaluationError.nonFinite(.energy, at: [11, 0])) {
      _ = try evaluator.energiesAndGradients(at: [[0, 0], [11, 0], [12, 0]])
    }
  }
}
