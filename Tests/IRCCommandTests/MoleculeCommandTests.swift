import Foundation
import Testing

/// Molecules end to end: XYZ starts, mass-weighted traces reported in Å, `freq`, and the
/// errors a chemist meets first.
@Suite struct MoleculeCommandTests {
  /// D + H₂ near the collinear saddle.
  static let dhh = "3\nD + H2 near the saddle\nD 0 0 0\nH 1.15 0 0\nH 2.01 0.02 0\n"

  static let dhhTrace = Task { () throws -> TraceOutputs in
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let start = try directory.write(dhh, to: "dhh.xyz")
    return try await TraceOutputs.trace(["h3-leps", "--from", start.path])
  }

  @Test func dPlusH2TraceReportsFrequenciesMassesAndAsymptoticEnds() async throws {
    let outputs = try await Self.dhhTrace.value
    #expect(outputs.result.status == 0, "\(outputs.result)")
    let summary = try outputs.summary()
    #expect(summary["atoms"] as? [String] == ["D", "H", "H"])
    let masses = try #require(summary["masses"] as? [String: Double])
    #expect(masses["D"] == 2.01410177812 && masses["H"] == 1.00782503223)
    let units = try #require(summary["units"] as? [String: Any])
    #expect(units["arcLength"] as? String == "amu^1/2*Å")
    let saddle = try #require(summary["saddle"] as? [String: Any])
    let frequencies = try #require(saddle["frequencies"] as? [Double])
    // One imaginary mode, a doubly degenerate bend, a stretch (D + H2 masses).
    #expect(frequencies.count == 4 && frequencies[0] < -1000 && frequencies[1] > 0)
    #expect(isClose(frequencies[1], frequencies[2], relative: 1e-6))
    for branch in try JSONDocument.branches(summary) {
      #expect(branch["termination"] as? String == "asymptotic")
      let end = try #require(branch["end"] as? [String: Any])
      #expect((end["frequencies"] as? [Double])?.count == 4)
      #expect((end["barrier"] as? Double ?? 0) > 0)
      #expect(end["asymptotic"] as? Bool == true)
    }
    #expect(
      outputs.result.stderr.contains("masses             D 2.01410177812, H 1.00782503223 amu"))
  }

  /// H + H₂ at `--gtol 1e-2` stops while each leaving atom is still pushed away, where the
  /// bend curves down by ≈ 50i cm⁻¹: the gradient's curvature, not a second-order saddle.
  /// The summary says the ends are asymptotic instead of printing an index and imaginary
  /// frequencies; the JSON keeps `index` and `frequencies` and flags the end `asymptotic`.
  @Test func asymptoticEndsClaimNoIndexOrFrequencies() async throws {
    let outputs = try await TraceOutputs.trace(["h3-leps", "--gtol", "1e-2"])
    #expect(outputs.result.status == 0, "\(outputs.result)")
    let lines = outputs.result.stderr.split(separator: "\n").map(String.init)
    for direction in ["forward:  ", "backward: "] {
      let line = try #require(lines.first { $0.hasPrefix(direction + "barrier from this side ") })
      #expect(
        line.hasSuffix(
          " eV; asymptotic end: fragments separating, not a stationary point (no index, "
            + "no frequencies)"), "\(line)")
    }
    #expect(!outputs.result.stderr.contains("end index"))
    for branch in try JSONDocument.branches(try outputs.summary()) {
      #expect(branch["termination"] as? String == "asymptotic")
      let end = try #require(branch["end"] as? [String: Any])
      #expect(end["asymptotic"] as? Bool == true)
      // The Hessian's facts stay, as the contract lists them: the bend's two negative
      // curvatures and a positive H₂ stretch.
      #expect(end["index"] as? Double == 2)
      let frequencies = try JSONDocument.numbers(end["frequencies"])
      #expect(frequencies.count == 4 && frequencies[0] < 0 && frequencies[3] > 3000)
    }
  }

  @Test func dPlusH2FilesCarryElementsAndCartesianColumns() async throws {
    let outputs = try await Self.dhhTrace.value
    let frames = try outputs.frames()
    try PathChecks.checkFrames(frames)
    let table = try outputs.table()
    let names = (1...3).flatMap { ["x\($0)", "y\($0)", "z\($0)"] }
    try PathChecks.checkCSV(table, matches: frames, coordinates: names)
    for frame in frames { #expect(frame.atoms.map(\.symbol) == ["H", "H", "H"]) }
  }

  /// Converged ends are minima: each names its index (0) and is not flagged asymptotic.
  @Test func lj7SaddleTracesToTheMinimaItNames() async throws {
    let outputs = try await TraceOutputs.trace(["lj7", "--saddle", "TS-PBP-CO"])
    #expect(outputs.result.status == 0, "\(outputs.result)")
    let matches = try JSONDocument.branches(try outputs.summary()).map { branch -> String? in
      #expect(branch["termination"] as? String == "converged")
      let end = branch["end"] as? [String: Any]
      #expect(end?["index"] as? Double == 0)
      #expect(end?["asymptotic"] as? Bool == false)
      return end?["matches"] as? String
    }
    #expect(Set(matches.compactMap { $0 }) == ["PBP", "CO"])
    for direction in ["forward:  ", "backward: "] {
      #expect(
        outputs.result.stderr.split(separator: "\n").contains {
          $0.hasPrefix(direction + "barrier from this side ") && $0.contains("; end index 0, ")
        })
    }
  }

  @Test func freqOfTheH3SaddleMatchesTheReference() async throws {
    let run = try await IRC.run(["freq", "h3-leps", "--from", "TS", "--json"])
    #expect(run.status == 0, "\(run)")
    let document = try JSONDocument.object(run.stdout)
    #expect(document["index"] as? Double == 1)
    #expect(document["rigidBodyModes"] as? Double == 5)
    let frequencies = try #require(document["frequencies"] as? [Double])
    for (found, expected) in zip(frequencies, [-2113.14, 679.67, 679.67, 2020.30]) {
      #expect(isClose(found, expected, absolute: 0.5), "\(frequencies)")
    }
  }

  @Test func freqRefusesAGeometryThatIsNotStationary() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let start = try directory.write(Self.dhh, to: "dhh.xyz")
    let run = try await IRC.run(["freq", "h3-leps", "--from", start.path, "--json"])
    #expect(run.status == 2)
    let document = try JSONDocument.object(run.stdout)
    #expect(document["stationary"] as? Bool == false)
    #expect(document["frequencies"] == nil)
    #expect(run.stderr.contains("Error: the geometry is not stationary"))
  }

  @Test func mismatchedStartsNameTheFileAndLine() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let wrong = try directory.write("3\n\nH 0 0 0\nF 1 0 0\nH 2 0 0\n", to: "hfh.xyz")
    let run = try await IRC.run(["trace", "h3-leps", "--from", wrong.path])
    #expect(run.status == 1)
    #expect(
      run.stderr
        == "Error: \(wrong.path): line 4: atom 2 is F, but the surface's atom 2 is H (an isotope "
        + "such as D matches its element)\n")
    let short = try directory.write("2\n\nH 0 0 0\nH 1 0 0\n", to: "hh.xyz")
    let second = try await IRC.run(["saddle", "h3-leps", "--from", short.path])
    #expect(second.status == 1)
    #expect(second.stderr == "Error: \(short.path): line 1: 2 atoms, but the surface has 3\n")
  }

  @Test func mapRefusesAMolecule() async throws {
    let run = try await IRC.run(["map", "lj7"])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("Error: lj7 is a surface of 7 atoms (21 Cartesian coordinates)"))
  }
}
