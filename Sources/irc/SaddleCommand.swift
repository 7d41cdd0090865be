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
      "irc saddle [<potential>] --from <x,y|file.xyz> [--masses <list>] [--method <method>] [--mode <k>] [--gtol <g>] [--gradient-scale <G>] [--json] "
      + "[--svg <file> \(FigureOptions.usage)]",
    positionals: [.potential],
    options: [
      .option(
        "--from", "x,y|file.xyz",
        "The start of the search, or the first frame of an XYZ file for a molecule (required)"),
      MolecularRun.massesOption,
      .option(
        "--method", "method", "Search (values: \(methods.joined(separator: ", ")); default: prfo)"),
      .option("--mode", "k", "For prfo: the Hessian mode to follow, 0 the lowest (default: 0)"),
      .option(
        "--gtol", "g", "Converged when |∇V| is at most this, 1e-12·G to 0.1·G (default: 1e-10·G)"),
      Arguments.gradientScaleOption,
      .flag("--json", "Write the result as one JSON document on stdout"),
    ] + FigureOptions.options(svgHelp: "Draw the surface with the start and the saddle found"))

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    var start = try StartPoint(arguments, spec: spec, requireFrom: true)
    let masses = try MolecularRun.masses(arguments, spec: spec)
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
    let gradientScale = try arguments.gradientScale(spec: spec)
    let figure = try FigureOptions(arguments, spec: spec)
    let files = try OutputTransaction([("--svg", figure.svgPath)], spec: spec)
    let json = arguments.has("--json")
    console.logToStandardError = json
    let (loaded, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    try EngineRun.refuse(loaded, in: "saddle")
    try files.refuseOverwriting(
      [("potential file", file)] + (start.xyzPath.map { [("--from", $0)] } ?? []), spec: spec)
    // A molecule is searched in mass-weighted coordinates and reported in Cartesian ones.
    let molecular = try MolecularRun(loaded, start: &start, masses: masses)
    let potential = molecular?.view ?? loaded
    let coordinates = start.coordinates ?? []
    guard coordinates.count == potential.dimension else {
      throw UsageError(
        message:
          "--from expects \(potential.dimension) comma-separated numbers for \(start.potentialArgument) "
          + "(\(potential.coordinateNames.joined(separator: ","))), got \(coordinates.count)",
        command: spec)
    }
    try figure.check(potential, spec: spec)
    try figure.checkMapExists(potential)
    if let mode, mode >= potential.dimension {
      throw UsageError(
        message:
          "--mode \(mode) does not exist: \(start.potentialArgument) has modes 0 to \(potential.dimension - 1)",
        command: spec)
    }
    let scale = try Yardsticks.scale(
      potential, file: file, including: Vector(coordinates), given: gradientScale, spec: spec)
    let relative = gradientTolerance.map { $0 / scale.gradient } ?? 1e-10
    let fractions = TraceSettings.gradientToleranceFractions
    guard fractions.contains(relative) else {
      throw UsageError(
        message: "--gtol \(NumberFormat.significant(gradientTolerance ?? 0, 6)) is outside the "
          + "range this surface allows, \(fractions.lowerBound)·G to \(fractions.upperBound)·G = "
          + "\(fractions.lowerBound * scale.gradient) to \(fractions.upperBound * scale.gradient) "
          + "(G = \(NumberFormat.significant(scale.gradient, 6)))",
        command: spec)
    }
    let search = try method.search(scale: scale, relativeTolerance: relative, mode: mode ?? 0)
    console.log("irc saddle: \(potential.name) (\(file))\n")
    let shownStart = molecular?.surface.cartesian(Vector(coordinates)) ?? Vector(coordinates)
    console.log("  start              \(TraceLog.coordinates(potential, shownStart))\n")
    if let molecular { console.log("  masses             \(molecular.massesText)\n") }
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
      try stageFigure(
        figure, in: files, potential, start: Vector(coordinates), end: Self.lastPoint(of: error),
        label: "end", converged: false)
      try files.commit(console: console)
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
    let match = potential.match(
      result.saddle.coordinates, kind: .saddle, within: scale.matchTolerance)
    let saddle = molecular?.displayPoint(result.saddle) ?? result.saddle
    console.log(
      "  converged          \(result.iterations) iterations, |∇V| = \(NumberFormat.significant(saddle.gradientNorm, 3))\n"
    )
    console.log("  saddle             \(TraceLog.coordinates(potential, saddle.coordinates))\n")
    console.log("  energy             \(NumberFormat.significant(saddle.energy, 15))\n")
    console.log(
      "  Hessian            eigenvalues \(TraceLog.eigenvalues(saddle.hessianEigenvalues))\n")
    if let molecular { console.log(molecular.frequencyLine(result.saddle)) }
    console.log("  matches            \(match?.label ?? "no listed saddle")\n")
    console.log("  evaluations        \(result.counts)\n")
    try stageFigure(
      figure, in: files, potential, start: Vector(coordinates), end: saddle.coordinates,
      label: match?.label ?? "saddle", converged: true)
    try files.commit(console: console)
    if json {
      console.out(
        JSONValue.object(
          [
            .init("potential", .string(potential.name)), .init("method", .string(method.rawValue)),
            .init("start", .numbers(shownStart.components)),
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

  /// The figure, if asked for: the map with the start and where the search ended (a saddle,
  /// or for a search that failed the last point it reached, if it has one), titled "no
  /// saddle found" when it failed.
  static func stageFigure(
    _ figure: FigureOptions, in files: OutputTransaction, _ potential: Potential, start: Vector,
    end: Vector?, label: String, converged: Bool
  ) throws(CommandError) {
    guard figure.svgPath != nil else { return }
    var markers = [PlotMarker(coordinates: start, label: "start", kind: .other)]
    var curves: [PlotCurve] = []
    if let end {
      markers.append(PlotMarker(coordinates: end, label: label, kind: converged ? .saddle : .other))
      curves.append(PlotCurve(points: [start, end], role: .connection))
    }
    let title =
      converged ? nil : "\(potential.title ?? potential.name): no saddle found (not converged)"
    try figure.stage(
      figure.render(potential, curves: curves, markers: markers, title: title), in: files)
  }

  /// Where a failed search stopped, when the error says so and the point is finite.
  static func lastPoint(of error: SaddleSearchError) -> Vector? {
    let point: Vector
    switch error {
    case .notConverged(_, _, let at, _), .wrongIndex(_, let at, _, _), .flat(let at, _, _):
      point = at
    case .evaluation, .wrongDimension, .noSuchMode:
      return nil
    }
    return point.components.allSatisfy(\.isFinite) ? point : nil
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
