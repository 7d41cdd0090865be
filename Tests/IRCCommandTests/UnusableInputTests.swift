import Foundation
import Testing

/// Input that is understood but cannot be used: exit 1, a message that says what and
/// where, and no output file (nothing is written when a run cannot start).
@Suite struct UnusableInputTests {
  static let builtInList =
    "Built-in potentials: anapot, cbm, curved-double-well, h3-leps, leps, leps-harmonic, lj13, "
    + "lj7, muller-brown, muller-brown-formula, neria-fischer-karplus, rosenbrock, wolfe-quapp "
    + "(see 'irc potentials').\n"
  static let ownFileHint = "To load your own file, give its path (for example ./my-surface.json).\n"
  static let formatHint = "See the potential-file format in README.md.\n"

  /// Runs `irc trace <arguments> --xyz out.xyz --csv out.csv` in `directory` and checks the
  /// run refused to start: exit 1, nothing on stdout, no file added to the directory.
  static func refuse(
    _ arguments: [String], in directory: TemporaryDirectory,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> IRC.Result {
    let before = try directory.contents()
    let run = try await IRC.run(
      ["trace"] + arguments + ["--xyz", "out.xyz", "--csv", "out.csv"], in: directory.url)
    #expect(run.status == 1, "\(run)", sourceLocation: sourceLocation)
    #expect(run.stdout == "", "a refused run printed a log", sourceLocation: sourceLocation)
    #expect(run.stderr.hasPrefix("Error: "), "\(run)", sourceLocation: sourceLocation)
    #expect(
      try directory.contents() == before, "a refused run wrote files",
      sourceLocation: sourceLocation)
    return run
  }

  /// A copy of Müller–Brown with one substitution made.
  static func mullerBrown(replacing old: String, with new: String) throws -> String {
    let text = try String(contentsOf: IRC.builtInFile("muller-brown"), encoding: .utf8)
    try #require(text.contains(old), "muller-brown.json no longer contains \(old)")
    return text.replacingOccurrences(of: old, with: new)
  }

  @Test func unknownPotentialListsTheBuiltIns() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await Self.refuse(["nosuch"], in: directory)
    #expect(
      run.stderr
        == "Error: unknown potential 'nosuch'\n" + Self.builtInList + Self.ownFileHint)
    let typo = try await Self.refuse(["muller-brwn"], in: directory)
    #expect(
      typo.stderr
        == "Error: unknown potential 'muller-brwn'; did you mean 'muller-brown'?\n"
        + Self.builtInList + Self.ownFileHint)
  }

  @Test func missingPotentialFile() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.file("missing.json").path
    let run = try await Self.refuse([path], in: directory)
    #expect(run.stderr == "Error: no potential file at \(path)\n")
  }

  struct Malformed: Sendable, CustomTestStringConvertible {
    var old: String
    var new: String
    /// What follows `Error: <path>: ` on stderr.
    var message: String
    var testDescription: String { message }
  }

  static let malformed: [Malformed] = [
    Malformed(
      old: #""c": -6.5, "x0": -0.5"#, new: #""cc": -6.5, "x0": -0.5"#,
      message: #"unknown key "cc" in parameters.terms[2]; allowed keys: A, a, b, c, x0, y0"#),
    Malformed(
      old: #""c": -6.5, "x0": -0.5"#, new: #""c": "ten", "x0": -0.5"#,
      message: "parameters.terms[2].c: expected a number, found a string"),
    Malformed(
      old: #""defaults": {"stepLength""#, new: #""defaults": {"stepLenght""#,
      message: #"unknown key "stepLenght" in defaults; allowed keys: "#
        + "gradientScale, gradientTolerance, maxSteps, stepLength"),
  ]

  @Test(arguments: malformed)
  func malformedPotentialFileNamesFileAndField(_ malformed: Malformed) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let inputs = try TemporaryDirectory()
    defer { inputs.remove() }
    let file = try inputs.write(
      try Self.mullerBrown(replacing: malformed.old, with: malformed.new), to: "broken.json")
    let run = try await Self.refuse([file.path], in: directory)
    #expect(run.stderr == "Error: \(file.path): \(malformed.message)\n" + Self.formatHint)
  }

  @Test func truncatedPotentialFileGivesLineAndColumn() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let text = try String(contentsOf: IRC.builtInFile("muller-brown"), encoding: .utf8)
    let file = try directory.write(String(text.prefix(300)), to: "truncated.json")
    let run = try await Self.refuse([file.path], in: directory)
    #expect(run.stderr.hasPrefix("Error: \(file.path): line "), "\(run)")
    #expect(run.stderr.contains("not valid JSON"), "\(run)")
  }

  @Test func startAtAMinimumIsRefused() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await Self.refuse(["--saddle", "MA"], in: directory)
    #expect(
      run.stderr == "Error: 'MA' is a minimum of muller-brown, not a saddle; its saddles: S1, S2\n")
    let unknown = try await Self.refuse(["--saddle", "S9"], in: directory)
    #expect(unknown.stderr == "Error: muller-brown lists no point 'S9'; its saddles: S1, S2\n")
  }

  @Test func startWithNoSaddleInReach() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    // Far up Müller–Brown's outer wall, where the softest mode climbs in both directions
    // without meeting a saddle.
    let run = try await Self.refuse(["--from", "3,3"], in: directory)
    #expect(
      run.stderr.hasPrefix(
        "Error: no first-order saddle from the start (3.0, 3.0) on muller-brown"),
      "\(run)")
    #expect(run.stderr.hasSuffix("start closer to a saddle\n"), "\(run)")
  }

  @Test func outputIntoMissingDirectoryIsRefusedBeforeComputing() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let missing = directory.file("no-such-folder")
    for option in ["--xyz", "--csv"] {
      let target = missing.appendingPathComponent("path.out").path
      let run = try await IRC.run(["trace", option, target], in: directory.url)
      #expect(run.status == 1, "\(run)")
      // No settings header: the refusal came before the saddle search.
      #expect(run.stdout == "")
      #expect(
        run.stderr == "Error: \(option) \(target): the directory \(missing.path) does not exist\n")
    }
    let folder = try await IRC.run(["trace", "--xyz", directory.url.path], in: directory.url)
    #expect(folder.status == 1, "\(folder)")
    #expect(folder.stdout == "")
    #expect(folder.stderr.hasSuffix(": is a directory; give a file name\n"), "\(folder)")
    #expect(try directory.contents() == [])
  }
}
