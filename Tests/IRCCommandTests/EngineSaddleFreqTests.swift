import Foundation
import Testing

/// `irc saddle` and `irc freq` on an engine kind, through the shipped fake ExtTool engine
/// (a Morse pair potential: De = 0.1 hartree, a = 1/bohr, re = 2 bohr), which counts its
/// own runs so that the tool's counts can be checked against the program's.
@Suite struct EngineSaddleFreqTests {
  static let bohr = 0.529177210903
  /// √(hartree/(bohr²·amu)) → cm⁻¹ (molecules.md).
  static let wavenumberFactor = 5140.487

  static func setUp() throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory()
    try """
    {"format": "irc-potential/1", "name": "morse", "kind": "external",
     "parameters": {"command": ["python3", "\(EngineCommandTests.script.path)"], "timeout": 60}}
    """.write(to: folder.file("morse.json"), atomically: true, encoding: .utf8)
    // H₂ at the Morse minimum r = re = 2 bohr, on the x axis.
    try "2\n\nH 0 0 0\nH \(2 * bohr) 0 0\n".write(
      to: folder.file("h2.xyz"), atomically: true, encoding: .utf8)
    // Four atoms near the planar rhombus saddle between tetrahedra (about 1e-4 Å off).
    try """
    4
    near the rhombus saddle of the Morse tetramer
    H 0.1056 0.0610 0.0062
    H 1.0931 -0.0572 0.0031
    H 0.4969 0.9752 -0.0081
    H 1.4844 0.8570 -0.0112

    """.write(to: folder.file("rhombus.xyz"), atomically: true, encoding: .utf8)
    return folder
  }

  /// The JSON document without its engine member (counts and timings), as text.
  static func withoutEngine(_ stdout: String) throws -> String {
    // The top-level member comes first; the engine's own "engine" name is inside it.
    let range = try #require(stdout.range(of: "\"engine\""), "no engine member: \(stdout)")
    return String(stdout[..<range.lowerBound])
  }

  static func engine(_ stdout: String) throws -> [String: Any] {
    try #require(JSONDocument.object(stdout)["engine"] as? [String: Any])
  }

  static func calls(_ counter: URL) -> Int {
    ((try? String(contentsOf: counter, encoding: .utf8)) ?? "").split(separator: "\n").count
  }

  /// The saddle found through the engine is first order; the tool's count of computed calls
  /// is the program's own; a search stopped by an engine failure and rerun on its
  /// checkpoint replays what it had and ends with the uninterrupted run's result, bit for bit.
  @Test func saddleThroughExternalCountsAndResumes() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    let counter = folder.file("calls")
    func saddle(_ checkpoint: String, _ fault: [String: String] = [:]) async throws -> IRC.Result {
      try await IRC.run(
        [
          "saddle", "morse.json", "--from", "rhombus.xyz", "--json", "--jobs", "4",
          "--checkpoint", checkpoint,
        ], environment: ["IRC_FAKE_ENGINE_COUNTER": counter.path].merging(fault) { $1 },
        in: folder.url, timeout: .seconds(300))
    }
    let whole = try await saddle("whole.ckpt")
    #expect(whole.status == 0, "\(whole)")
    let result = try JSONDocument.object(whole.stdout)
    #expect(result["converged"] as? Bool == true)
    #expect(result["index"] as? Double == 1)
    let frequencies = try JSONDocument.numbers(result["frequencies"])
    #expect(frequencies.count == 6 && frequencies[0] < 0 && frequencies[1...].allSatisfy { $0 > 0 })
    let engine = try Self.engine(whole.stdout)
    let computed = try #require(engine["computed"] as? Double)
    #expect(Int(computed) == Self.calls(counter), "the tool's count is not the program's")
    #expect(engine["gradientCalls"] as? Double == computed)
    #expect(try #require(engine["finiteDifferenceHessians"] as? Double) >= 1)
    #expect(whole.stderr.contains("engine:   external, \(Int(computed)) gradient calls"))

    // The engine fails at its 20th call: exit 2 (it had answered), geometry saved.
    try FileManager.default.removeItem(at: counter)
    let stopped = try await saddle(
      "resumed.ckpt", ["IRC_FAKE_ENGINE": "exit", "IRC_FAKE_ENGINE_AFTER": "19"])
    #expect(stopped.status == 2, "\(stopped)")
    #expect(stopped.stderr.contains("the external engine failed: it exited with status 3"))
    #expect(FileManager.default.fileExists(atPath: folder.file("irc-engine-failure.xyz").path))
    let resumed = try await saddle("resumed.ckpt")
    #expect(resumed.status == 0, "\(resumed)")
    #expect(try Self.withoutEngine(resumed.stdout) == Self.withoutEngine(whole.stdout))
    let counts = try Self.engine(resumed.stdout)
    let replayed = try #require(counts["replayed"] as? Double)
    #expect(replayed >= 19)
    #expect(try #require(counts["computed"] as? Double) + replayed == computed)
  }

  /// H₂ at the Morse minimum: one internal mode (five rigid-body modes, linear) at the
  /// harmonic frequency √(k/μ) with k = 2·De·a² = 0.2 hartree/bohr² and μ = m_H/2; 3
  /// engine calls (the gradient, and the Hessian along the one internal direction of a
  /// diatomic: 2·(3N − 5) = 2); a rerun on the checkpoint
  /// computes nothing and writes the same modes file and document.
  @Test func freqThroughExternalMatchesTheHarmonicOscillator() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    // Each call's folder goes under $TMPDIR; every one is gone when the command ends.
    let scratch = folder.file("scratch")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    func freq(_ modes: String) async throws -> IRC.Result {
      try await IRC.run(
        [
          "freq", "morse.json", "--from", "h2.xyz", "--json", "--modes", modes,
          "--checkpoint", "h2.ckpt",
        ], environment: ["TMPDIR": scratch.path], in: folder.url, timeout: .seconds(120))
    }
    let first = try await freq("first.xyz")
    #expect(first.status == 0, "\(first)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
    let result = try JSONDocument.object(first.stdout)
    #expect(result["rigidBodyModes"] as? Double == 5)
    let frequencies = try JSONDocument.numbers(result["frequencies"])
    let expected = (2 * 0.2 / 1.00782503223).squareRoot() * Self.wavenumberFactor
    #expect(frequencies.count == 1)
    #expect(abs(frequencies[0] - expected) < 0.5, "\(frequencies) against \(expected)")
    let engine = try Self.engine(first.stdout)
    #expect(engine["computed"] as? Double == 3)
    #expect(engine["finiteDifferenceHessians"] as? Double == 1)
    #expect(first.stderr.contains("engine:   external, 3 gradient calls"))

    let again = try await freq("again.xyz")
    #expect(again.status == 0, "\(again)")
    #expect(try Self.engine(again.stdout)["computed"] as? Double == 0)
    #expect(try Self.engine(again.stdout)["replayed"] as? Double == 3)
    #expect(try Self.withoutEngine(again.stdout) == Self.withoutEngine(first.stdout))
    #expect(
      try Data(contentsOf: folder.file("again.xyz")) == Data(contentsOf: folder.file("first.xyz")))
  }

  /// On an engine the default method is eulerpc, so `--hessian` without `--method` applies
  /// to it (it was refused against euler, the model surfaces' default, before the engine
  /// default was known).
  @Test func hessianWithoutMethodAppliesToTheEngineDefault() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    let run = try await IRC.run(
      ["trace", "morse.json", "--from", "rhombus.xyz", "--hessian", "exact", "--max-steps", "2"],
      in: folder.url, timeout: .seconds(120))
    #expect(run.status != 64, "\(run)")
    #expect((run.stdout + run.stderr).contains("eulerpc (exact Hessians"), "\(run)")
  }

  /// An engine that never answers: exit 1, the cause and the geometry reported.
  @Test func freqWhoseEngineNeverAnswersIsExitOne() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    let run = try await IRC.run(
      ["freq", "morse.json", "--from", "h2.xyz"], environment: ["IRC_FAKE_ENGINE": "exit"],
      in: folder.url)
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("morse-engine: SCF did not converge"))
    #expect(FileManager.default.fileExists(atPath: folder.file("irc-engine-failure.xyz").path))
  }
}

/// The xtb program on PATH (or `$IRC_XTB`), if installed.
let xtbOnPath: String? = {
  if let given = ProcessInfo.processInfo.environment["IRC_XTB"], !given.isEmpty {
    return FileManager.default.isExecutableFile(atPath: given) ? given : nil
  }
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  return path.split(separator: ":").map { "\($0)/xtb" }
    .first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// `irc saddle` and `irc freq` at GFN2-xTB on HCN ⇌ HNC, checked against the README's
/// trace of the same reaction and against xtb's own optimiser. Skipped, saying so, where
/// xtb is not installed (`.ci/run` installs it).
@Suite(.enabled(if: xtbOnPath != nil, "xtb is not installed (apt-get install xtb, or set IRC_XTB)"))
struct XTBSaddleFreqTests {
  static func setUp() throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory()
    try """
    {"format": "irc-potential/1", "name": "gfn2", "kind": "xtb",
     "parameters": {"method": "gfn2", "charge": 0, "uhf": 0, "timeout": 60}}
    """.write(to: folder.file("gfn2.json"), atomically: true, encoding: .utf8)
    return folder
  }

  /// From the README's guess (H bridging C and N): a first-order saddle with |∇V| below the
  /// tolerance, at the energy and imaginary frequency of the README's refined saddle
  /// (1426.25i cm⁻¹; E = E(HCN) + the barrier from the HCN side = −5.5040662236 +
  /// 0.1166926908 hartree).
  @Test func saddleFromTheREADMEGuess() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    try "3\nguess\nC 0.0 0.0 0.0\nN 1.18 0.0 0.0\nH 0.55 1.05 0.0\n".write(
      to: folder.file("hcn-guess.xyz"), atomically: true, encoding: .utf8)
    let run = try await IRC.run(
      ["saddle", "gfn2.json", "--from", "hcn-guess.xyz", "--json"], in: folder.url,
      timeout: .seconds(300))
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["index"] as? Double == 1)
    #expect(result["rigidBodyModes"] as? Double == 6)
    #expect(try #require(result["gradNorm"] as? Double) < 1e-8)
    let energy = try #require(result["energy"] as? Double)
    #expect(abs(energy - (-5.5040662236 + 0.1166926908)) < 1e-6, "E = \(energy)")
    let frequencies = try JSONDocument.numbers(result["frequencies"])
    #expect(frequencies.count == 3)
    #expect(abs(frequencies[0] + 1426.25) < 1, "\(frequencies)")
    #expect(frequencies[1...].allSatisfy { $0 > 0 })
    let engine = try #require(result["engine"] as? [String: Any])
    #expect(engine["engine"] as? String == "xtb")
    #expect(try #require(engine["computed"] as? Double) > 0)
  }

  /// HCN at the minimum xtb's own optimiser finds (`--opt vtight`, an independent search):
  /// stationary, linear (five rigid-body modes), four real frequencies within 2 cm⁻¹ of
  /// those the README's trace reports at its HCN end (777.17, 777.20, 2295.25, 3286.44).
  @Test func freqAtTheHCNMinimumIsAllReal() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    try "3\nHCN\nH 0 0 -1.07\nC 0 0 0\nN 0 0 1.16\n".write(
      to: folder.file("hcn.xyz"), atomically: true, encoding: .utf8)
    let optimiser = Process()
    optimiser.executableURL = URL(fileURLWithPath: xtbOnPath!)
    optimiser.arguments = ["hcn.xyz", "--opt", "vtight"]
    optimiser.currentDirectoryURL = folder.url
    optimiser.environment = ProcessInfo.processInfo.environment.merging(["OMP_NUM_THREADS": "1"]) {
      $1
    }
    optimiser.standardOutput = FileHandle.nullDevice
    optimiser.standardError = FileHandle.nullDevice
    try optimiser.run()
    optimiser.waitUntilExit()
    #expect(optimiser.terminationStatus == 0)
    let run = try await IRC.run(
      ["freq", "gfn2.json", "--from", "xtbopt.xyz", "--json"], in: folder.url,
      timeout: .seconds(120))
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["stationary"] as? Bool == true)
    #expect(result["rigidBodyModes"] as? Double == 5)
    #expect(result["index"] as? Double == 0)
    let frequencies = try JSONDocument.numbers(result["frequencies"])
    let readme = [777.17, 777.20, 2295.25, 3286.44]
    #expect(frequencies.count == 4)
    for (found, expected) in zip(frequencies, readme) {
      #expect(abs(found - expected) < 2, "\(frequencies) against \(readme)")
    }
  }
}
