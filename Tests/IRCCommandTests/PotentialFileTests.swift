import Foundation
import Testing

/// `irc potentials`, `irc validate`, and loading a surface by path or from `IRC_POTENTIALS`.
@Suite struct PotentialFileTests {
  static let builtIns = [
    "anapot", "cbm", "curved-double-well", "h3-leps", "leps", "leps-harmonic", "lj13", "lj7",
    "muller-brown", "muller-brown-formula", "neria-fischer-karplus", "rosenbrock", "wolfe-quapp",
  ]

  /// A shipped file's top-level fields.
  static func shipped(_ name: String) throws -> [String: Any] {
    try JSONDocument.object(
      try String(contentsOf: IRC.builtInFile(name), encoding: .utf8))
  }

  @Test func potentialsListsTheBuiltInsWithTitles() async throws {
    let run = try await IRC.run(["potentials"])
    #expect(run.status == 0, "\(run)")
    #expect(run.stderr == "")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    let named = lines.filter { !$0.hasPrefix(" ") }
    #expect(named.map { String($0.prefix { $0 != " " }) } == Self.builtIns)
    for (name, line) in zip(Self.builtIns, named) {
      let title = try #require(try Self.shipped(name)["title"] as? String)
      #expect(line.hasSuffix(" " + title), "\(name): '\(line)' should end with its title")
    }
    // Points are listed under the titles, indented past the longest name.
    #expect(lines.contains(String(repeating: " ", count: 23) + "points: MA MB MC S1 S2"), "\(run)")
  }

  @Test(arguments: builtIns)
  func validateBuiltIn(_ name: String) async throws {
    let run = try await IRC.run(["validate", name])
    #expect(run.status == 0, "\(run)")
    #expect(run.stderr == "")
    let points = try #require(try Self.shipped(name)["stationaryPoints"] as? [[String: Any]])
    #expect(run.stdout.hasPrefix("irc validate: \(IRC.builtInFile(name).path)\n"))
    #expect(run.stdout.hasSuffix("  all \(points.count) listed points verified\n"), "\(run)")
    #expect(!run.stdout.contains("FAIL"))
    for point in points {
      let label = try #require(point["label"] as? String)
      #expect(
        run.stdout.split(separator: "\n").contains {
          $0.hasPrefix("  \(label) ") && $0.hasSuffix(": ok")
        },
        "no ok line for \(label)")
    }
  }

  /// A file whose "minimum" MA sits on the saddle S1 fails validation.
  @Test func validateCatchesAMislabelledPoint() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let text = try UnusableInputTests.mullerBrown(
      replacing:
        #""coordinates": [-0.5582236346330243, 1.441725841804669], "energy": -146.699517209954"#,
      with: #""coordinates": [-0.8220015587327321, 0.6243128028148714]"#)
    let file = try directory.write(text, to: "mislabelled.json")
    let run = try await IRC.run(["validate", file.path])
    #expect(run.status == 1, "\(run)")
    let ma = run.stdout.split(separator: "\n").first { $0.hasPrefix("  MA ") }
    #expect(
      ma?.hasSuffix(": FAIL: Hessian index 1, but a minimum has index 0") == true, "\(run)")
    #expect(run.stdout.split(separator: "\n").filter { $0.contains("FAIL") }.count == 1)
    #expect(run.stderr == "Error: 1 listed point is not what the file claims\n")
  }

  @Test func traceLoadsAPotentialByPath() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let copy = directory.file("copy.json")
    try FileManager.default.copyItem(at: IRC.builtInFile("muller-brown"), to: copy)
    let run = try await IRC.run(["trace", copy.path, "--json"])
    #expect(run.status == 0, "\(run)")
    let summary = try JSONDocument.object(run.stdout)
    #expect(summary["potential"] as? String == "muller-brown")
    let ends = try JSONDocument.branches(summary).map { ($0["end"] as? [String: Any])?["matches"] }
    #expect(Set(ends.compactMap { $0 as? String }) == ["MA", "MC"])
    #expect(run.stderr.contains("\n  potential file     \(copy.path)\n"), "\(run)")
  }

  /// A file in an `IRC_POTENTIALS` directory loads by name, and is listed as a built-in.
  @Test func potentialDirectoryFromEnvironment() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let text = try UnusableInputTests.mullerBrown(
      replacing: #""name": "muller-brown""#, with: #""name": "my-surface""#)
    let file = try directory.write(text, to: "my-surface.json")
    let environment = ["IRC_POTENTIALS": directory.url.path]

    let run = try await IRC.run(["trace", "my-surface", "--json"], environment: environment)
    #expect(run.status == 0, "\(run)")
    #expect(try JSONDocument.object(run.stdout)["potential"] as? String == "my-surface")
    #expect(run.stderr.contains("\n  potential file     \(file.path)\n"), "\(run)")

    let listed = try await IRC.run(["potentials"], environment: environment)
    #expect(listed.status == 0, "\(listed)")
    #expect(listed.stdout.split(separator: "\n").contains { $0.hasPrefix("my-surface ") })

    let without = try await IRC.run(["trace", "my-surface"])
    #expect(without.status == 1, "without IRC_POTENTIALS the name is unknown: \(without)")
    #expect(without.stderr.hasPrefix("Error: unknown potential 'my-surface'\n"))
  }
}
