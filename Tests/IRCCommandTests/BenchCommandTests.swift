import Foundation
import Testing

/// `irc bench`: the measurements it reports are the ones it made, in a document other
/// programs can read.
@Suite struct BenchCommandTests {
  /// RK4 on Müller–Brown: every run converges on both branches, its deviation shrinks as
  /// the step does, the measured order is near 4, and the figure is written.
  @Test func rk4OnMullerBrownWithFigure() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["bench", "muller-brown", "--methods", "rk4", "--repeats", "1", "--json", "--svg", "b.svg"],
      in: directory.url)
    #expect(run.status == 0, "\(run)")
    let document = try JSONDocument.object(run.stdout)
    let runs = try #require(document["runs"] as? [[String: Any]])
    #expect(runs.count == 10, "S1 and S2, five steps each")
    for saddle in ["S1", "S2"] {
      let ladder = runs.filter { $0["saddle"] as? String == saddle }
      let deviations = ladder.compactMap { $0["maxDeviation"] as? Double }
      #expect(deviations.count == 5)
      #expect(deviations == deviations.sorted(by: >), "\(saddle): \(deviations)")
      for entry in ladder {
        let termination = try #require(entry["termination"] as? [String: String])
        #expect(termination == ["forward": "converged", "backward": "converged"], "\(entry)")
      }
    }
    let orders = try #require(document["orders"] as? [[String: Any]])
    #expect(orders.count == 2)
    for row in orders {
      let measured = (row["orders"] as? [Any] ?? []).compactMap { $0 as? Double }
      #expect(measured.contains { isClose($0, 4, absolute: 0.5) }, "\(row)")
    }
    #expect(try directory.contents() == ["b.svg"])
    let svg = try FigureCommandTests.SVGDocument(directory.file("b.svg"))
    #expect(svg.texts.contains { $0.contains("rk4") }, "no rk4 line in the legend")
  }

  /// The formula evaluator against the built-in kind: the same Müller–Brown to rounding,
  /// with both timings measured and finite.
  @Test func surfacesComparesTheFormulaWithTheBuiltIn() async throws {
    let run = try await IRC.run(["bench", "--surfaces", "--repeats", "3", "--json"])
    #expect(run.status == 0, "\(run)")
    let document = try JSONDocument.object(run.stdout)
    #expect(document["baseline"] as? String == "muller-brown (gaussian-sum)")
    #expect(document["candidate"] as? String == "muller-brown-formula (expression)")
    let difference = try #require(document["relativeDifference"] as? [String: Double])
    for (name, value) in difference { #expect(value < 1e-13, "\(name): \(value)") }
    for key in ["energyAndGradientRatio", "hessianRatio"] {
      let ratio = try #require(document[key] as? Double)
      #expect(ratio.isFinite && ratio > 0, "\(key) = \(ratio)")
    }
  }

  /// A named surface without a listed saddle has no IRC to measure: a clear error, not an
  /// empty table.
  @Test func aSurfaceWithoutASaddleIsRefused() async throws {
    let run = try await IRC.run(["bench", "rosenbrock"])
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.hasPrefix("Error: rosenbrock lists no saddle; "), "\(run)")
    #expect(run.stdout == "")
  }

  @Test func surfacesRefusesTwoDimensions() async throws {
    let run = try await IRC.run(["bench", "--surfaces", "muller-brown", "curved-double-well"])
    #expect(run.status == 1, "\(run)")
    #expect(
      run.stderr
        == "Error: cannot compare curved-double-well (3 coordinates) with muller-brown (2): "
        + "the timing evaluates both at the same points\n")
  }
}
