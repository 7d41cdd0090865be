import Dispatch
import Foundation
import IRCKit

/// Every evaluation of an engine, recorded once at the seam between the algorithms and
/// the engine: asked twice at one geometry, computed once; counted; timed; and, with a
/// checkpoint, written to disk before the value is used and replayed on a rerun.
///
/// Geometries are matched by their exact bits: a resumed run asks for bit-identical
/// geometries (every step is a deterministic function of earlier answers), and any other
/// match would hand back a value for a geometry that was never evaluated. Matching by
/// geometry rather than by position is also what lets the two branches, traced at once,
/// interleave their records in any order: a rerun finds each one whatever the order.
public final class EvaluationLog: @unchecked Sendable {
  /// A geometry's bit patterns: equal keys are the same geometry, bit for bit.
  struct Key: Hashable {
    var bits: [UInt64]
    init(_ point: Vector) { bits = point.components.map(\.bitPattern) }
  }

  private struct State {
    var gradients: [Key: (result: EngineResult, replay: Bool)] = [:]
    var hessians: [Key: (hessian: Matrix, replay: Bool)] = [:]
    var statistics = EngineStatistics()
    var lastFailure: EngineFailure?
    /// Engine calls in flight, and since when at least one has been.
    var inFlight = 0
    var busySince: UInt64 = 0
  }

  private let state = Locked(State())
  private let inFlight = InFlightKeys()
  private let checkpoint: CheckpointFile?

  /// A log in memory, or on `checkpoint` whose recorded evaluations are replayed first.
  public init(checkpoint: CheckpointFile? = nil) {
    self.checkpoint = checkpoint
    guard let checkpoint else { return }
    state.withLock { state in
      for record in checkpoint.recorded {
        switch record {
        case .gradient(let point, let result):
          state.gradients[Key(point)] = (result, true)
        case .hessian(let point, let hessian):
          state.hessians[Key(point)] = (hessian, true)
        }
      }
    }
  }

  /// What the log has counted so far.
  public var statistics: EngineStatistics { state.withLock { $0.statistics } }

  /// The most recent failed call, for the report (its geometry and stderr tail).
  public var lastFailure: EngineFailure? { state.withLock { $0.lastFailure } }

  /// The energy and gradient at `point`: recorded, or computed by `compute`, recorded and
  /// then returned. Failures are counted and never recorded, so a rerun tries again.
  public func gradient(
    at point: Vector, compute: () throws(EngineFailure) -> EngineResult
  ) throws(EngineFailure) -> EngineResult {
    let key = Key(point)
    if let known = knownGradient(key) { return known }
    // Two threads (the two branches) asking for one geometry at once compute it once, as a
    // sequential run would: the second waits for the first and reads its answer.
    while !inFlight.claim(key) {
      if let known = knownGradient(key) { return known }
    }
    defer { inFlight.release(key) }
    if let known = knownGradient(key) { return known }
    begin()
    let result: EngineResult
    do {
      result = try compute()
    } catch {
      end(failed: true)
      state.withLock { $0.lastFailure = error }
      throw error
    }
    try record(.gradient(point, result), at: point)
    end(failed: false)
    state.withLock { state in
      state.gradients[key] = (result, false)
      state.statistics.engineCalls += 1
    }
    return result
  }

  private func knownGradient(_ key: Key) -> EngineResult? {
    state.withLock { state -> EngineResult? in
      guard let entry = state.gradients[key] else { return nil }
      if entry.replay {
        state.statistics.replayedGradients += 1
        state.gradients[key]?.replay = false
      } else {
        state.statistics.repeatedGradients += 1
      }
      return entry.result
    }
  }

  /// The Hessian at `point`: recorded, or obtained by `compute` (whose `gradientCalls`
  /// gradients are recorded one by one as they arrive) and recorded.
  public func hessian(
    at point: Vector, gradientCalls: Int, compute: () throws(EngineFailure) -> Matrix
  ) throws(EngineFailure) -> Matrix {
    let key = Key(point)
    if let known = knownHessian(key, gradientCalls: gradientCalls) { return known }
    while !inFlight.claim(key, hessian: true) {
      if let known = knownHessian(key, gradientCalls: gradientCalls) { return known }
    }
    defer { inFlight.release(key, hessian: true) }
    if let known = knownHessian(key, gradientCalls: gradientCalls) { return known }
    let hessian = try compute()
    try record(.hessian(point, hessian), at: point)
    state.withLock { state in
      state.hessians[key] = (hessian, false)
      state.statistics.finiteDifferenceHessians += 1
      state.statistics.hessianGradientCalls += gradientCalls
    }
    return hessian
  }

  private func knownHessian(_ key: Key, gradientCalls: Int) -> Matrix? {
    state.withLock { state -> Matrix? in
      guard let entry = state.hessians[key] else { return nil }
      if entry.replay {
        // Its gradients were engine calls of the run that recorded it: they count as
        // replayed, so a resumed run reports the cost of an uninterrupted one.
        state.statistics.replayedHessians += 1
        state.statistics.replayedGradients += gradientCalls
        state.statistics.hessianGradientCalls += gradientCalls
        state.hessians[key]?.replay = false
      } else {
        state.statistics.repeatedHessians += 1
      }
      return entry.hessian
    }
  }

  private func record(_ record: CheckpointRecord, at point: Vector) throws(EngineFailure) {
    guard let checkpoint else { return }
    do {
      try checkpoint.append(record)
    } catch {
      throw EngineFailure(
        engine: "checkpoint", cause: .checkpoint("\(error)"), symbols: [], positions: point)
    }
  }

  private func begin() {
    let now = DispatchTime.now().uptimeNanoseconds
    state.withLock { state in
      if state.inFlight == 0 { state.busySince = now }
      state.inFlight += 1
    }
  }

  private func end(failed: Bool) {
    let now = DispatchTime.now().uptimeNanoseconds
    state.withLock { state in
      state.inFlight -= 1
      if state.inFlight == 0 {
        state.statistics.engineSeconds += Double(now - state.busySince) / 1e9
      }
      if failed { state.statistics.failures += 1 }
    }
  }
}

/// What an `EvaluationLog` counted: the cost of a run in engine calls.
public struct EngineStatistics: Sendable, Equatable {
  /// Gradients the engine computed in this run.
  public var engineCalls = 0
  /// Gradients answered from the checkpoint of an earlier run.
  public var replayedGradients = 0
  /// Gradients asked for again in this run, answered from memory.
  public var repeatedGradients = 0
  /// Engine calls that failed.
  public var failures = 0
  /// Hessians obtained by central differences of gradients in this run.
  public var finiteDifferenceHessians = 0
  /// Hessians answered from the checkpoint.
  public var replayedHessians = 0
  /// Hessians asked for again in this run, answered from memory.
  public var repeatedHessians = 0
  /// The gradient calls of the finite-difference Hessians (computed and replayed), part of
  /// `gradientCalls`.
  public var hessianGradientCalls = 0
  /// Wall time (s) during which at least one engine call was running.
  public var engineSeconds = 0.0

  public init() {}

  /// The gradients an uninterrupted run would have computed: new ones plus replayed ones.
  public var gradientCalls: Int { engineCalls + replayedGradients }
}

/// The geometries being computed now, so that a second request for one waits for the first.
private final class InFlightKeys: @unchecked Sendable {
  private let condition = NSCondition()
  private var keys: Set<EvaluationLog.Key> = []
  private var hessianKeys: Set<EvaluationLog.Key> = []

  /// True when the caller now computes `key`; false after waiting for another thread that
  /// was computing it (the caller then looks for its answer, and claims again if it failed).
  func claim(_ key: EvaluationLog.Key, hessian: Bool = false) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    guard (hessian ? hessianKeys : keys).contains(key) else {
      if hessian { hessianKeys.insert(key) } else { keys.insert(key) }
      return true
    }
    while (hessian ? hessianKeys : keys).contains(key) { condition.wait() }
    return false
  }

  func release(_ key: EvaluationLog.Key, hessian: Bool = false) {
    condition.lock()
    if hessian { hessianKeys.remove(key) } else { keys.remove(key) }
    condition.broadcast()
    condition.unlock()
  }
}
