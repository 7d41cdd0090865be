import Foundation
import Testing

/// Usage errors: exit 64, stderr `Error: …`, the usage line and where to get help, and
/// nothing on stdout or on disk.
@Suite struct UsageErrorTests {
  /// The figure options that trace, saddle and neb share with `irc plot`.
  static let figureOptions =
    "[--svg <file> [--range <x0,y0,x1,y1>] [--grid <n>] [--energy-max <e>]]"

  struct Case: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var message: String
    /// The subcommand whose usage is shown; nil for the top-level usage.
    var command: String?

    init(_ arguments: [String], _ message: String, command: String? = "trace") {
      self.arguments = arguments
      self.message = message
      self.command = command
    }

    var testDescription: String { "irc " + arguments.joined(separator: " ") }

    var expectedStderr: String {
      let usage: String
      switch command {
      case "trace": usage = HelpTests.traceUsage
      case "saddle":
        usage =
          "irc saddle [<potential>] --from <x,y|file.xyz> [--masses <list>] [--checkpoint <file>] [--jobs <n>] [--method <method>] [--mode <k>] [--gtol <g>] [--gradient-scale <G>] [--json] "
          + UsageErrorTests.figureOptions
      case "validate": usage = "irc validate [<potential>] [--gradient-scale <G>]"
      case "bench":
        usage =
          "irc bench [<potential>...] [--methods <m1,m2,...>] [--repeats <n>] "
          + "[--saddles | --surfaces | --clusters [--sizes <list>]] "
          + "[--engine <file> --from <file.xyz> [--calls <n>]] [--json] [--svg <file>]"
      case "neb":
        usage =
          "irc neb [<potential>] --from <A> --to <B> [--masses <list>] [--checkpoint <file>] [--jobs <n>] [--images <n>] [--gradient-scale <G>] [--xyz <file>] [--csv <file>] [--json] "
          + UsageErrorTests.figureOptions
      case "map":
        usage =
          "irc map [<potential>] [--range <x0,y0,x1,y1>] [--grid <n>] [--gradient-scale <G>] [--json] "
          + "[--svg <file>] "
          + "[--energy-max <e>]"
      case "plot":
        usage =
          "irc plot [<potential>] --svg <file> [--range <x0,y0,x1,y1>] [--grid <n>] [--energy-max <e>]"
      default: usage = "irc <subcommand> [<arguments>] [<options>]"
      }
      let help = command.map { "irc \($0) --help" } ?? "irc --help"
      return "Error: \(message)\nUsage: \(usage)\n  See '\(help)' for more information.\n"
    }
  }

  static let cases: [Case] = [
    Case(["trace", "--stepp", "0.1"], "unknown option '--stepp'; did you mean '--step'?"),
    Case(["trace", "--step"], "option '--step' needs a value <h>"),
    Case(["trace", "--step="], "option '--step' needs a value <h>"),
    Case(["trace", "--step", "abc"], "option '--step' expects a number, got 'abc'"),
    Case(["trace", "--step", "nan"], "option '--step' expects a number, got 'nan'"),
    Case(["trace", "--gtol", "1e999"], "option '--gtol' expects a number, got '1e999'"),
    Case(["trace", "--step", "0"], "option '--step' must be positive, got '0'"),
    Case(["trace", "--step=-0.01"], "option '--step' must be positive, got '-0.01'"),
    Case(["trace", "--gtol", "0"], "option '--gtol' must be positive, got '0'"),
    Case(
      ["trace", "--max-steps", "0"],
      "option '--max-steps' expects a whole number from 1 to 100000, got '0'"),
    Case(
      ["trace", "--max-steps", "2.5"],
      "option '--max-steps' expects a whole number from 1 to 100000, got '2.5'"),
    Case(
      ["trace", "--method", "rk9"],
      "unknown method 'rk9'; values: euler, rk4, gs2, lqa, hpc, eulerpc, adaptive, surrogate"),
    Case(
      ["trace", "--method", "euler", "--hessian", "exact"],
      "--hessian applies to gs2, lqa, hpc, eulerpc, not euler"),
    // Without --method the default of a model surface is euler, which takes no Hessians.
    Case(
      ["trace", "--hessian", "exact"], "--hessian applies to gs2, lqa, hpc, eulerpc, not euler"),
    Case(
      ["trace", "--method", "lqa", "--hessian", "fresh"],
      "unknown Hessian source 'fresh'; values: exact, updated"),
    Case(
      ["trace", "--method", "rk4", "--path-tol", "1e-6"],
      "--path-tol applies to adaptive and surrogate, not rk4; a fixed-step method takes --step"),
    Case(
      ["trace", "--method", "adaptive", "--path-tol", "-1"],
      "option '--path-tol' must be positive, got '-1'"),
    Case(
      ["bench", "--methods", "euler,rk9"],
      "unknown method 'rk9' in --methods; values: euler, rk4, gs2, lqa, hpc, eulerpc, adaptive, surrogate",
      command: "bench"),
    Case(
      ["trace", "--saddle", "S1", "--from", "-0.8,0.6"], "give either --saddle or --from, not both"),
    Case(
      ["trace", "--from", "1,2,3"],
      "--from expects 2 comma-separated numbers for muller-brown (x,y), got 3"),
    Case(
      ["trace", "leps", "--from", "1"],
      "--from expects 2 comma-separated numbers for leps (rAB,rBC), got 1"),
    Case(
      ["trace", "--from", "1,x"],
      "option '--from' expects comma-separated numbers such as -0.82,0.62; "
        + "'x' in '1,x' is not a number"),
    Case(["trace", "--json", "--json"], "option '--json' is given more than once"),
    Case(["trace", "--json=yes"], "flag '--json' does not take a value"),
    Case(["trace", "muller-brown", "leps"], "unexpected argument 'leps'"),
    Case(
      ["trace", "--xyz", "out.txt", "--csv", "out.txt"],
      "--xyz and --csv name the same file 'out.txt'"),
    Case(["trac"], "unknown subcommand 'trac'; did you mean 'trace'?", command: nil),
    Case(["frobnicate"], "unknown subcommand 'frobnicate'", command: nil),
    Case(["help", "nosuch"], "unknown subcommand 'nosuch'", command: nil),
    Case(["saddle"], "missing --from <x,y>: the start of the search", command: "saddle"),
    Case(["saddle", "--from"], "option '--from' needs a value <x,y|file.xyz>", command: "saddle"),
    Case(["validate", "--json"], "unknown option '--json'", command: "validate"),
    Case(
      ["saddle", "--from", "-0.8,0.6", "--method", "newton"],
      "unknown method 'newton'; values: prfo, dimer", command: "saddle"),
    Case(
      ["saddle", "--from", "-0.8,0.6", "--method", "dimer", "--mode", "1"],
      "--mode applies to prfo, not dimer", command: "saddle"),
    Case(
      ["saddle", "--from", "-0.8,0.6", "--mode", "2"],
      "--mode 2 does not exist: muller-brown has modes 0 to 1", command: "saddle"),
    Case(["neb", "--from", "MA"], "missing --to <B>: the end of the band", command: "neb"),
    Case(
      ["neb", "--from", "MA", "--to", "1,2,3"],
      "--to expects a listed minimum (MA, MB, MC) or 2 comma-separated numbers, got '1,2,3'",
      command: "neb"),
    Case(
      ["neb", "--from", "MA", "--to", "MB", "--images", "0"],
      "option '--images' expects a whole number from 1 to 200, got '0'", command: "neb"),
    Case(
      ["map", "--range", "1,1,0,0"], "--range x0,y0,x1,y1 needs x1 > x0 and y1 > y0, got 1,1,0,0",
      command: "map"),
    Case(
      ["map", "--range", "0,0,1"],
      "--range expects four numbers x0,y0,x1,y1 (two corners), got 3", command: "map"),
    Case(
      ["map", "--energy-max", "1"], "--energy-max applies to the figure; give --svg <file> too",
      command: "map"),
    Case(["plot"], "missing --svg <file>: where to write the figure", command: "plot"),
    Case(["plot", "--svg"], "option '--svg' needs a value <file>", command: "plot"),
    Case(
      ["plot", "--svg", "mb.png"], "--svg expects a file name ending in .svg, got 'mb.png'",
      command: "plot"),
    Case(
      ["plot", "--svg", "mb.svg", "--grid", "5"],
      "--grid expects a whole number from 10 to 1000, got 5", command: "plot"),
    Case(
      ["plot", "--svg", "mb.svg", "--energy-max", "inf"],
      "option '--energy-max' expects a number, got 'inf'", command: "plot"),
    Case(
      ["trace", "--range", "0,0,1,1"], "--range applies to the figure; give --svg <file> too"),
    Case(
      ["trace", "--svg", "path.svg", "--xyz", "./path.svg"],
      "--xyz and --svg name the same file './path.svg'"),
    Case(
      ["neb", "--from", "MA", "--to", "MB", "--grid", "40"],
      "--grid applies to the figure; give --svg <file> too", command: "neb"),
    Case(
      ["bench", "--surfaces", "muller-brown"],
      "--surfaces compares two potentials, the baseline then the candidate; got 1",
      command: "bench"),
    Case(
      ["bench", "--surfaces", "--methods", "rk4"], "--methods does not apply to --surfaces",
      command: "bench"),
    Case(
      ["bench", "--saddles", "--svg", "bench.svg"],
      "--svg draws the IRC benchmark, not --saddles", command: "bench"),
    Case(
      ["map", "--grid", "1"], "option '--grid' expects a whole number from 2 to 100, got '1'",
      command: "map"),
    Case(
      ["bench", "--saddles", "--methods", "euler"],
      "--methods selects IRC methods; --saddles measures prfo and dimer", command: "bench"),
    // Every size option has an upper bound (issue 10, finding 3): these overflowed, or
    // allocated 80 GB to 8 TB, before.
    Case(
      ["map", "--grid", "3037000500"],
      "option '--grid' expects a whole number from 2 to 100, got '3037000500'", command: "map"),
    Case(
      ["neb", "--from", "MA", "--to", "MB", "--images", "1000000000000"],
      "option '--images' expects a whole number from 1 to 200, got '1000000000000'",
      command: "neb"),
    Case(
      ["trace", "--max-steps", "100001"],
      "option '--max-steps' expects a whole number from 1 to 100000, got '100001'"),
    Case(
      ["bench", "--repeats", "101"],
      "option '--repeats' expects a whole number from 1 to 100, got '101'", command: "bench"),
    Case(
      ["trace", "--method", "adaptive", "--step", "1e308"],
      "option '--step' expects a number of magnitude at most 1e+150, got '1e308'"),
    Case(
      ["trace", "--gradient-scale", "4.9e-324"],
      "option '--gradient-scale' expects a number from 1e-150 to 1e+150, got '4.9e-324'"),
    Case(
      ["saddle", "--from", "1e200,0"],
      "option '--from' expects numbers of magnitude at most 1e+150; '1e200' in '1e200,0' is "
        + "beyond",
      command: "saddle"),
    Case(
      ["plot", "--svg", "x.svg", "--range", "1,0,1.0000000000000002,1"],
      "--range: the region from [1.0, 0.0] to [1.0000000000000002, 1.0] has sides "
        + "[2.220446049250313e-16, 1.0]; each side must be from 1e-150 to 1e+150 and at least "
        + "1e-09 of its corners' magnitude",
      command: "plot"),
  ]

  @Test(arguments: cases)
  func usageError(_ usage: Case) async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    // Output files are requested where the case leaves room, to show none is created; they
    // go right after the subcommand so that an option left at the end stays at the end.
    var arguments = usage.arguments
    if usage.command == "trace" && !arguments.contains("--xyz") {
      arguments.insert(contentsOf: ["--xyz", "out.xyz", "--csv", "out.csv"], at: 1)
    }
    let run = try await IRC.run(arguments, in: directory.url)
    #expect(run.status == 64, "\(run)")
    #expect(run.stderr == usage.expectedStderr)
    #expect(run.stdout == "")
    #expect(try directory.contents() == [])
  }

  /// The same file spelt twice must be refused like the same spelling is, before any
  /// computing; otherwise the CSV would overwrite the trajectory.
  @Test func sameOutputFileSpeltTwoWays() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["trace", "--xyz", "out.txt", "--csv", "./out.txt"], in: directory.url)
    #expect(run.status == 64, "\(run)")
    #expect(run.stderr.hasPrefix("Error: --xyz and --csv name the same file"), "\(run)")
    #expect(run.stdout == "", "the trace ran before the clash was noticed")
    #expect(try directory.contents() == [])
  }
}
