import IRCEngines
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
      "irc saddle [<potential>] --from <x,y|file.xyz> [--masses <list>] [--checkpoint <file>] [--jobs <n>] [--method <method>] [--mode <k>] [--gtol <g>] [--gradient-scale <G>] [--json] "
      + "[--svg <file> \(FigureOptions.usage)]",
    positionals: [.potential],
    options: [
      .option(
        "--from", "x,y|file.xyz",
        "The start of the search, or the first frame of an XYZ file for a molecule (required)"),
      MolecularRun.massesOption,
      EngineRun.checkpointOption,
      EngineRun.jobsOption,
      .option(
        "--method", "method", "Search (values: \(methods.joined(separator: ", ")); default: prfo)"),
      .option("--mode", "k", "For prfo: the Hessian mode to follow, 0 the lowest (default: 0)"),
      .option(
        "--gtol", "g", "Converged when |∇V| is at most this, 1e-12·G to 0.1·G (default: 1e-10·G)"),
      Arguments.gradientScaleOption,
      .flag("--json", "Write the result as one JSON document on stdout"),
    ] + FigureOptions.options(svgHelp: "Draw the surface with the start and the saddle found"))

  /// The command line, validated before anything is loaded or computed.
  struct Request {
    var start: StartPoint
    var masses: MassOverrides
    var method: SaddleSearchMethod
    var mode: Int?
    var gradientTolerance: Double?
    var gradientScale: Double?
    var figure: FigureOptions
    var files: OutputTransaction
    var json: Bool

    init(_ arguments: ParsedArguments) throws {
      start = try StartPoint(arguments, spec: spec, requireFrom: true)
      masses = try MolecularRun.masses(arguments, spec: spec)
      let name = arguments.values["--method"] ?? "prfo"
      guard let method = SaddleSearchMethod(rawValue: name) else {
        throw UsageError(
          message: "unknown method '\(name)'; values: \(methods.joined(separator: ", "))",
          command: spec)
      }
      self.method = method
      mode = try arguments.integer("--mode", minimum: 0, spec: spec)
      if mode != nil && method != .prfo {
        throw UsageError(message: "--mode applies to prfo, not \(name)", command: spec)
      }
      gradientTolerance = try arguments.number("--gtol", positive: true, spec: spec)
      gradientScale = try arguments.gradientScale(spec: spec)
      figure = try FigureOptions(arguments, spec: spec)
      files = try OutputTransaction([("--svg", figure.svgPath)], spec: spec)
      json = arguments.has("--json")
    }
  }

  /// The surface and search a request resolves to, checked against each other.
  struct Setup {
    var potential: Potential
    var file: String
    var molecular: MolecularRun?
    var start: Vector
    var scale: SurfaceScale
    var relativeTolerance: Double
    var search: any SaddleSearch
  }

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    var request = try Request(arguments)
    console.logToStandardError = request.json
    var (loaded, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    try request.files.refuseOverwriting(
      [("potential file", file)] + (request.start.xyzPath.map { [("--from", $0)] } ?? []),
      spec: spec)
    let engine = try EngineRun.bind(
      &loaded, file: file, start: request.start, arguments: arguments, spec: spec)
    defer { engine?.finish() }
    do {
      loaded.boundEngine = engine?.surface
      let setup = try prepare(loaded, file: file, request: &request)
      logHeader(setup, request: request, console: console)
      let report = search(setup, request: request)
      return try finish(report, setup: setup, request: request, engine: engine, console: console)
    } catch {
      // An engine that failed before the search could use it: its geometry and stderr.
      if let report = engine?.failureReport(near: request.figure.svgPath) { console.err(report) }
      throw error
    }
  }

  /// The mass-weighted view for a molecule, the start in the searched coordinates, and the
  /// search scaled to the surface with its tolerance checked.
  static func prepare(_ loaded: Potential, file: String, request: inout Request) throws -> Setup {
    // A molecule is searched in mass-weighted coordinates and reported in Cartesian ones.
    let molecular = try MolecularRun(loaded, start: &request.start, masses: request.masses)
    let potential = molecular?.view ?? loaded
    let start = try request.start.checkedCoordinates(on: potential, spec: spec)
    try request.figure.check(potential, spec: spec)
    try request.figure.checkMapExists(potential)
    if let mode = request.mode, mode >= potential.dimension {
      throw UsageError(
        message:
          "--mode \(mode) does not exist: \(request.start.potentialArgument) has modes 0 to \(potential.dimension - 1)",
        command: spec)
    }
    let scale = try Yardsticks.scale(
      potential, file: file, including: start, given: request.gradientScale,
      spec: spec)
    let relative = request.gradientTolerance.map { $0 / scale.gradient } ?? 1e-10
    let fractions = TraceSettings.gradientToleranceFractions
    guard fractions.contains(relative) else {
      throw UsageError(
        message:
          "--gtol \(NumberFormat.significant(request.gradientTolerance ?? 0, 6)) is outside the "
          + "range this surface allows, \(fractions.lowerBound)·G to \(fractions.upperBound)·G = "
          + "\(fractions.lowerBound * scale.gradient) to \(fractions.upperBound * scale.gradient) "
          + "(G = \(NumberFormat.significant(scale.gradient, 6)))",
        command: spec)
    }
    var search = try request.method.search(
      scale: scale, relativeTolerance: relative, mode: request.mode ?? 0)
    if loaded.engineSpecification != nil, var refiner = search as? SaddleRefiner {
      // On an engine a Hessian costs 2·(3N − 6) calls: P-RFO steps on Bofill updates from
      // the start's, as `trace` refines (`EngineRun.saddleSearch`).
      refiner.options.hessian = .updated
      search = refiner
    }
    return Setup(
      potential: potential, file: file, molecular: molecular, start: start,
      scale: scale, relativeTolerance: relative, search: search)
  }

  /// The effective settings, before the search starts.
  static func logHeader(_ setup: Setup, request: Request, console: Console) {
    let potential = setup.potential
    console.log("irc saddle: \(potential.name) (\(setup.file))\n")
    let shownStart = setup.molecular?.surface.cartesian(setup.start) ?? setup.start
    console.log("  start              \(TraceLog.coordinates(potential, shownStart))\n")
    if let molecular = setup.molecular {
      console.log("  masses             \(molecular.massesText)\n")
    }
    console.log(
      "  method             \(request.method)"
        + (request.method == .prfo ? ", following mode \(request.mode ?? 0)" : "") + "\n")
    let gradient = setup.scale.gradient
    console.log(
      "  tolerance          |∇V| ≤ \(NumberFormat.significant(setup.relativeTolerance * gradient, 6))"
        + " (\(request.gradientTolerance == nil ? "1e-10·G, G = \(NumberFormat.significant(gradient, 6))" : "command line"))\n"
    )
  }

  /// Runs the search and reports it in the coordinates users read.
  static func search(_ setup: Setup, request: Request) -> SaddleReport {
    let molecular = setup.molecular
    let shownStart = molecular?.surface.cartesian(setup.start) ?? setup.start
    var evaluator = Evaluator(setup.potential.surface)
    let result: SaddleSearchResult
    do {
      result = try setup.search.search(from: setup.start, on: &evaluator)
    } catch {
      return SaddleReport(
        potential: molecular?.cartesian ?? setup.potential, method: request.method,
        start: shownStart, outcome: .failed(error, counts: evaluator.counts))
    }
    let match = setup.potential.match(
      result.saddle.coordinates, kind: .saddle, within: setup.scale.matchTolerance)
    let saddle = molecular?.displayPoint(result.saddle) ?? result.saddle
    let vibrations = molecular.map { run in
      SaddleReport.Vibrations(
        molecule: run.molecule,
        analysis: HessianAnalysis(at: result.saddle.coordinates, on: run.surface),
        wavenumberFactor: VibrationalUnits.wavenumberFactor(
          energyUnit: run.cartesian.units.energyName, lengthUnit: run.cartesian.units.lengthName))
    }
    return SaddleReport(
      potential: molecular?.cartesian ?? setup.potential, method: request.method,
      start: shownStart,
      outcome: .found(saddle: saddle, iterations: result.iterations, counts: result.counts),
      match: match?.label, vibrations: vibrations)
  }

  /// Prints the result, writes the figure and the JSON document; the exit code.
  static func finish(
    _ report: SaddleReport, setup: Setup, request: Request, engine: EngineRun?,
    console: Console
  ) throws -> ExitCode {
    let end = logOutcome(report, on: setup.potential, console: console)
    if let engine {
      console.log(engine.report(updatedHessians: setup.search is SaddleRefiner))
    }
    try stageFigure(
      request.figure, in: request.files, setup.potential, start: setup.start, end: end,
      label: report.match ?? (report.saddle == nil ? "end" : "saddle"),
      converged: report.saddle != nil)
    try request.files.commit(console: console)
    if request.json {
      var json = report.json
      if let engine, case .object(var members) = json {
        members.append(.init("engine", engine.json()))
        json = .object(members)
      }
      console.out(json.serialized() + "\n")
    }
    guard case .failed(let error, _) = report.outcome else { return .success }
    console.flush()
    if let failure = engine?.failureReport(near: request.figure.svgPath) { console.err(failure) }
    console.err("Error: no first-order saddle from the start: \(error)\n")
    // An engine that never answered is an unusable input (wrong program, charge, start);
    // one that failed during the search stopped a search that had started.
    if let engine, case .evaluation(.engine) = error, engine.log.statistics.gradientCalls == 0 {
      return .unusableInput
    }
    return .goalNotReached
  }

  /// The log's lines for the outcome; where the search ended, for the figure.
  static func logOutcome(_ report: SaddleReport, on potential: Potential, console: Console)
    -> Vector?
  {
    switch report.outcome {
    case .failed(let error, let counts):
      console.log("  no saddle          \(error)\n")
      console.log("  evaluations        \(counts)\n")
      return Self.lastPoint(of: error)
    case .found(let saddle, let iterations, let counts):
      console.log(
        "  converged          \(iterations) iterations, |∇V| = \(NumberFormat.significant(saddle.gradientNorm, 3))\n"
      )
      console.log("  saddle             \(TraceLog.coordinates(potential, saddle.coordinates))\n")
      console.log("  energy             \(NumberFormat.significant(saddle.energy, 15))\n")
      console.log(
        "  Hessian            eigenvalues \(TraceLog.eigenvalues(saddle.hessianEigenvalues))\n")
      if let vibrations = report.vibrations {
        console.log(
          "  frequencies        index \(vibrations.analysis.index) over "
            + "\(vibrations.analysis.eigenvalues.count) internal: "
            + MolecularRun.frequencyText(vibrations.frequencies, unit: vibrations.frequencyUnit)
            + "\n")
      }
      console.log("  matches            \(report.match ?? "no listed saddle")\n")
      console.log("  evaluations        \(counts)\n")
      return saddle.coordinates
    }
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
