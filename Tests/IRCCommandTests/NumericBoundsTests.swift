import Foundation
import Testing

/// Numbers a user types or a file holds (issue 10, findings 1, 2, 3 and 7): a yardstick
/// that underflows or overflows, a setting outside the range the surface allows, a point
/// that is not stationary. Each ends with exit 1 (the file) or 64 (the command line) and a
/// message naming what to set; none traps, hangs or vouches for a wrong point.
@Suite struct NumericBoundsTests {
  /// Writes `text` as `name` in `directory` and returns its path.
  static func write(_ text: String, _ name: String, in directory: TemporaryDirectory) throws
    -> String
  {
    let url = directory.file(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// A two-dimensional formula file with one listed saddle, on [-1, 1]².
  static func formula(_ energy: String, saddle: String) -> String {
    """
    {"format": "irc-potential/1", "name": "f", "kind": "expression", "coordinates": ["x", "y"],
     "parameters": {"energy": "\(energy)"},
     "stationaryPoints": [{"label": "TS", "kind": "saddle", "coordinates": [\(saddle)]}],
     "plotRange": {"lower": [-1, -1], "upper": [1, 1]}}
    """
  }

  /// Finding 1: a LEPS whose Morse exponent is subnormal is flat (G ≈ 7e-323); every
  /// command that derives a tolerance from G trapped on a `try!` (exit 132).
  @Test func subnormalGradientScaleIsAnUnusableInput() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let leps = try String(contentsOf: IRC.builtInFile("leps"), encoding: .utf8)
    try #require(leps.contains("\"alpha\": 1.942"))
    let path = try Self.write(
      leps.replacingOccurrences(of: "\"alpha\": 1.942", with: "\"alpha\": 4.9e-324"),
      "flat.json", in: directory)
    for arguments in [
      ["trace", path], ["map", path], ["neb", path, "--from", "0.8,3", "--to", "3,0.8"],
      ["bench", path], ["validate", path],
    ] {
      let run = try await IRC.run(arguments, in: directory.url)
      #expect(run.status == 1, "\(run)")
      #expect(
        run.stderr.hasPrefix(
          "Error: \(path): the gradient scale G, the median |∇V| over 400 points of the region, "
            + "is 6.917e-323, outside the usable range from 1e-150 to 1e+150; set "
            + "defaults.gradientScale in the file or give --gradient-scale <G>"), "\(run)")
    }
  }

  /// Finding 1: amplitudes of 1e-300 make G ≈ 3e-301; `validate` said ok and the
  /// derived tolerances (1e-10·G) were subnormal.
  @Test func tinyAmplitudesAreRefusedBeforeTheyUnderflow() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = try Self.write(
      """
      {"format": "irc-potential/1", "name": "tiny", "kind": "gaussian-sum", "coordinates": ["x", "y"],
       "parameters": {"terms": [{"A": -1e-300, "a": -1, "b": 0, "c": -1, "x0": -1, "y0": 0},
                                {"A": -1e-300, "a": -1, "b": 0, "c": -1, "x0": 1, "y0": 0}]},
       "stationaryPoints": [{"label": "TS", "kind": "saddle", "coordinates": [0, 0]}],
       "plotRange": {"lower": [-3, -2], "upper": [3, 2]}}
      """, "tiny.json", in: directory)
    for command in ["validate", "trace"] {
      let run = try await IRC.run([command, path], in: directory.url)
      #expect(run.status == 1, "\(run)")
      #expect(run.stderr.contains("outside the usable range from 1e-150 to 1e+150"), "\(run)")
      #expect(run.stderr.contains("set defaults.gradientScale"), "\(run)")
    }
  }

  /// Finding 1: a plot range of ±1e308 has infinite sides; the trust radius (5 % of a side)
  /// was infinite and trapped.
  @Test func infinitePlotRangeNamesTheField() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = try Self.write(
      try UnusableInputTests.mullerBrown(
        replacing: "\"plotRange\": {\"lower\": [-1.75, -0.5], \"upper\": [1.25, 2.25]}",
        with: "\"plotRange\": {\"lower\": [-1e308, -1e308], \"upper\": [1e308, 1e308]}"),
      "huge.json", in: directory)
    for command in ["trace", "map", "validate"] {
      let run = try await IRC.run([command, path], in: directory.url)
      #expect(run.status == 1, "\(run)")
      #expect(
        run.stderr.hasPrefix(
          "Error: \(path): plotRange: the plot range from [-1e+308, -1e+308] to [1e+308, 1e+308] "
            + "has sides [inf, inf]"), "\(run)")
    }
  }

  /// Finding 2: the scale is derived from a counted 400 gradients, printed beside it, and
  /// `--gradient-scale` gives it outright without sampling.
  @Test func gradientScaleReportsItsCostOrComesFromTheCommandLine() async throws {
    let derived = try await IRC.run(["trace", "--max-steps", "1"])
    #expect(
      derived.stdout.contains(
        "\n  gradient scale G   214.241 (median |∇V| over 400 points of the plot range)\n"),
      "\(derived)")
    let given = try await IRC.run([
      "trace", "--max-steps", "1", "--gradient-scale", "100", "--json",
    ])
    #expect(given.stderr.contains("\n  gradient scale G   100 (command line)\n"), "\(given)")
    let summary = try JSONSerialization.jsonObject(with: Data(given.stdout.utf8)) as? [String: Any]
    let settings = try #require(summary?["settings"] as? [String: Any])
    #expect(settings["gradientScale"] as? Double == 100)
    #expect(settings["gradientScaleEvaluations"] as? Int == 0)
  }

  /// Finding 2: 60 coordinates (a 2⁶⁰-point grid before) cost the same 400 gradients.
  @Test func sixtyCoordinatesValidateQuickly() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let names = (1...60).map { "q\($0)" }
    let energy = names.dropLast().map { "\($0)^2" }.joined(separator: " + ") + " - q60^2"
    let path = try Self.write(
      """
      {"format": "irc-potential/1", "name": "sixty", "kind": "expression",
       "coordinates": [\(names.map { "\"\($0)\"" }.joined(separator: ", "))],
       "parameters": {"energy": "\(energy)"},
       "stationaryPoints": [{"label": "TS", "kind": "saddle",
                             "coordinates": [\(Array(repeating: "0", count: 60).joined(separator: ", "))]}]}
      """, "sixty.json", in: directory)
    // Before: a 2⁶⁰-point grid, which never ends; the timeout fails it instead of hanging.
    let run = try await IRC.run(["validate", path], in: directory.url, timeout: .seconds(120))
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains("expression, 60 coordinates, gradient scale "), "\(run)")
  }

  /// Finding 3: settings the surface cannot use are refused before the trace, naming the
  /// option and this surface's range (Müller–Brown S1: L = 0.2853, G = 214.241).
  @Test func settingsOutsideTheSurfacesRangeAreUsageErrors() async throws {
    for (arguments, message) in [
      (
        ["--step", "1e-9"],
        "Error: --step: the step length 1e-09 is outside the range this surface and saddle "
          + "allow, from 2.853e-06 to 4.07\n"
      ),
      (
        ["--gtol", "4.9e-324"],
        "Error: --gtol: the gradient tolerance 4.941e-324 is outside the range this surface and "
          + "saddle allow, from 2.142e-10 to 21.42\n"
      ),
      (
        ["--method", "adaptive", "--path-tol", "1"],
        "Error: --path-tol: the path tolerance 1 is outside the range this surface and saddle "
          + "allow, from 2.853e-13 to 0.02853\n"
      ),
      (
        ["--step", "10"],
        "Error: --step: the step length 10 is outside the range this surface and saddle allow, "
          + "from 2.853e-06 to 4.07\n"
      ),
    ] {
      let run = try await IRC.run(["trace"] + arguments)
      #expect(run.status == 64, "\(run)")
      #expect(run.stdout == "")
      #expect(run.stderr.hasPrefix(message), "\(run)")
      #expect(run.stderr.contains("\nUsage: irc trace "), "\(run)")
    }
    let saddle = try await IRC.run(["saddle", "--from", "-0.8,0.6", "--gtol", "100"])
    #expect(saddle.status == 64, "\(saddle)")
    #expect(saddle.stderr.hasPrefix("Error: --gtol 100 is outside the range"), "\(saddle)")
  }

  /// Finding 3: the same range holds for the file's defaults, which are an unusable input.
  @Test func fileDefaultOutsideTheRangeNamesTheField() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = try Self.write(
      try UnusableInputTests.mullerBrown(
        replacing: "\"stepLength\": 0.01", with: "\"stepLength\": 1e-9"),
      "fine.json", in: directory)
    let run = try await IRC.run(["trace", path], in: directory.url)
    #expect(run.status == 1, "\(run)")
    #expect(
      run.stderr.hasPrefix(
        "Error: \(path): defaults.stepLength: the step length 1e-09 is outside the range this "
          + "surface and saddle allow, from 2.853e-06 to 4.07; correct it or give --step\n"),
      "\(run)")
  }

  /// Finding 7: at (0, 0.5) on −y², |∇V| = 1 and the Hessian has a zero eigenvalue, so the
  /// Newton distance is NaN; `NaN > tolerance` is false and `validate` said "ok".
  @Test func validateFailsClosedOnANonFiniteNewtonStep() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let path = try Self.write(
      Self.formula("-y^2", saddle: "0, 0.5"), "ridge.json", in: directory)
    let run = try await IRC.run(["validate", path], in: directory.url)
    #expect(run.status == 1, "\(run)")
    #expect(
      run.stdout.contains(
        "FAIL: not stationary: the Newton step to the exact point is not finite (|∇V| = 1 with "
          + "a zero Hessian eigenvalue)"), "\(run)")
    #expect(!run.stdout.contains(": ok"), "\(run)")
  }
}
