import Foundation
import Testing

/// Saddle searches, elastic bands and `--masses` on molecules, end to end. Geometries are
/// compared through their interatomic distances in atom order: unchanged by any rigid
/// motion, changed by everything else, and computed here independently of the tool.
@Suite struct MolecularSearchCommandTests {
  /// The listed lj7 saddle TS-PBP-CO (potentials/lj7.json).
  static func listedSaddle() throws -> [Double] {
    let data = try Data(contentsOf: IRC.builtInFile("lj7"))
    let file = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let points = try #require(file["stationaryPoints"] as? [[String: Any]])
    let saddle = try #require(points.first { $0["label"] as? String == "TS-PBP-CO" })
    return try JSONDocument.numbers(saddle["coordinates"])
  }

  /// The largest change of an interatomic distance between two geometries of the same atoms.
  static func distanceChange(_ a: [Double], _ b: [Double]) -> Double {
    let n = a.count / 3
    var largest = 0.0
    for i in 0..<n {
      for j in (i + 1)..<max(i + 1, n) {
        func d(_ x: [Double]) -> Double {
          (0..<3).reduce(0.0) { $0 + pow(x[3 * i + $1] - x[3 * j + $1], 2) }.squareRoot()
        }
        largest = max(largest, abs(d(a) - d(b)))
      }
    }
    return largest
  }

  /// Seven argon atoms as an XYZ file.
  static func xyz(_ x: [Double], comment: String) -> String {
    var text = "7\n\(comment)\n"
    for atom in 0..<7 {
      text += "Ar " + (0..<3).map { String(x[3 * atom + $0]) }.joined(separator: " ") + "\n"
    }
    return text
  }

  /// A rotation about a skew axis and a shift: a rigid motion the band must undo.
  static func rigidlyMoved(_ x: [Double]) -> [Double] {
    let (c, s) = (cos(1.3), sin(1.3))
    var moved = x
    for atom in 0..<(x.count / 3) {
      let (p, q, r) = (x[3 * atom], x[3 * atom + 1], x[3 * atom + 2])
      moved[3 * atom] = c * p - s * r + 4
      moved[3 * atom + 1] = q - 2
      moved[3 * atom + 2] = s * p + c * r + 1
    }
    return moved
  }

  /// From the listed saddle distorted by 0.02 Å, the dimer (gradients only, plus the first
  /// orientation's Hessian and the verification) returns the listed saddle.
  @Test func dimerReturnsToTheLJ7SaddleFromADistortedXYZ() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let listed = try Self.listedSaddle()
    let offsets = [0.011, -0.006, 0.004, -0.009, 0.008, 0.003, -0.005]
    let distorted = listed.enumerated().map { $0.element + offsets[$0.offset % 7] * 0.8 }
    let start = try directory.write(Self.xyz(distorted, comment: "near TS-PBP-CO"), to: "s.xyz")
    let run = try await IRC.run(
      ["saddle", "lj7", "--from", start.path, "--method", "dimer", "--json"])
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["matches"] as? String == "TS-PBP-CO")
    #expect(result["hessianEvaluations"] as? Double == 2)
    let found = try JSONDocument.numbers(result["coordinates"])
    #expect(Self.distanceChange(found, listed) < 1e-6, "\(found)")
  }

  /// A band between the two minima that the IRC of TS-PBP-CO reaches (the second rigidly
  /// moved: the band must align it first) climbs to TS-PBP-CO.
  @Test func elasticBandBetweenLJ7MinimaClimbsToTheirSaddle() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let trace = try await IRC.run(
      ["trace", "lj7", "--saddle", "TS-PBP-CO", "--xyz", "path.xyz"], in: directory.url)
    #expect(trace.status == 0, "\(trace)")
    let frames = try XYZTrajectory.parse(try Data(contentsOf: directory.file("path.xyz")))
    let ends = [frames[0], frames[frames.count - 1]].map { $0.atoms.flatMap(\.position) }
    let a = try directory.write(Self.xyz(ends[0], comment: "A"), to: "a.xyz")
    let b = try directory.write(Self.xyz(Self.rigidlyMoved(ends[1]), comment: "B"), to: "b.xyz")
    let run = try await IRC.run(
      ["neb", "lj7", "--from", a.path, "--to", b.path, "--json"], in: directory.url)
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    let band = try #require(result["band"] as? [String: Any])
    #expect(band["converged"] as? Bool == true)
    let images = try #require(band["images"] as? [[Double]])
    let climbing = try #require(band["climbingImage"] as? Double)
    let listed = try Self.listedSaddle()
    // The climbing image itself, before any refinement, sits on the saddle to the band's
    // force tolerance.
    let change = Self.distanceChange(images[Int(climbing)], listed)
    #expect(change < 0.01, "climbing image \(change) from TS-PBP-CO")
    let saddles = try #require(result["saddles"] as? [[String: Any]])
    #expect(saddles.compactMap { $0["matches"] as? String } == ["TS-PBP-CO"])
    let refined = try JSONDocument.numbers(saddles.first?["coordinates"])
    #expect(Self.distanceChange(refined, listed) < 1e-3)
  }

  /// Masses that would change nothing, or nonsense, are usage errors naming the option
  /// and the symbol.
  @Test(arguments: [
    ("C=12", "option '--masses': the geometry has no atom C; its atoms are H"),
    ("H=1.008,T=3.016", "option '--masses': the geometry has no atom T; its atoms are H"),
    ("Xq=3", "option '--masses': 'Xq' is not an element symbol the mass table knows"),
    (
      "H=-1", "option '--masses': the mass of H must be a finite positive number of amu, found '-1'"
    ),
    ("H=0", "option '--masses': the mass of H must be a finite positive number of amu, found '0'"),
    ("H=inf", "option '--masses': the mass of H must be a finite positive number of amu"),
    ("H=nan", "option '--masses': the mass of H must be a finite positive number of amu"),
  ])
  func massesThatNameNoAtomOrNoMassAreUsageErrors(_ masses: String, _ message: String)
    async throws
  {
    for command in [["freq", "h3-leps", "--from", "TS"], ["trace", "h3-leps", "--saddle", "TS"]] {
      let run = try await IRC.run(command + ["--masses", masses])
      #expect(run.status == 64, "\(command) --masses \(masses): \(run)")
      #expect(run.stderr.contains("Error: \(message)"), "\(run.stderr)")
    }
  }

  /// An isotope the XYZ start holds may be given its mass.
  @Test func massesOfTheStartsIsotopesAreAccepted() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let start = try directory.write(
      "3\nD + H2\nD 0 0 0\nH 1.1493779934 0 0\nH 2.0118467633 0 0\n", to: "dhh.xyz")
    let run = try await IRC.run(
      ["saddle", "h3-leps", "--from", start.path, "--masses", "D=2.014,H=1.008"])
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains("masses             D 2.014, H 1.008 amu"), "\(run.stdout)")
  }
}
