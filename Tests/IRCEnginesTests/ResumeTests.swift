import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// A model surface behind the `Engine` door, failing (as a killed or broken engine would)
/// once it has answered `limit` calls.
final class ModelEngine: Engine, @unchecked Sendable {
  let surface: any Surface
  let limit: Int?
  private let lock = NSLock()
  private var calls = 0

  init(_ surface: any Surface, failingAfter limit: Int? = nil) {
    self.surface = surface
    self.limit = limit
  }

  var name: String { "model" }
  var callCount: Int { lock.withLock { calls } }

  func evaluate(symbols: [String], positions: Vector) throws(EngineFailure) -> EngineResult {
    let count = lock.withLock {
      calls += 1
      return calls
    }
    if let limit, count > limit {
      throw EngineFailure(
        engine: name, cause: .signal(SIGKILL), symbols: symbols, positions: positions)
    }
    let (energy, gradient) = surface.energyAndGradient(at: positions)
    return EngineResult(energy: energy, gradient: gradient)
  }
}

/// `--checkpoint` end to end in the library: a run stopped by its engine, rerun with the
/// same checkpoint, traces the path of an uninterrupted run bit for bit while asking the
/// engine only for what was not recorded.
@Suite struct ResumeTests {
  struct Run {
    var path: ReactionPath
    var statistics: EngineStatistics
  }

  static func trace(_ engine: ModelEngine, checkpoint: String?) throws -> Run {
    let text = try String(
      contentsOf: enginePackageRoot.appendingPathComponent("potentials/h3-leps.json"),
      encoding: .utf8)
    let potential = try Potential(decoding: text, file: "h3-leps.json")
    let molecule = try #require(potential.molecule)
    let file = try checkpoint.map { path throws(CheckpointError) in
      try CheckpointFile(path: path, fingerprint: [("surface", "h3-leps")])
    }
    let log = EvaluationLog(checkpoint: file)
    let cartesian = EngineSurface(engine: engine, symbols: molecule.symbols, log: log, jobs: 2)
    let surface = MassWeightedSurface(cartesian, masses: molecule.masses)
    var evaluator = Evaluator(surface)
    let start = surface.massWeighted(try #require(potential.point(labelled: "TS")).coordinates)
    let saddle = try StationaryPoint(at: start, on: &evaluator)
    let options = try TraceOptions(stepLength: 0.05, gradientTolerance: 1e-3, maxSteps: 25)
    let path = try IRCTracer(options: options).trace(from: saddle, on: surface)
    return Run(path: path, statistics: log.statistics)
  }

  static func bits(_ path: ReactionPath) -> [UInt64] {
    path.orderedPoints.flatMap { entry in
      let point = entry.point
      return [point.energy.bitPattern, point.arcLength.bitPattern]
        + point.coordinates.map(\.bitPattern) + point.gradient.map(\.bitPattern)
    }
  }

  @Test func anInterruptedRunResumedFromItsCheckpointIsTheUninterruptedOne() throws {
    let surface = try #require(
      try Potential(
        decoding: String(
          contentsOf: enginePackageRoot.appendingPathComponent("potentials/h3-leps.json"),
          encoding: .utf8), file: "h3-leps.json"
      ).cartesianSurface as (any Surface)?)
    let whole = try Self.trace(ModelEngine(surface), checkpoint: nil)
    let total = whole.statistics.engineCalls
    #expect(whole.path.forward.termination == .maxSteps)

    let path = try ScratchFolder.make().appendingPathComponent("h3.checkpoint").path
    // Killed in the backward branch: the path so far is kept, its branch marked.
    let limit = total - 10
    let broken = try Self.trace(ModelEngine(surface, failingAfter: limit), checkpoint: path)
    #expect(broken.path.backward.termination.name == "engine-failed")
    // Calls run in parallel inside a Hessian may fail together.
    #expect(broken.statistics.engineCalls == limit && broken.statistics.failures >= 1)

    let resumedEngine = ModelEngine(surface)
    let resumed = try Self.trace(resumedEngine, checkpoint: path)
    #expect(Self.bits(resumed.path) == Self.bits(whole.path))
    #expect(resumed.path.backward.termination == whole.path.backward.termination)
    #expect(resumedEngine.callCount == total - limit)
    #expect(resumed.statistics.engineCalls == total - limit)
    #expect(resumed.statistics.gradientCalls == total)
  }
}
