import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// Evaluations asked for from two threads at once (the two branches traced at once): one
/// geometry asked for twice is computed once, as a sequential run would, and the surface
/// reports how many evaluations its engine can run at once.
struct ConcurrentEvaluationTests {
  /// Two threads ask for one geometry while the first call is still running: the engine is
  /// called once, the second request is answered from memory with the same bits.
  @Test func oneGeometryAskedForTwiceAtOnceIsComputedOnce() throws {
    let log = EvaluationLog()
    let point: Vector = [0.25, -0.5, 1]
    let started = DispatchSemaphore(value: 0)
    let calls = Locked(0)
    let compute: @Sendable () throws(EngineFailure) -> EngineResult = {
      calls.withLock { $0 += 1 }
      started.signal()
      // Long enough for the other thread to ask while this call is in flight.
      usleep(100_000)
      return EngineResult(energy: 1.5, gradient: [1, 2, 3])
    }
    let results = Locked<[EngineResult]>([])
    let done = DispatchSemaphore(value: 0)
    Thread {
      let result = try? log.gradient(at: point, compute: compute)
      results.withLock { $0 += result.map { [$0] } ?? [] }
      done.signal()
    }.start()
    started.wait()
    let second = try log.gradient(at: point, compute: compute)
    done.wait()
    #expect(calls.withLock { $0 } == 1)
    #expect(results.withLock { $0 } == [second])
    #expect(log.statistics.engineCalls == 1)
    #expect(log.statistics.repeatedGradients == 1)
  }

  /// A failed call is not an answer: the request that waited for it computes again.
  @Test func aWaiterRetriesAfterAFailedCall() throws {
    let log = EvaluationLog()
    let point: Vector = [1, 1, 1]
    let started = DispatchSemaphore(value: 0)
    let failure = EngineFailure(
      engine: "test", cause: .exitStatus(1), symbols: ["H"], positions: point)
    let done = DispatchSemaphore(value: 0)
    Thread {
      _ = try? log.gradient(at: point) { () throws(EngineFailure) -> EngineResult in
        started.signal()
        usleep(100_000)
        throw failure
      }
      done.signal()
    }.start()
    started.wait()
    let result = try log.gradient(at: point) { () throws(EngineFailure) -> EngineResult in
      EngineResult(energy: 2, gradient: [0, 0, 0])
    }
    done.wait()
    #expect(result.energy == 2)
    #expect(log.statistics.failures == 1 && log.statistics.engineCalls == 1)
  }

  /// The capability the tracer reads: jobs for a program started per call, the connected
  /// clients for i-PI, 1 for an engine computing in this process.
  @Test func theSurfaceSaysHowManyEvaluationsRunAtOnce() throws {
    let symbols = ["H", "H", "H"]
    let external = EngineSurface(
      engine: fakeEngine(), symbols: symbols, log: EvaluationLog(), jobs: 3)
    #expect(external.concurrentEvaluations == 3)
    let inProcess = EngineSurface(
      engine: QuadraticEngine(dimension: 9, seed: 1), symbols: symbols, log: EvaluationLog(),
      jobs: 3)
    #expect(inProcess.concurrentEvaluations == 1)
    let engine = try IPIEngine(address: .unix(name: uniqueSocketName("capability")), timeout: 10)
    defer { engine.shutDown() }
    let socket = EngineSurface(engine: engine, symbols: symbols, log: EvaluationLog(), jobs: 8)
    let weighted = MassWeightedSurface(socket, masses: [1, 1, 1])
    #expect(weighted.concurrentEvaluations == 1)
    let clients = try (0..<2).map { _ in try LJClient(address: engine.server.address, []) }
    try engine.server.waitForClients(2)
    #expect(weighted.concurrentEvaluations == 2)
    engine.shutDown()
    for client in clients { #expect(client.finish().status == 0) }
  }

  /// An engine started per call (like xtb), slow, noting how many of its calls overlap.
  final class OverlapEngine: Engine, @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var peak = 0
    var name: String { "overlap" }
    func concurrentCalls(jobs: Int) -> Int { jobs }
    func evaluate(symbols: [String], positions: Vector) throws(EngineFailure) -> EngineResult {
      lock.withLock {
        running += 1
        peak = max(peak, running)
      }
      usleep(2000)
      lock.withLock { running -= 1 }
      return EngineResult(energy: positions.dot(positions), gradient: 2 * positions)
    }
  }

  /// A Hessian (2·3N gradients, `jobs` at a time) and two other threads' gradients at the
  /// same moment, as when both branches are traced at once: never more than `jobs` calls.
  @Test func callsNeverExceedJobsAcrossThreads() {
    let engine = OverlapEngine()
    let surface = EngineSurface(
      engine: engine, symbols: ["H", "H"], log: EvaluationLog(), jobs: 2)
    let done = DispatchSemaphore(value: 0)
    for offset in 1...2 {
      Thread {
        for step in 0..<10 {
          _ = try? surface.evaluateEnergyAndGradient(
            at: Vector(repeating: Double(offset * 100 + step), count: 6))
        }
        done.signal()
      }.start()
    }
    _ = try? surface.evaluateHessian(at: Vector(repeating: 0.5, count: 6))
    done.wait()
    done.wait()
    #expect(engine.peak == 2)
  }
}
