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
}
