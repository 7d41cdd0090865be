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
    var methods = PathMethod.allCases
    if let list = arguments.values["--methods"] {
      methods = []
      for name in list.split(separator: ",").map(String.init) {
        guard let method = PathMethod(rawValue: name) else {
          throw UsageError(
            message: "unknown method '\(name)' in --methods; values: "
              + PathMethod.allCases.map(\.rawValue).joined(separator: ", "),
            command: spec)
        }
        methods.append(method)
      }
    }
    let repeats = try arguments.integer("--repeats", in: Benchmark.repeatLimits, spec: spec) ?? 5
    let json = arguments.has("--json")
    console.logToStandardError = json
    let figure = try FigureOptions(arguments, spec: spec)
    let files = try OutputTransaction([("--svg", figure.svgPath)], spec: spec)
    if arguments.values["--engine"] != nil {
      return try engineOverhead(arguments, console: console, json: json)
    }
    if arguments.has("--surfaces") {
      for (given, name) in [
        (arguments.has("--saddles"), "--saddles"),
        (arguments.values["--methods"] != nil, "--methods"),
        (figure.svgPath != nil, "--svg"),
      ] where given {
        throw UsageError(message: "\(name) does not apply to --surfaces", command: spec)
      }
      return try surfaces(arguments, console: console, json: json)
    }
    if arguments.has("--clusters") {
      for (given, name) in [
        (arguments.has("--saddles"), "--saddles"), (arguments.has("--surfaces"), "--surfaces"),
        (figure.svgPath != nil, "--svg"), (!arguments.positionals.isEmpty, "<potential>"),
      ] where given {
        throw UsageError(message: "\(name) does not apply to --clusters", command: spec)
      }
      return try clusters(arguments, console: console, json: json)
    }
    if arguments.has("--saddles") {
      if arguments.values["--methods"] != nil {
        throw UsageError(
          message: "--methods selects IRC methods; --saddles measures prfo and dimer", command: spec
        )
      }
      if figure.svgPath != nil {
        throw UsageError(message: "--svg draws the IRC benchmark, not --saddles", command: spec)
      }
      return try saddles(arguments, console: console, json: json)
    }
    let names =
      arguments.positionals.isEmpty
      ? PotentialLocator.builtIns().map(\.name) : arguments.positionals
    var potentials: [(potential: Potential, file: String)] = []
    for name in names {
      let (potential, file) = try PotentialLocator.load(name)
      try files.refuseOverwriting([("potential file", file)], spec: spec)
      try EngineRun.refuse(potential, in: "bench")
      if !arguments.positionals.isEmpty && potential.points(of: .saddle).isEmpty {
        throw CommandError(
          message: "\(name) lists no saddle; the bench traces the IRC of each "
            + "listed saddle (find one with 'irc saddle' or 'irc map' and list it in the file)")
      }
      // Saddles whose branches end at finite minima: a listed minimum to compare with.
      // Molecules by default go to --clusters, which measures their scaling instead.
      if arguments.positionals.isEmpty && potential.molecule != nil { continue }
      if !arguments.positionals.isEmpty || !potential.points(of: .minimum).isEmpty {
        potentials.append((potential, file))
      }
    }
    let progress = isatty(2) == 1
    var records: [Benchmark.Record] = []
    var references: [JSONValue] = []
    var orderRows:
      [(String, String, PathMethod, HessianSource?, Double, [Double], [Double?], [Double?])] = []
    for (potential, file) in potentials {
      let scale = try Yardsticks.scale(potential, file: file, given: nil, spec: spec)
      for listed in potential.points(of: .saddle) {
        var evaluator = Evaluator(potential.surface)
        let saddle = try SaddleRefiner(options: .scaled(to: scale))
          .refine(from: listed.coordinates, on: &evaluator).saddle
        let settings = try Yardsticks.settings(
          potential, file: file, saddle: saddle, scale: scale, overrides: .init(), spec: spec)
        let reference = try ReferencePath(
          saddle: saddle, on: potential.surface, lengthScale: settings.lengthScale,
          gradientTolerance: 1e-9 * settings.scale.gradient)
        references.append(
          .object(
            [.init("potential", .string(potential.name)), .init("saddle", .string(listed.label))]
              + reference.path.branches.map {
                .init("\($0.direction.rawValue)ArcLength", .number($0.arcLength))
              }))
        let h0 = settings.stepLength
        for method in methods {
          for configuration in Benchmark.ladder(for: method, baseStep: h0) {
            if progress {
              console.err(
                "\r\(potential.name) \(listed.label) \(method) \(configuration.step) …    ")
              console.flush()
            }
            records.append(
              try Benchmark.measure(
                configuration, potential: potential, saddleLabel: listed.label, saddle: saddle,
                reference: reference, gradientTolerance: settings.gradientTolerance,
                maxSteps: 1_000_000, repeats: repeats))
          }
          guard !method.isAdaptive else { continue }
          let shortest = reference.path.branches.map(\.arcLength).min() ?? 0
          let arcLength = 4 * h0 * max(1, (0.4 * shortest / (4 * h0)).rounded(.down))
          let steps = [4.0, 2, 1, 0.5, 0.25].map { $0 * h0 }
          for source in method.usesHessians ? [HessianSource.exact, .updated] : [.exact] {
            let errors = try Benchmark.errorsAtArcLength(
              method, steps: steps, arcLength: arcLength, saddle: saddle, potential: potential,
              reference: reference, hessian: source)
            orderRows.append(
              (
                potential.name, listed.label, method, method.usesHessians ? source : nil,
                arcLength, steps, errors, Benchmark.orders(errors)
              ))
          }
        }
      }
    }
    if progress { console.err("\r" + String(repeating: " ", count: 60) + "\r") }
    if figure.svgPath != nil {
      try figure.stage(BenchmarkFigure(records: records).svg(), in: files)
    }
    try files.commit(console: console)

    if json {
      let document = JSONValue.object([
        .init("references", .array(references)),
        .init("runs", .array(records.map(Self.json))),
        .init(
          "orders",
          .array(
            orderRows.map { row in
              .object([
                .init("potential", .string(row.0)), .init("saddle", .string(row.1)),
                .init("method", .string(row.2.rawValue)),
                .init("hessian", row.3.map { .string($0.rawValue) } ?? .null),
                .init("arcLength", .number(row.4)), .init("steps", .numbers(row.5)),
                .init("errors", .array(row.6.map { $0.map(JSONValue.number) ?? .null })),
                .init("orders", .array(row.7.map { $0.map(JSONValue.number) ?? .null })),
              ])
            })),
      ])
      console.out(document.serialized() + "\n")
      return .success
    }
    console.out(table(records))
    console.out(
      "\nMeasured order (error at a fixed arc length s on both branches, steps h0·{4, 2, 1, 1/2, 1/4}):\n"
    )
    for row in orderRows {
      let name = row.2.rawValue + (row.3.map { "/\($0.rawValue)" } ?? "")
      let errors = row.6.map { $0.map { NumberFormat.scientific($0, 2) } ?? "—" }.joined(
        separator: " ")
      let orders = row.7.map { $0.map { NumberFormat.fixed($0, 2) } ?? "—" }.joined(separator: " ")
      console.out(
        "  \(TraceLog.pad(row.0, 14, right: false)) \(TraceLog.pad(row.1, 4, right: false)) "
          + "\(TraceLog.pad(name, 17, right: false)) s = \(NumberFormat.significant(row.4, 4)): "
          + "errors \(errors); orders \(orders)\n")
    }
    return .success
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
    var near: [JSONValue] = []
    var grids: [JSONValue] = []
    var text =
      "Searches from 16 directions × 5 distances around each saddle (1.1–5.5 % of the plot range's "
      + "shortest side): prfo to |∇V| ≤ 1e-8·G, dimer to 1e-6·G.\n"
    text +=
      "  potential      saddle method converged  iterations (max/median)  gradients (max/median)\n"
    var gridText =
      "\nSearches from a 50 × 50 grid over the plot range, to 1e-10·G, each result checked "
      + "independently (gradient and Hessian index):\n"
    for name in names {
      let potential = try PotentialLocator.load(name).potential
      try EngineRun.refuse(potential, in: "bench")
      guard potential.dimension == 2, let box = potential.plotRange else { continue }
      let shortest = box.sides.components.min() ?? 1
      let radii = [0.03, 0.06, 0.09, 0.12, 0.15].map { $0 / 2.75 * shortest }
      for method in SaddleSearchMethod.allCases {
        let tolerance = method == .prfo ? 1e-8 : 1e-6
        for saddle in potential.points(of: .saddle) {
          let result = try SaddleSearchBenchmark.nearStarts(
            method, potential: potential, saddle: saddle, radii: radii, directions: 16,
            relativeTolerance: tolerance)
          func stats(_ values: [Int]) -> String {
            guard !values.isEmpty else { return "—" }
            return "\(values.max()!)/\(values.sorted()[values.count / 2])"
          }
          text +=
            "  \(TraceLog.pad(potential.name, 14, right: false)) \(TraceLog.pad(saddle.label, 6, right: false)) "
            + "\(TraceLog.pad(method.rawValue, 6, right: false)) \(TraceLog.pad("\(result.converged)/\(result.starts)", 9)) "
            + "\(TraceLog.pad(stats(result.iterations), 25)) \(TraceLog.pad(stats(result.gradients), 23))\n"
          near.append(
            .object([
              .init("potential", .string(potential.name)), .init("saddle", .string(saddle.label)),
              .init("method", .string(method.rawValue)),
              .init("relativeTolerance", .number(tolerance)),
              .init("radii", .numbers(radii)), .init("starts", .number(Double(result.starts))),
              .init("converged", .number(Double(result.converged))),
              .init("iterations", .numbers(result.iterations.map(Double.init))),
              .init("gradientEvaluations", .numbers(result.gradients.map(Double.init))),
              .init("hessianEvaluations", .numbers(result.hessians.map(Double.init))),
            ]))
        }
        let start = Date()
        let grid = try SaddleSearchBenchmark.grid(
          method, potential: potential, count: 50, relativeTolerance: 1e-10)
        let seconds = Date().timeIntervalSince(start)
        let fraction = Double(grid.saddles) / Double(grid.starts)
        gridText +=
          "  \(TraceLog.pad(potential.name, 14, right: false)) \(TraceLog.pad(method.rawValue, 6, right: false)) "
          + "saddles \(NumberFormat.fixed(100 * fraction, 1)) % (\(grid.saddles)/\(grid.starts): "
          + grid.found.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", ")
          + "), false saddles \(grid.falseSaddles), errors \(grid.errors); "
          + "\(grid.gradients) gradients, \(grid.hessians) Hessians, \(NumberFormat.fixed(seconds * 1000, 0)) ms\n"
        grids.append(
          .object([
            .init("potential", .string(potential.name)), .init("method", .string(method.rawValue)),
            .init("starts", .number(Double(grid.starts))),
            .init("saddles", .number(Double(grid.saddles))),
            .init("fraction", .number(fraction)),
            .init("falseSaddles", .number(Double(grid.falseSaddles))),
            .init("errors", .number(Double(grid.errors))),
            .init(
              "found",
              .object(
                grid.found.sorted { $0.key < $1.key }.map {
                  .init($0.key, .number(Double($0.value)))
                })),
            .init("gradientEvaluations", .number(Double(grid.gradients))),
            .init("hessianEvaluations", .number(Double(grid.hessians))),
          ]))
      }
    }
    if json {
      console.out(
        JSONValue.object([.init("nearSaddle", .array(near)), .init("grid", .array(grids))])
          .serialized() + "\n")
    } else {
      console.out(text + gridText)
    }
    return .success
  }

  static func json(_ record: Benchmark.Record) -> JSONValue {
    var members: [JSONValue.Member] = [
      .init("potential", .string(record.potential)), .init("saddle", .string(record.saddle)),
      .init("method", .string(record.method.rawValue)),
    ]
    if let tolerance = record.pathTolerance {
      members.append(.init("pathTol", .number(tolerance)))
      members.append(.init("firstStep", .number(record.step)))
    } else {
      members.append(.init("step", .number(record.step)))
    }
    members += [
      .init("hessian", record.hessian.map { .string($0.rawValue) } ?? .null),
      .init("gradientEvaluations", .number(Double(record.gradientEvaluations))),
      .init("hessianEvaluations", .number(Double(record.hessianEvaluations))),
      .init("gradientEquivalents", .number(Double(record.gradientEquivalents))),
      .init("maxDeviation", .number(record.maxDeviation)),
      .init("endpointError", .number(record.endpointError)),
      .init(
        "termination",
        .object(
          record.terminations.map { .init($0.direction.rawValue, .string($0.termination.name)) })),
      .init("seconds", .number(record.seconds)),
    ]
    return .object(members)
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
