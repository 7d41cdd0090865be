import Foundation
import Testing

/// `irc trace` on Müller–Brown: the log, the JSON summary, and the XYZ and CSV files
/// read back against `shared/reference/outputs.md`.
@Suite struct TraceTests {
  /// With no arguments, from a working directory far from the package, so the built-ins
  /// must be found from the executable's location.
  @Test func defaultTraceFromAnyDirectory() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(["trace"], in: directory.url)
    #expect(run.status == 0, "\(run)")
    #expect(run.stderr == "")
    let log = run.stdout
    #expect(log.hasPrefix("irc trace: muller-brown"))
    #expect(log.contains("\n  potential file     \(IRC.builtInFile("muller-brown").path)\n"))
    #expect(log.contains("\n  method             euler\n"))
    #expect(log.contains("\n  step length        0.01 (potential file)\n"))
    #expect(log.contains("\n  gradient tolerance 0.001 (potential file)\n"))
    #expect(log.firstMatch(of: /\n  max steps          [0-9]+ per branch \(derived\)\n/) != nil)

    let lines = log.split(separator: "\n").map(String.init)
    let stepLine = /(forward|backward|saddle) +([0-9]+) +(-?[0-9]+\.[0-9]{6}) +\S+ +\S+.*/
    let steps = lines.compactMap { $0.wholeMatch(of: stepLine) }
    #expect(steps.first?.output.1 == "saddle")
    #expect(steps.first?.output.3 == "0.000000")
    let forward = steps.filter { $0.output.1 == "forward" }
    let backward = steps.filter { $0.output.1 == "backward" }
    #expect(forward.count > 10 && backward.count > 10, "step lines:\n\(log)")
    #expect(
      forward.compactMap { Int($0.output.2) }
        == Array(stride(from: 1, through: forward.count, by: 1)))
    #expect(backward.allSatisfy { $0.output.3.hasPrefix("-") })

    let forwardSummary = try #require(lines.firstIndex { $0.hasPrefix("forward:  ") })
    let backwardSummary = try #require(lines.firstIndex { $0.hasPrefix("backward: ") })
    #expect(lines[forwardSummary].hasPrefix("forward:  converged after \(forward.count) steps"))
    #expect(lines[backwardSummary].hasPrefix("backward: converged after \(backward.count) steps"))
    #expect(lines[forwardSummary...].prefix(4).contains { $0.hasSuffix(", matches MC") })
    #expect(lines[backwardSummary...].prefix(4).contains { $0.hasSuffix(", matches MA") })
    #expect(try directory.contents() == [], "no files were asked for")
  }

  @Test func jsonSummaryIsTheOnlyThingOnStdout() async throws {
    let outputs = try await TraceOutputs.mullerBrown.value
    let run = outputs.result
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.hasPrefix("{") && run.stdout.hasSuffix("}\n"))
    let summary = try outputs.summary()
    #expect(summary["potential"] as? String == "muller-brown")
    // Every required field is there with its type (JSONDecoder refuses a missing one).
    let decoded = try outputs.decoded()
    #expect(decoded.branches.map(\.end.matches) == ["MC", "MA"])

    let saddle = try #require(summary["saddle"] as? [String: Any])
    let coordinates = try JSONDocument.numbers(saddle["coordinates"])
    #expect(coordinates.count == 2)
    #expect(isClose(coordinates[0], -0.822_001_558_732_732, absolute: 1e-9))
    #expect(isClose(coordinates[1], 0.624_312_802_814_871, absolute: 1e-9))
    #expect(isClose(try #require(saddle["energy"] as? Double), -40.664_843_508_657, absolute: 1e-9))
    #expect(try #require(saddle["gradNorm"] as? Double) < 1e-6)
    let eigenvalues = try JSONDocument.numbers(saddle["hessianEigenvalues"])
    #expect(eigenvalues.count == 2 && eigenvalues[0] < 0 && eigenvalues[1] > 0)

    let branches = try JSONDocument.branches(summary)
    #expect(branches.compactMap { $0["direction"] as? String }.sorted() == ["backward", "forward"])
    for (direction, minimum) in [("forward", "MC"), ("backward", "MA")] {
      let branch = try JSONDocument.branch(summary, direction)
      #expect(branch["termination"] as? String == "converged")
      #expect(try #require(branch["steps"] as? Int) > 10)
      #expect(try #require(branch["arcLength"] as? Double) > 0.5)
      #expect(try #require(branch["gradientEvaluations"] as? Int) >= branch["steps"] as? Int ?? 0)
      #expect(branch["hessianEvaluations"] as? Int != nil)
      let end = try #require(branch["end"] as? [String: Any])
      #expect(end["matches"] as? String == minimum)
      #expect(try JSONDocument.numbers(end["coordinates"]).count == 2)
      #expect(try #require(end["gradNorm"] as? Double) <= 1e-3)
    }

    // The human-readable log went to stderr.
    #expect(run.stderr.contains("\n  step length        0.01 (potential file)\n"))
    #expect(run.stderr.contains("\nforward:  converged after "))
    #expect(run.stderr.contains("\nbackward: converged after "))
    #expect(run.stderr.contains(", matches MC\n") && run.stderr.contains(", matches MA\n"))
    #expect(outputs.files == ["path.csv", "path.xyz"], "stray files: \(outputs.files)")
  }

  @Test func xyzTrajectoryFollowsTheContract() async throws {
    let outputs = try await TraceOutputs.mullerBrown.value
    let frames = try outputs.frames()
    try PathChecks.checkFrames(frames)
    for frame in frames {
      #expect(frame.atoms.count == 1)
      #expect(frame.atoms.first?.symbol == "X")
      #expect(frame.atoms.first?.position.last == 0, "X sits at (x, y, 0)")
    }
    #expect(frames.first?["direction"] == "backward")
    #expect(frames.last?["direction"] == "forward")
    // The ends and the saddle are the JSON summary's, to the last bit.
    let summary = try outputs.decoded()
    let saddle = try #require(frames.first { $0["direction"] == "saddle" })
    let ends: [(TraceSummary.Point, XYZFrame?)] = [
      (try summary.branch("backward").end, frames.first),
      (try summary.branch("forward").end, frames.last),
      (summary.saddle, saddle),
    ]
    for (point, frame) in ends {
      let atom = try #require(frame?.atoms.first)
      #expect(point.coordinates == Array(atom.position.prefix(2)))
      #expect(point.energy == (try frame?.number("energy")))
      #expect(point.gradNorm == (try frame?.number("grad_norm")))
    }
  }

  @Test func csvRowsAreTheXYZFrames() async throws {
    let outputs = try await TraceOutputs.mullerBrown.value
    let frames = try outputs.frames()
    let table = try outputs.table()
    try PathChecks.checkCSV(table, matches: frames, coordinates: ["x", "y"])
    let x = try table.numbers("x")
    let y = try table.numbers("y")
    for (row, frame) in frames.enumerated() {
      let atom = try #require(frame.atoms.first)
      #expect(x[row] == atom.position[0] && y[row] == atom.position[1], "row \(row)")
    }
    try PathChecks.checkBranches(try outputs.decoded(), table: table)
  }

  /// A branch that runs out of steps exits 2, and still writes every file in full.
  @Test func stepLimitExitsTwoWithCompleteFiles() async throws {
    let outputs = try await TraceOutputs.trace(["--max-steps", "5"])
    let run = outputs.result
    #expect(run.status == 2, "\(run)")
    let summary = try outputs.summary()
    for branch in try JSONDocument.branches(summary) {
      #expect(branch["termination"] as? String == "max-steps")
      #expect(branch["steps"] as? Int == 5)
      let end = try #require(branch["end"] as? [String: Any])
      #expect(end["matches"] is NSNull, "an end with |∇V| ≫ tolerance matches no minimum")
    }
    let frames = try outputs.frames()
    #expect(frames.count == 11)
    try PathChecks.checkFrames(frames)
    let table = try outputs.table()
    try PathChecks.checkCSV(table, matches: frames, coordinates: ["x", "y"])
    try PathChecks.checkBranches(try outputs.decoded(), table: table)
    #expect(run.stderr.contains("\n  max steps          5 per branch (command line)\n"))
    #expect(run.stderr.contains("\nforward:  max-steps after 5 steps"))
    #expect(
      run.stderr.hasSuffix(
        "irc trace: a branch did not reach a minimum or an asymptotic valley; "
          + "see its termination above.\n"))
  }

  /// An end far from every minimum must not be reported as one. With `--step 0.5` each
  /// branch ends after its departure, where |∇V| is still tens of units.
  @Test func endFarFromAMinimumMatchesNone() async throws {
    let outputs = try await TraceOutputs.trace(["--step", "0.5", "--max-steps", "1"])
    #expect(outputs.result.status == 2, "\(outputs.result)")
    for branch in try JSONDocument.branches(try outputs.summary()) {
      let end = try #require(branch["end"] as? [String: Any])
      let gradNorm = try #require(end["gradNorm"] as? Double)
      #expect(gradNorm > 10)
      #expect(
        end["matches"] is NSNull,
        "\(branch["direction"]!) end with |∇V| = \(gradNorm) reported as \(end["matches"]!)")
    }
    #expect(!outputs.result.stderr.contains("matches M"))
  }

  /// A first step that leaves the surface fails the branch (exit 2) and still writes
  /// complete, finite files: here both branches end at the saddle itself. The surface is
  /// finite only for |y| < 2, and a step of 3 (within the plot range's diagonal, 3.6)
  /// leaves it along the transition vector (0, 1).
  @Test func failedFirstStepWritesCompleteFiles() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let file = directory.file("edge.json")
    try Data(
      """
      {"format": "irc-potential/1", "name": "edge", "kind": "expression",
       "coordinates": ["x", "y"], "parameters": {"energy": "x^2 - y^2 + log(4 - y^2)"},
       "stationaryPoints": [{"label": "TS", "kind": "saddle", "coordinates": [0, 0]}],
       "plotRange": {"lower": [-1, -1.5], "upper": [1, 1.5]}}
      """.utf8
    ).write(to: file)
    let outputs = try await TraceOutputs.trace([file.path, "--step", "3"])
    let run = outputs.result
    #expect(run.status == 2, "\(run)")
    for branch in try JSONDocument.branches(try outputs.summary()) {
      #expect(branch["termination"] as? String == "failed")
      #expect(branch["steps"] as? Int == 0)
      let end = try #require(branch["end"] as? [String: Any])
      #expect(end["matches"] is NSNull, "the saddle reported as minimum \(end["matches"]!)")
    }
    let frames = try outputs.frames()
    #expect(frames.count == 1 && frames.first?["direction"] == "saddle")
    try PathChecks.checkCSV(try outputs.table(), matches: frames, coordinates: ["x", "y"])
    #expect(!run.stderr.contains("-0.000000"), "a zero arc length printed as -0.000000")
  }

  /// Running the same command twice replaces the files of the first run.
  @Test func existingOutputFilesAreReplaced() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let arguments = ["trace", "--max-steps", "3", "--xyz", "path.xyz", "--csv", "path.csv"]
    let first = try await IRC.run(arguments, in: directory.url)
    #expect(first.status == 2, "\(first)")
    let again = try await IRC.run(
      ["trace", "--max-steps", "4", "--xyz", "path.xyz", "--csv", "path.csv"], in: directory.url)
    #expect(again.status == 2, "\(again)")
    #expect(!again.stderr.contains("cannot write"), "\(again)")
    #expect(try directory.contents() == ["path.csv", "path.xyz"])
    let xyz = try? Data(contentsOf: directory.file("path.xyz"))
    let frames = try XYZTrajectory.parse(try #require(xyz, "the old path.xyz was deleted"))
    #expect(frames.count == 9, "the second run's 4 + 1 + 4 frames")
    let csv = try CSVTable.parse(try Data(contentsOf: directory.file("path.csv")))
    #expect(csv.rows.count == 9)
  }
}
