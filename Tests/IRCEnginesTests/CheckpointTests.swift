import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// `--checkpoint` files: exact replay, a torn last line survived, other runs refused.
@Suite struct CheckpointTests {
  static let fingerprint: [(name: String, value: String)] = [
    ("surface", "abc"), ("start", "0 0 0"), ("method", "eulerpc"),
  ]

  func temporaryPath() throws -> String {
    try ScratchFolder.make().appendingPathComponent("run.checkpoint").path
  }

  /// Values come back bit for bit (including −0 and a subnormal), and a second run asks
  /// the engine nothing it recorded.
  @Test func aRerunReplaysEveryRecordedValueExactly() throws {
    let path = try temporaryPath()
    let engine = QuadraticEngine(dimension: 6, seed: 2)
    let points: [Vector] = [
      [0.1, 0.2, 0.3, 1.1, 0.2, -0.3], [-0.0, 5e-324, 1 / 3, 2, 0, 1e300],
    ]
    var first: [EngineResult] = []
    var hessian: Matrix
    do {
      let log = EvaluationLog(
        checkpoint: try CheckpointFile(path: path, fingerprint: Self.fingerprint))
      let surface = EngineSurface(engine: engine, symbols: ["H", "H"], log: log, jobs: 2)
      for point in points {
        let (energy, gradient) = try surface.evaluateEnergyAndGradient(at: point)
        first.append(EngineResult(energy: energy, gradient: gradient))
      }
      hessian = try surface.evaluateHessian(at: points[0])
      #expect(log.statistics.engineCalls == 14)
    }
    let calls = engine.callCount
    let log = EvaluationLog(
      checkpoint: try CheckpointFile(path: path, fingerprint: Self.fingerprint))
    let surface = EngineSurface(engine: engine, symbols: ["H", "H"], log: log)
    for (point, expected) in zip(points, first) {
      let (energy, gradient) = try surface.evaluateEnergyAndGradient(at: point)
      #expect(energy.bitPattern == expected.energy.bitPattern)
      #expect(gradient.map(\.bitPattern) == expected.gradient.map(\.bitPattern))
    }
    #expect(
      try surface.evaluateHessian(at: points[0]).entries.map(\.bitPattern)
        == hessian.entries.map(\.bitPattern))
    #expect(engine.callCount == calls)
    #expect(log.statistics.replayedGradients == 2 && log.statistics.replayedHessians == 1)
    #expect(log.statistics.engineCalls == 0)
  }

  /// A kill while a record is being written leaves a torn last line: it is dropped, the
  /// file cut back, and the next record lands on a line of its own.
  @Test func aTornLastLineIsDroppedAndOverwritten() throws {
    let path = try temporaryPath()
    let good = CheckpointRecord.gradient(
      [1, 2, 3], EngineResult(energy: -1, gradient: [0.5, 0, 0]))
    let next = CheckpointRecord.gradient(
      [4, 5, 6], EngineResult(energy: -2, gradient: [0, 0.5, 0]))
    try CheckpointFile(path: path, fingerprint: Self.fingerprint).append(good)
    let torn = CheckpointFile.line(for: next).prefix(30)
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(torn.utf8))
    try handle.close()
    let resumed = try CheckpointFile(path: path, fingerprint: Self.fingerprint)
    #expect(resumed.recorded == [good])
    try resumed.append(next)
    #expect(try CheckpointFile(path: path, fingerprint: Self.fingerprint).recorded == [good, next])
  }

  @Test func aCheckpointOfAnotherRunIsRefusedNamingWhatDiffers() throws {
    let path = try temporaryPath()
    _ = try CheckpointFile(path: path, fingerprint: Self.fingerprint)
    let other: [(name: String, value: String)] = [
      ("surface", "abd"), ("start", "0 0 0"), ("method", "hpc"),
    ]
    #expect(throws: CheckpointError.mismatch(path: path, differing: ["surface", "method"])) {
      try CheckpointFile(path: path, fingerprint: other)
    }
    let notOne = try temporaryPath()
    try "hello\n".write(toFile: notOne, atomically: true, encoding: .utf8)
    #expect(throws: CheckpointError.notACheckpoint(path: notOne)) {
      try CheckpointFile(path: notOne, fingerprint: Self.fingerprint)
    }
  }

  @Test func aDamagedRecordBeforeTheLastLineIsAnError() throws {
    let path = try temporaryPath()
    let file = try CheckpointFile(path: path, fingerprint: Self.fingerprint)
    let record = CheckpointRecord.gradient(
      [1, 2, 3], EngineResult(energy: -1, gradient: [0, 0, 0]))
    try file.append(record)
    try file.append(record)
    var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    lines[1] = "g 3 zz"
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: CheckpointError.corrupt(path: path, line: 2)) {
      try CheckpointFile(path: path, fingerprint: Self.fingerprint)
    }
  }
}
