import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// The `external` kind through the shipped fake engine: the protocol, its units, and every
/// failure mapped to its exact typed cause.
@Suite struct ExtToolEngineTests {
  /// The gradient read from `.engrad` (hartree/bohr, converted to hartree/Å) is the slope
  /// of the energies the same engine returns: protocol and units agree.
  @Test func gradientMatchesDifferencesOfEnergies() throws {
    let engine = fakeEngine()
    let (symbols, x) = triatomic
    let result = try engine.evaluate(symbols: symbols, positions: x)
    var generator = SeededGenerator(seed: 11)
    for _ in 0..<2 {
      let direction = Vector((0..<9).map { _ in Double.random(in: -1...1, using: &generator) })
        .normalized
      let slope = try centralDifference(along: direction, at: x, step: 1e-4) {
        try engine.evaluate(symbols: symbols, positions: $0).energy
      }
      #expect(abs(slope - result.gradient.dot(direction)) < 1e-7, "seed 11")
    }
  }

  static let faults: [(mode: String, cause: EngineFailure.Cause)] = [
    ("exit", .exitStatus(3)),
    ("garbage", .unreadableOutput("irc_EXT.engrad line 12: \"this\" is not a number")),
    ("nan", .nonFiniteOutput),
    ("atoms", .wrongAtomCount(expected: 3, found: 4)),
    (
      "short",
      .unreadableOutput(
        "irc_EXT.engrad ends after 10 numbers; 11 expected (the atom count, the energy, 3 × 3 "
          + "gradient components)")
    ),
    ("nofile", .unreadableOutput("the program wrote no irc_EXT.engrad file")),
  ]

  @Test(arguments: 0..<faults.count)
  func eachFaultIsItsTypedCause(index: Int) throws {
    let (mode, cause) = Self.faults[index]
    let (symbols, x) = triatomic
    do {
      _ = try fakeEngine(["IRC_FAKE_ENGINE": mode]).evaluate(symbols: symbols, positions: x)
      Issue.record("the fault \(mode) was not reported")
    } catch {
      #expect(error.cause == cause)
      #expect(error.engine == "external" && error.positions == x && error.symbols == symbols)
      if mode == "exit" { #expect(error.stderrTail == ["morse-engine: SCF did not converge"]) }
    }
  }

  @Test func stderrNoiseIsHarmlessAndItsTailIsBounded() throws {
    let (symbols, x) = triatomic
    let quiet = try fakeEngine().evaluate(symbols: symbols, positions: x)
    let noisy = try fakeEngine(["IRC_FAKE_ENGINE": "noise"]).evaluate(
      symbols: symbols, positions: x)
    #expect(quiet == noisy)
    let folder = try ScratchFolder.make()
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = Subprocess(
      arguments: ["/bin/sh", "-c", "for i in $(seq 1 30); do echo line $i >&2; done; exit 5"],
      directory: folder.path, timeout: nil
    ).run()
    #expect(run.outcome == .exited(5))
    #expect(run.stderrTail == (21...30).map { "line \($0)" })
  }

  /// A call past its time limit is killed with its whole process group, reaped, and
  /// reported as a timeout well before the engine would have finished.
  @Test func aHangingEngineTimesOutAndLeavesNoProcess() throws {
    let (symbols, x) = triatomic
    let start = Date()
    do {
      _ = try fakeEngine(timeout: 1, ["IRC_FAKE_ENGINE": "hang"])
        .evaluate(symbols: symbols, positions: x)
      Issue.record("a hanging engine returned")
    } catch {
      #expect(error.cause == .timeout(seconds: 1))
      let elapsed = Date().timeIntervalSince(start)
      #expect(elapsed >= 1 && elapsed < 10, "\(elapsed) s")
      // The script printed its pid: that process must be gone, not a zombie.
      let line = try #require(error.stderrTail.last)
      let pid = try #require(Int32(line.split(separator: " ").last ?? ""))
      #expect(kill(pid, 0) == -1 && errno == ESRCH, "process \(pid) still exists")
    }
  }

  @Test func aMissingProgramAndASignalAreTyped() throws {
    let (symbols, x) = triatomic
    let missing = ExtToolEngine(
      command: ["/nonexistent/engine"], charge: 0, multiplicity: 1, cores: 1, timeout: nil)
    #expect(
      throws: EngineFailure(
        engine: "external",
        cause: .missingProgram("/nonexistent/engine (No such file or directory)"),
        symbols: symbols, positions: x)
    ) { try missing.evaluate(symbols: symbols, positions: x) }
    let killed = ExtToolEngine(
      command: ["/bin/sh", "-c", "kill -KILL $$"], charge: 0, multiplicity: 1, cores: 1,
      timeout: nil)
    #expect(
      throws: EngineFailure(
        engine: "external", cause: .signal(SIGKILL), symbols: symbols, positions: x)
    ) { try killed.evaluate(symbols: symbols, positions: x) }
  }

  /// The input file carries the settings one per line, in ORCA's order.
  @Test func theInputFileFollowsTheExtToolLayout() throws {
    let (symbols, x) = triatomic
    let engine = ExtToolEngine(
      command: ["/bin/sh", "-c", "cat \"$0\" >&2; exit 1"], charge: -1, multiplicity: 2,
      cores: 4, timeout: nil)
    do {
      _ = try engine.evaluate(symbols: symbols, positions: x)
      Issue.record("the engine's exit status 1 was not reported")
    } catch {
      #expect(error.stderrTail == ["irc_EXT.xyz", "-1", "2", "4", "1"])
    }
  }
}
