import IRCKit

/// `irc saddle`: a first-order saddle from a start, by P-RFO or the dimer method.
enum SaddleCommand: Command {
  static let methods = SaddleSearchMethod.allCases.map(\.rawValue)

  static let spec = CommandSpec(
    name: "saddle",
    abstract: "Find a first-order saddle from a start (P-RFO or the dimer method).",
    discussion: """
      prfo: partitioned rational-function optimisation (Baker 1986) on the exact Hessian
      (finite differences where the surface has none) with a trust radius that shrinks and
      grows on the ratio of actual to predicted energy change; it follows the lowest Hessian
      mode (another with --mode) and climbs out of a minimum's basin along it. dimer: the
      dimer method (Henkelman and Jónsson 1999, with Kästner and Sherwood's rotation and
      L-BFGS translation), gradients only. Both stop at |∇V| ≤ 1e-10·G (G the surface's
      gradient scale; --gtol overrides), and the result is verified by its Hessian: exactly
      one negative eigenvalue. A search that ends anywhere else says so and exits 2; it
      never reports a minimum or a higher-order saddle as a saddle.
      """,
    usage:
      "irc saddle [<potential>] --from <x,y> [--method <method>] [--mode <k>] [--gtol <g>] [--json] "
      + "[--svg <file> \(FigureOptions.usage)]",
    positionals: [.potential],
    options: [
      .option("--from", "x,y", "The start of the search (required)"),
      .option(
        "--method", "method", "Search (values: \(methods.joined(separator: ", ")); default: prfo)"),
      .option("--mode", "k", "For prfo: the Hessian mode to follow, 0 the lowest (default: 0)"),
      .option("--gtol", "g", "Converged when |∇V| is at most this (default: 1e-10·G)"),
      .flag("--json", "Write the result as one JSON document on stdout"),
    ] + FigureOptions.options(svgHelp: "Draw the surface with the start and the saddle found"))

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    let start = try StartPoint(arguments, spec: spec, requireFrom: true)
    let name = arguments.values["--method"] ?? "prfo"
    guard let method = SaddleSearchMethod(rawValue: name) else {
      throw UsageError(
        message: "unknown method '\(name)'; values: \(methods.joined(separator: ", "))",
        command: spec)
    }
    let mode = try arguments.integer("--mode", minimum: 0, spec: spec)
    if mode != nil && method != .prfo {
      throw UsageError(message: "--mode applies to prfo, not \(name)", command: spec)
    }
    let gradientTolerance = try arguments.number("--gtol", positive: true, spec: spec)
    let figure = try FigureOptions(arguments, spec: spec)
    try figure.checkOutput()
    let json = arguments.has("--json")
    console.logToStandardError = json
    let (potential, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    try EngineRun.refuse(potential, in: "saddle")
    let coordinates = start.coordinates ?? []
    guard coordinates.count == potential.dimension else {
      throw UsageError(
        message:
          "--from expects \(potential.dimension) comma-separated numbers for \(potential.name) "
          + "(\(potential.coordinateNames.joined(separator: ","))), got \(coordinates.count)",
        command: spec)
    }
    try figure.check(potential, spec: spec)
    try figure.checkMapExists(potential)
    if let mode, mode >= potential.dimension {
      throw UsageError(
        message:
          "--mode \(mode) does not exist: \(potential.name) has modes 0 to \(potential.dimension - 1)",
        command: spec)
    }
    let scale = potential.scale(including: Vector(coordinates))
    let relative = gradientTolerance.map { $0 / scale.gradient } ?? 1e-10
    let search = try method.search(scale: scale, relativeTolerance: relative, mode: mode ?? 0)
    console.log("irc saddle: \(potential.name) (\(file))\n")
    console.log("  start              \(TraceLog.coordinates(potential, Vector(coordinates)))\n")
    console.log(
      "  method             \(method)" + (method == .prfo ? ", following mode \(mode ?? 0)" : "")
        + "\n")
    console.log(
      "  tolerance          |∇V| ≤ \(NumberFormat.significant(relative * scale.gradient, 6))"
        + " (\(gradientTolerance == nil ? "1e-10·G, G = \(NumberFormat.significant(scale.gradient, 6))" : "command line"))\n"
    )
    var evaluator = Evaluator(potential.surface)
    let result: SaddleSearchResult
    do {
      result = try search.search(from: Vector(coordinates), on: &evaluator)
    } catch {
      let counts = evaluator.counts
      console.log("  no saddle          \(error)\n")
      console.log("  evaluations        \(counts)\n")
      if json {
        console.out(
          JSONValue.object([
            .init("potential", .string(potential.name)), .init("method", .string(method.rawValue)),
            .init("start", .numbers(coordinates)), .init("converged", .bool(false)),
            .init("error", .string("\(error)")),
            .init("gradientEvaluations", .number(Double(counts.gradients))),
            .init("hessianEvaluations", .number(Double(counts.hessians))),
          ]).serialized() + "\n")
      }
      console.flush()
      console.err("Error: no first-order saddle from the start: \(error)\n")
      return .goalNotReached
    }
    let saddle = result.saddle
    let match = potential.match(
      saddle.coordinates, kind: .saddle, within: scale.matchTolerance)
    console.log(
      "  converged          \(result.iterations) iterations, |∇V| = \(NumberFormat.significant(saddle.gradientNorm, 3))\n"
    )
    console.log("  saddle             \(TraceLog.coordinates(potential, saddle.coordinates))\n")
    console.log("  energy             \(NumberFormat.significant(saddle.energy, 15))\n")
    console.log(
      "  Hessian            eigenvalues \(TraceLog.eigenvalues(saddle.hessianEigenvalues))\n")
    console.log("  matches            \(match?.label ?? "no listed saddle")\n")
    console.log("  evaluations        \(result.counts)\n")
    if figure.svgPath != nil {
      let markers = [
        PlotMarker(coordinates: Vector(coordinates), label: "start", kind: .other),
        PlotMarker(coordinates: saddle.coordinates, label: match?.label ?? "saddle", kind: .saddle),
      ]
      try figure.write(
        figure.render(
          potential,
          curves: [
            PlotCurve(points: [Vector(coordinates), saddle.coordinates], role: .connection)
          ],
          markers: markers),
        console: console)
    }
    if json {
      console.out(
        JSONValue.object(
          [
            .init("potential", .string(potential.name)), .init("method", .string(method.rawValue)),
            .init("start", .numbers(coordinates)),
          ] + Self.pointMembers(saddle)
            + [
              .init("converged", .bool(true)),
              .init("iterations", .number(Double(result.iterations))),
              .init("gradientEvaluations", .number(Double(result.counts.gradients))),
              .init("hessianEvaluations", .number(Double(result.counts.hessians))),
              .init("matches", match.map { JSONValue.string($0.label) } ?? .null),
            ]
        ).serialized() + "\n")
    }
    return .success
  }

  /// A stationary point as outputs.md describes one.
  static func pointMembers(_ point: StationaryPoint) -> [JSONValue.Member] {
    [
      .init("coordinates", .numbers(point.coordinates.components)),
      .init("energy", .number(point.energy)), .init("gradNorm", .number(point.gradientNorm)),
      .init("hessianEigenvalues", .numbers(point.hessianEigenvalues)),
    ]
  }
}
