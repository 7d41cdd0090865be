import Foundation
import Testing

/// `irc saddle --method dimer`, `irc neb` and `irc map` end to end.
@Suite struct SearchCommandTests {
  @Test func dimerFindsS1WithGradientsOnly() async throws {
    let run = try await IRC.run(["saddle", "--from", "-0.75,0.55", "--method", "dimer", "--json"])
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["method"] as? String == "dimer")
    #expect(result["converged"] as? Bool == true)
    #expect(result["matches"] as? String == "S1")
    // The one Hessian is the verification.
    #expect(result["hessianEvaluations"] as? Double == 1)
    #expect(try #require(result["gradientEvaluations"] as? Double) <= 60)
    #expect(try JSONDocument.numbers(result["hessianEigenvalues"]).filter { $0 < 0 }.count == 1)
  }

  /// A search that finds nothing exits 2 and its JSON says so, with the work it did.
  @Test func failedSearchExitsTwoWithItsCounts() async throws {
    let run = try await IRC.run(["saddle", "--from", "3,3", "--json"])
    #expect(run.status == 2, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["converged"] as? Bool == false)
    #expect(try #require(result["gradientEvaluations"] as? Double) > 0)
    #expect(run.stderr.contains("Error: no first-order saddle from the start"))
  }

  @Test func elasticBandFromMAToMBWritesTheBand() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["neb", "--from", "MA", "--to", "MB", "--xyz", "band.xyz", "--csv", "band.csv", "--json"],
      in: directory.url)
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    let saddles = try #require(result["saddles"] as? [[String: Any]])
    #expect(saddles.compactMap { $0["matches"] as? String } == ["S1", "S2"])
    #expect(saddles.allSatisfy { ($0["converged"] as? Bool) == true })
    let minima = try #require(result["minima"] as? [[String: Any]])
    #expect(minima.compactMap { $0["matches"] as? String } == ["MC"])
    #expect(try #require(result["gradientEvaluations"] as? Double) <= 1500)
    let path = try #require(result["path"] as? [String: Any])
    #expect(path["complete"] as? Bool == true)
    let frames = try XYZTrajectory.parse(try Data(contentsOf: directory.file("band.xyz")))
    #expect(frames.count == 14)
    let table = try CSVTable.parse(try Data(contentsOf: directory.file("band.csv")))
    #expect(table.header == ["s", "energy", "grad_norm", "direction", "step", "x", "y"])
    #expect(table.rows.count == 14)
    #expect(table.rows.allSatisfy { $0[3] == "band" })
  }

  @Test func nebRefusesASaddleAsAnEnd() async throws {
    let run = try await IRC.run(["neb", "--from", "S1", "--to", "MB"])
    #expect(run.status == 1, "\(run)")
    #expect(
      run.stderr.hasPrefix("Error: --from 'S1' is a saddle of muller-brown; a band joins minima"))
  }

  @Test func mapOfMullerBrown() async throws {
    let run = try await IRC.run(["map", "--json"])
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    let nodes = try #require(result["nodes"] as? [[String: Any]])
    #expect(nodes.compactMap { $0["label"] as? String } == ["MA", "MB", "MC", "S2", "S1"])
    #expect(
      nodes.compactMap { $0["kind"] as? String } == [
        "minimum", "minimum", "minimum", "saddle", "saddle",
      ])
    let edges = try #require(result["edges"] as? [[String: Any]])
    var joined: [String: Set<String>] = [:]
    for edge in edges {
      let saddle = try #require(edge["saddle"] as? Double)
      let ends = try JSONDocument.numbers(edge["ends"])
      joined[nodes[Int(saddle)]["label"] as? String ?? "?"] = Set(
        ends.map { nodes[Int($0)]["label"] as? String ?? "?" })
      let barriers = try JSONDocument.numbers(edge["barriers"])
      #expect(barriers.count == 2 && barriers.allSatisfy { $0 > 0 })
    }
    #expect(joined == ["S1": ["MA", "MC"], "S2": ["MC", "MB"]])
    #expect(run.stderr.contains("S1: MC [40.102975] ↔ MA [106.03467]"), "\(run)")
  }
}
