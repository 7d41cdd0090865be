import Foundation
import Testing

/// `irc neb` on an engine kind, through the shipped fake ExtTool engine's triatomic model
/// (`IRC_FAKE_ENGINE_MODEL=bend`): harmonic bonds 1–2 and 2–3 (R0 = 2 bohr) and a double
/// well in the 1–3 distance with minima at 2.8 and 3.6 bohr and, between them, a saddle at
/// r13 = 3.2 bohr exactly 0.01 hartree above both (the three distances are independent).
@Suite struct EngineNebTests {
  static let bohr = 0.529177210903
  static let barrier = 0.01

  /// The interpreter behind `python3`, resolved once: a version manager's shim (pyenv) can
  /// cost more per start than the fake engine's whole work, and a band makes hundreds.
  static let python: String = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return "python3" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus == 0 && !path.isEmpty ? path : "python3"
  }()

  /// The potential file and the two bent minima (r13 = 2.8 and 3.6 bohr), written a little
  /// off (5 decimals) so that neb minimises them.
  static func setUp() throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory()
    try """
    {"format": "irc-potential/1", "name": "bend", "kind": "external",
     "parameters": {"command": ["\(python)", "\(EngineCommandTests.script.path)"], "timeout": 60}}
    """.write(to: folder.file("bend.json"), atomically: true, encoding: .utf8)
    try "3\nr13 = 2.8 bohr\nH 0.75582 0.74085 0\nH 0 0 0\nH 0.75582 -0.74085 0\n".write(
      to: folder.file("a.xyz"), atomically: true, encoding: .utf8)
    try "3\nr13 = 3.6 bohr\nH 0.46133 0.95252 0\nH 0 0 0\nH 0.46133 -0.95252 0\n".write(
      to: folder.file("b.xyz"), atomically: true, encoding: .utf8)
    return folder
  }

  static func neb(
    _ folder: TemporaryDirectory, _ options: [String], output: String,
    environment: [String: String] = [:]
  ) async throws -> IRC.Result {
    try await IRC.run(
      [
        "neb", "bend.json", "--from", "a.xyz", "--to", "b.xyz", "--images", "5", "--json",
        "--xyz", output + ".xyz", "--csv", output + ".csv",
      ] + options,
      environment: ["IRC_FAKE_ENGINE_MODEL": "bend"].merging(environment) { $1 },
      in: folder.url, timeout: .seconds(600))
  }

  /// The outputs of a run that must not depend on how it was computed: the XYZ and CSV
  /// files and the JSON document before its engine member (counts and timings).
  static func outputs(_ folder: TemporaryDirectory, _ name: String, _ run: IRC.Result) throws
    -> [Data]
  {
    [
      try Data(contentsOf: folder.file(name + ".xyz")),
      try Data(contentsOf: folder.file(name + ".csv")),
      Data(try EngineSaddleFreqTests.withoutEngine(run.stdout).utf8),
    ]
  }

  /// Pairs of calls (start, end) that ran at the same time, beyond a millisecond.
  static func overlaps(_ file: URL) throws -> Int {
    let calls = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: " ").compactMap { Double($0) }
    }
    var count = 0
    for i in calls.indices {
      for j in calls.indices where j > i {
        if min(calls[i][1], calls[j][1]) - max(calls[i][0], calls[j][0]) > 1e-3 { count += 1 }
      }
    }
    return count
  }

  static func distance(_ x: [Double], _ i: Int, _ j: Int) -> Double {
    (0..<3).map { x[3 * i + $0] - x[3 * j + $0] }.reduce(0) { $0 + $1 * $1 }.squareRoot()
  }

  /// The band finds the one saddle at its exact place and height, on Bofill-updated Hessians
  /// (two evaluated: the start's and the saddle's), with `--jobs 2` overlapping the
  /// engine's calls; `--jobs 1` on that run's checkpoint asks for exactly the same
  /// geometries, bit for bit (it computes none), and writes the same files; so does an
  /// identical rerun. A run stopped by the engine in the middle of the band exits 2 with
  /// its geometry saved and the ends written, and its rerun on the checkpoint finishes with
  /// the uninterrupted run's files.
  @Test func nebThroughExternalFindsTheSaddleAndResumes() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    let counter = folder.file("calls")
    let two = try await Self.neb(
      folder, ["--jobs", "2", "--checkpoint", "two.ckpt"], output: "two",
      environment: [
        "IRC_FAKE_ENGINE_TIMES": folder.file("two.times").path, "IRC_FAKE_ENGINE_SLEEP": "0.05",
        "IRC_FAKE_ENGINE_COUNTER": counter.path,
      ])
    #expect(two.status == 0, "\(two)")
    let result = try JSONDocument.object(two.stdout)
    let saddles = try #require(result["saddles"] as? [[String: Any]])
    #expect(saddles.count == 1)
    let saddle = try #require(saddles.first)
    let from = try #require(result["from"] as? [String: Any])
    let barrier =
      try #require(saddle["energy"] as? Double) - #require(from["energy"] as? Double)
    #expect(abs(barrier - Self.barrier) < 1e-9, "barrier \(barrier)")
    let x = try JSONDocument.numbers(saddle["coordinates"])
    #expect(abs(Self.distance(x, 0, 2) - 3.2 * Self.bohr) < 1e-6)
    #expect(abs(Self.distance(x, 0, 1) - 2 * Self.bohr) < 1e-6)
    #expect(saddle["hessianEvaluations"] as? Double == 2, "\(saddle)")
    #expect((result["path"] as? [String: Any])?["complete"] as? Bool == true)
    let engine = try EngineSaddleFreqTests.engine(two.stdout)
    let computed = try #require(engine["computed"] as? Double)
    #expect(Int(computed) == EngineSaddleFreqTests.calls(counter))
    #expect(two.stderr.contains("engine:   external, \(Int(computed)) gradient calls"))
    // Each call computes for 50 ms: two started together overlap by most of that (a
    // sequential run cannot overlap at all). 112 pairs of the 273 calls did at load 4; under
    // load the programs' start-up (outside the window) staggers them, so ask for a few.
    #expect(try Self.overlaps(folder.file("two.times")) >= 2)

    for (jobs, output) in [("1", "one"), ("2", "again")] {
      let rerun = try await Self.neb(
        folder, ["--jobs", jobs, "--checkpoint", "two.ckpt"], output: output)
      #expect(rerun.status == 0, "\(rerun)")
      #expect(try Self.outputs(folder, output, rerun) == Self.outputs(folder, "two", two))
      #expect(try EngineSaddleFreqTests.engine(rerun.stdout)["computed"] as? Double == 0)
      #expect(try EngineSaddleFreqTests.engine(rerun.stdout)["replayed"] as? Double == computed)
    }

    // The engine fails at its 81st call, past the ends (about 65 calls): in the band.
    let stopped = try await Self.neb(
      folder, ["--jobs", "2", "--checkpoint", "cut.ckpt"], output: "cut",
      environment: [
        "IRC_FAKE_ENGINE": "exit", "IRC_FAKE_ENGINE_AFTER": "80",
        "IRC_FAKE_ENGINE_COUNTER": folder.file("cut.calls").path,
      ])
    #expect(stopped.status == 2, "\(stopped)")
    #expect(stopped.stderr.contains("Error: the band could not be relaxed"))
    #expect(stopped.stderr.contains("morse-engine: SCF did not converge"))
    let failure = try String(contentsOf: folder.file("irc-engine-failure.xyz"), encoding: .utf8)
    #expect(failure.hasPrefix("3\nthe external engine failed: it exited with status 3"))
    let ends = try String(contentsOf: folder.file("cut.xyz"), encoding: .utf8)
    #expect(ends.components(separatedBy: "converged=F").count == 3, "the two ends, marked")
    #expect(try JSONDocument.object(stopped.stdout)["error"] is String)

    let resumed = try await Self.neb(
      folder, ["--jobs", "2", "--checkpoint", "cut.ckpt"], output: "cut")
    #expect(resumed.status == 0, "\(resumed)")
    #expect(try Self.outputs(folder, "cut", resumed) == Self.outputs(folder, "two", two))
    let counts = try EngineSaddleFreqTests.engine(resumed.stdout)
    let replayed = try #require(counts["replayed"] as? Double)
    #expect(replayed >= 70)
    #expect(try #require(counts["computed"] as? Double) + replayed == computed)
  }

  /// An engine that never answers: exit 1 before any band work, its geometry and stderr
  /// reported, nothing written. An engine kind needs both ends as XYZ files.
  @Test func nebWhoseEngineNeverAnswersIsExitOne() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    let run = try await Self.neb(
      folder, [], output: "band", environment: ["IRC_FAKE_ENGINE": "exit"])
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.contains("morse-engine: SCF did not converge"))
    #expect(FileManager.default.fileExists(atPath: folder.file("irc-engine-failure.xyz").path))
    #expect(!FileManager.default.fileExists(atPath: folder.file("band.xyz").path))
    let labelled = try await IRC.run(
      ["neb", "bend.json", "--from", "a.xyz", "--to", "B"], in: folder.url)
    #expect(labelled.status == 64, "\(labelled)")
    #expect(
      labelled.stderr.contains("kind external takes its atoms from the ends: give --to FILE.xyz"))
  }
}

/// `irc neb` at GFN2-xTB between HCN and HNC, against `irc saddle`'s saddle from the
/// README's guess (1426.25i, 2001.26, 2386.30 cm⁻¹). Skipped, saying so, where xtb is not
/// installed.
@Suite(.enabled(if: xtbOnPath != nil, "xtb is not installed (apt-get install xtb, or set IRC_XTB)"))
struct XTBNebTests {
  /// 657 calls measured (the count is deterministic: every geometry is a function of
  /// earlier answers); the bound leaves room for another xtb build's last digits.
  static let budget = 700

  /// The README's ends: both bent by 0.05 Å of H off the axis, so that the straight line
  /// from one to the other passes H through C (the band then starts interpolated in
  /// the interatomic distances).
  @Test func hcnToHNCFindsTheSaddleOfIrcSaddle() async throws {
    let folder = try XTBSaddleFreqTests.setUp()
    defer { folder.remove() }
    try "3\nHCN\nC 0.0 0.0 0.0\nN 1.16 0.0 0.0\nH -1.07 0.05 0.0\n".write(
      to: folder.file("hcn.xyz"), atomically: true, encoding: .utf8)
    try "3\nHNC\nC 0.0 0.0 0.0\nN 1.17 0.0 0.0\nH 2.17 0.05 0.0\n".write(
      to: folder.file("hnc.xyz"), atomically: true, encoding: .utf8)
    let run = try await IRC.run(
      ["neb", "gfn2.json", "--from", "hcn.xyz", "--to", "hnc.xyz", "--json"], in: folder.url,
      timeout: .seconds(600))
    #expect(run.status == 0, "\(run)")
    #expect(run.stderr.contains("first guess        interpolated in the interatomic distances"))
    let result = try JSONDocument.object(run.stdout)
    let saddles = try #require(result["saddles"] as? [[String: Any]])
    #expect(saddles.count == 1)
    let frequencies = try JSONDocument.numbers(try #require(saddles.first)["frequencies"])
    let expected = [-1426.25, 2001.26, 2386.30]
    #expect(frequencies.count == 3)
    for (found, value) in zip(frequencies, expected) {
      #expect(abs(found - value) < 0.5, "\(frequencies) against \(expected)")
    }
    // The saddle's IRC reaches both ends (turned as a whole, which chaining allows for).
    #expect((result["path"] as? [String: Any])?["complete"] as? Bool == true)
    let energy = try #require(saddles.first?["energy"] as? Double)
    #expect(abs(energy - (-5.5040662236 + 0.1166926908)) < 1e-6, "E = \(energy)")
    let engine = try #require(result["engine"] as? [String: Any])
    let calls = try #require(engine["gradientCalls"] as? Double)
    #expect(calls > 0 && Int(calls) <= Self.budget, "\(calls) xtb calls")
  }
}
