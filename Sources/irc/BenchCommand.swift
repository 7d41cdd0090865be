import Foundation
import IRCBench
import IRCKit

/// `irc bench`: every method against a reference path on every built-in saddle with finite
/// minima: evaluations, deviation, endpoint error, termination, time, measured order.
enum BenchCommand: Command {
  static let spec = CommandSpec(
    name: "bench",
    abstract: "Measure every IRC method's accuracy, cost and speed against a reference path.",
    discussion: """
      For each saddle with finite minima (default: every built-in one), traces a reference
      path with 'adaptive' at a path tolerance of 1e-11, then every method over a ladder:
      steps h0·{4, 2, 1, 1/2, 1/4} (h0 the potential's step length), path tolerances
      1e-3…1e-8 for adaptive and 1e-3…5e-7 for surrogate, exact and updated Hessians for
      Hessian-based methods. Reports gradient and Hessian evaluations (after the saddle,
      both branches), gradient-equivalents (a Hessian at 2n gradients), the largest
      distance from the reference path of any point the method integrated (the final
      Newton polish, which leaves the path for the minimum, is judged by the next figure),
      the largest distance of a branch end from the reference's, each branch's termination
      and the median wall time of one whole IRC. Then the order of each fixed-step method: log2 of the ratio of its path
      errors at a fixed arc length for steps h and h/2.
      """,
    usage:
      "irc bench [<potential>...] [--methods <m1,m2,...>] [--repeats <n>] "
      + "[--saddles | --surfaces | --clusters [--sizes <list>]] "
      + "[--engine <file> --from <file.xyz> [--calls <n>]] [--json] [--svg <file>]",
    positionals: [
      PositionalSpec(name: "potential", help: "Built-in names or paths (default: every built-in)")
    ],
    options: [
      .option(
        "--methods", "list",
        "Methods to measure, comma-separated (default: all: "
          + PathMethod.allCases.map(\.rawValue).joined(separator: ", ") + ")"),
      .option(
        "--repeats", "n",
        "Timed repeats per run, \(Benchmark.repeatLimits.lowerBound)–"
          + "\(Benchmark.repeatLimits.upperBound); the median is reported (default: 5)"),
      .flag(
        "--saddles",
        "Measure the saddle searches instead: prfo and dimer from starts 1–5.5 % of the plot range "
          + "around each listed saddle (0.03–0.15 on Müller–Brown), and where searches from a 50 × 50 "
          + "grid over the plot range end"),
      .flag(
        "--surfaces",
        "Measure the cost of evaluating a surface instead: ns per energy+gradient and per Hessian "
          + "of the second potential against the first (default: muller-brown-formula, an "
          + "expression, against muller-brown, a gaussian-sum), 2000 seeded points"),
      .flag(
        "--clusters",
        "Measure the molecular IRC against cluster size instead: Lennard-Jones clusters (default "
          + "sizes 7, 13, 38, 116; lj7 and lj13 from their shipped saddles, the others from a "
          + "P-RFO climb out of an fcc cluster), one IRC each with the first --methods entry "
          + "(default: euler)"),
      .option(
        "--sizes", "list", "For --clusters: cluster sizes, comma-separated (default: 7,13,38,116)"),
      .flag("--json", "Write the results as one JSON document on stdout"),
    ] + engineOptions
      + FigureOptions.options(
        svgHelp:
          "Draw accuracy against cost: largest deviation against gradient-equivalents, log-log, a line per method",
        mapOptions: false),
    variadic: true)

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    let methods = try Self.methods(arguments)
    let repeats = try arguments.integer("--repeats", in: Benchmark.repeatLimits, spec: spec) ?? 5
    let json = arguments.has("--json")
    console.logToStandardError = json
    let figure = try FigureOptions(arguments, spec: spec)
    let files = try OutputTransaction([("--svg", figure.svgPath)], spec: spec)
    if let mode = try Self.mode(arguments, figure: figure) {
      return try mode(arguments, console, json)
    }
    let (potentials, subjects) = try Self.subjects(arguments, files: files)
    let progress = isatty(2) == 1
    let report: Benchmark.Report
    do {
      report = try Benchmark.run(subjects, methods: methods, repeats: repeats) {
        name, label, configuration in
        guard progress else { return }
        console.err("\r\(name) \(label) \(configuration.method) \(configuration.step) …    ")
        console.flush()
      }
    } catch let failure as Benchmark.SettingsFailure {
      throw Yardsticks.error(failure.error, file: potentials[failure.subject].file, spec: spec)
    }
    if progress { console.err("\r" + String(repeating: " ", count: 60) + "\r") }
    if figure.svgPath != nil {
      try figure.stage(BenchmarkFigure(records: report.records).svg(), in: files)
    }
    try files.commit(console: console)
    console.out(json ? report.json.serialized() + "\n" : Self.text(report))
    return .success
  }

  /// `--methods`, every method by default.
  static func methods(_ arguments: ParsedArguments) throws -> [PathMethod] {
    guard let list = arguments.values["--methods"] else { return PathMethod.allCases }
    return try list.split(separator: ",").map(String.init).map { name in
      guard let method = PathMethod(rawValue: name) else {
        throw UsageError(
          message: "unknown method '\(name)' in --methods; values: "
            + PathMethod.allCases.map(\.rawValue).joined(separator: ", "),
          command: spec)
      }
      return method
    }
  }

  /// The benchmark `--surfaces`, `--clusters` or `--saddles` asks for instead of the IRC
  /// benchmark, after refusing the options that do not apply to it.
  static func mode(_ arguments: ParsedArguments, figure: FigureOptions) throws
    -> ((ParsedArguments, Console, Bool) throws -> ExitCode)?
  {
    if arguments.values["--engine"] != nil {
      return { arguments, console, json in
        try engineOverhead(arguments, console: console, json: json)
      }
    }
    if arguments.has("--surfaces") {
      for (given, name) in [
        (arguments.has("--saddles"), "--saddles"),
        (arguments.values["--methods"] != nil, "--methods"),
        (figure.svgPath != nil, "--svg"),
      ] where given {
        throw UsageError(message: "\(name) does not apply to --surfaces", command: spec)
      }
      return { try surfaces($0, console: $1, json: $2) }
    }
    if arguments.has("--clusters") {
      for (given, name) in [
        (arguments.has("--saddles"), "--saddles"), (arguments.has("--surfaces"), "--surfaces"),
        (figure.svgPath != nil, "--svg"), (!arguments.positionals.isEmpty, "<potential>"),
      ] where given {
        throw UsageError(message: "\(name) does not apply to --clusters", command: spec)
      }
      return { try clusters($0, console: $1, json: $2) }
    }
    guard arguments.has("--saddles") else { return nil }
    if arguments.values["--methods"] != nil {
      throw UsageError(
        message: "--methods selects IRC methods; --saddles measures prfo and dimer", command: spec)
    }
    if figure.svgPath != nil {
      throw UsageError(message: "--svg draws the IRC benchmark, not --saddles", command: spec)
    }
    return { try saddles($0, console: $1, json: $2) }
  }

  /// The surfaces to measure: the named ones, or every built-in with a saddle between
  /// finite minima (molecules by default go to --clusters, which measures their scaling).
  static func subjects(_ arguments: ParsedArguments, files: OutputTransaction) throws
    -> ([(potential: Potential, file: String)], [Benchmark.Subject])
  {
    let named = !arguments.positionals.isEmpty
    let names = named ? arguments.positionals : PotentialLocator.builtIns().map(\.name)
    var potentials: [(potential: Potential, file: String)] = []
    for name in names {
      let (potential, file) = try PotentialLocator.load(name)
      try files.refuseOverwriting([("potential file", file)], spec: spec)
      try EngineRun.refuse(potential, in: "bench")
      if named && potential.points(of: .saddle).isEmpty {
        throw CommandError(
          message: "\(name) lists no saddle; the bench traces the IRC of each "
            + "listed saddle (find one with 'irc saddle' or 'irc map' and list it in the file)")
      }
      if !named && potential.molecule != nil { continue }
      if named || !potential.points(of: .minimum).isEmpty {
        potentials.append((potential, file))
      }
    }
    let subjects = try potentials.map { potential, file in
      Benchmark.Subject(
        potential, scale: try Yardsticks.scale(potential, file: file, given: nil, spec: spec))
    }
    return (potentials, subjects)
  }

  /// The table of runs, then the measured orders.
  static func text(_ report: Benchmark.Report) -> String {
    var text = table(report.records)
    text +=
      "\nMeasured order (error at a fixed arc length s on both branches, steps h0·{4, 2, 1, 1/2, 1/4}):\n"
    for row in report.orders {
      let name = row.method.rawValue + (row.hessian.map { "/\($0.rawValue)" } ?? "")
      let errors = row.errors.map { $0.map { NumberFormat.scientific($0, 2) } ?? "—" }
      let orders = row.orders.map { $0.map { NumberFormat.fixed($0, 2) } ?? "—" }
      text +=
        "  \(TraceLog.pad(row.potential, 14, right: false)) \(TraceLog.pad(row.saddle, 4, right: false)) "
        + "\(TraceLog.pad(name, 17, right: false)) s = \(NumberFormat.significant(row.arcLength, 4)): "
        + "errors \(errors.joined(separator: " ")); orders \(orders.joined(separator: " "))\n"
    }
    return text
  }

  /// The surface-evaluation benchmark: one surface's cost per evaluation against another's.
  static func surfaces(_ arguments: ParsedArguments, console: Console, json: Bool) throws
    -> ExitCode
  {
    let names = arguments.positionals
    guard names.isEmpty || names.count == 2 else {
      throw UsageError(
        message: "--surfaces compares two potentials, the baseline then the candidate; got "
          + "\(names.count)",
        command: spec)
    }
    var timing = SurfaceTiming()
    if let repeats = try arguments.integer("--repeats", in: Benchmark.repeatLimits, spec: spec) {
      timing.repeats = repeats
    }
    let comparison =
      names.isEmpty
      ? try SurfaceTimingReport.measure(timing)
      : try SurfaceTimingReport.measure(baseline: names[0], candidate: names[1], timing)
    console.out(
      json
        ? SurfaceTimingReport.json(comparison).serialized() + "\n"
        : SurfaceTimingReport.text(comparison))
    return .success
  }

  /// The saddle-search benchmark: cost near each listed saddle, and the outcome of a grid.
  static func saddles(_ arguments: ParsedArguments, console: Console, json: Bool) throws -> ExitCode
  {
    let names =
      arguments.positionals.isEmpty
      ? PotentialLocator.builtIns().map(\.name) : arguments.positionals
    var subjects: [SaddleSearchBenchmark.Subject] = []
    for name in names {
      let potential = try PotentialLocator.load(name).potential
      try EngineRun.refuse(potential, in: "bench")
      guard potential.dimension == 2, potential.plotRange != nil else { continue }
      subjects.append(
        SaddleSearchBenchmark.Subject(
          name: potential.name, surface: potential.surface, scale: try potential.scale(),
          saddles: potential.points(of: .saddle)))
    }
    let report = try SaddleSearchBenchmark.run(subjects)
    console.out(json ? report.json.serialized() + "\n" : saddleText(report))
    return .success
  }

  /// The saddle-search benchmark's two tables: near each saddle, and from the grid.
  static func saddleText(_ report: SaddleSearchBenchmark.Report) -> String {
    func stats(_ values: [Int]) -> String {
      guard !values.isEmpty else { return "—" }
      return "\(values.max()!)/\(values.sorted()[values.count / 2])"
    }
    var text =
      "Searches from 16 directions × 5 distances around each saddle (1.1–5.5 % of the plot range's "
      + "shortest side): prfo to |∇V| ≤ 1e-8·G, dimer to 1e-6·G.\n"
      + "  potential      saddle method converged  iterations (max/median)  gradients (max/median)\n"
    for row in report.near {
      let result = row.result
      text +=
        "  \(TraceLog.pad(row.potential, 14, right: false)) \(TraceLog.pad(result.saddle, 6, right: false)) "
        + "\(TraceLog.pad(result.method.rawValue, 6, right: false)) \(TraceLog.pad("\(result.converged)/\(result.starts)", 9)) "
        + "\(TraceLog.pad(stats(result.iterations), 25)) \(TraceLog.pad(stats(result.gradients), 23))\n"
    }
    text +=
      "\nSearches from a 50 × 50 grid over the plot range, to 1e-10·G, each result checked "
      + "independently (gradient and Hessian index):\n"
    for row in report.grids {
      let grid = row.result
      text +=
        "  \(TraceLog.pad(row.potential, 14, right: false)) \(TraceLog.pad(grid.method.rawValue, 6, right: false)) "
        + "saddles \(NumberFormat.fixed(100 * row.fraction, 1)) % (\(grid.saddles)/\(grid.starts): "
        + row.found.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        + "), false saddles \(grid.falseSaddles), errors \(grid.errors); "
        + "\(grid.gradients) gradients, \(grid.hessians) Hessians, \(NumberFormat.fixed(row.seconds * 1000, 0)) ms\n"
    }
    return text
  }

  static func table(_ records: [Benchmark.Record]) -> String {
    let header = [
      "potential", "saddle", "method", "hessian", "step/tol", "grads", "hess", "g-eq", "max dev",
      "end err", "forward", "backward", "ms",
    ]
    var rows = [header]
    for record in records {
      rows.append([
        record.potential, record.saddle, record.method.rawValue, record.hessian?.rawValue ?? "",
        record.pathTolerance.map { "T=" + NumberFormat.significant($0, 2) }
          ?? NumberFormat.significant(record.step, 3),
        String(record.gradientEvaluations), String(record.hessianEvaluations),
        String(record.gradientEquivalents), NumberFormat.scientific(record.maxDeviation, 2),
        NumberFormat.scientific(record.endpointError, 2),
        record.terminations.first { $0.direction == .forward }?.termination.name ?? "",
        record.terminations.first { $0.direction == .backward }?.termination.name ?? "",
        NumberFormat.fixed(record.seconds * 1000, 3),
      ])
    }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { column, text in
        column < 4 || column >= 10 && column < 12
          ? TraceLog.pad(text, widths[column], right: false) : TraceLog.pad(text, widths[column])
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }
}
