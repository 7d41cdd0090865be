import Foundation
import IRCEngines
import IRCKit

/// `irc trace`: the main job.
enum TraceCommand: Command {
  static let methods = PathMethod.allCases.map(\.rawValue)
  static let hessianMethods = PathMethod.allCases.filter(\.usesHessians).map(\.rawValue)
  static let adaptiveMethods = PathMethod.allCases.filter(\.isAdaptive).map(\.rawValue)

  static let spec = CommandSpec(
    name: "trace",
    abstract: "Trace the IRC from a saddle down to the minima it connects (the main job).",
    discussion: """
      Refines the start to a first-order saddle (P-RFO on the exact Hessian), then follows
      the steepest-descent path down both branches, printing s, E and |∇V| at every step,
      until |∇V| falls below the tolerance at a minimum (converged) or in a valley without
      one (asymptotic). "forward" descends along the transition vector, signed so that its
      largest-magnitude component is positive. With no arguments it traces Müller–Brown
      from S1. A surface of atoms is traced in mass-weighted Cartesian coordinates with
      translations and rotations projected out: s in amu^½·Å, and the frequencies of the
      saddle and of each end in cm⁻¹ (imaginary negative in JSON).
      """,
    usage:
      "irc trace [<potential>] [--saddle <label> | --from <x,y|file.xyz>] [--masses <list>] "
      + "[--checkpoint <file>] [--jobs <n>] [--method <method>] [--step <h>] "
      + "[--path-tol <t>] [--hessian <source>] [--gtol <g>] [--max-steps <n>] [--gradient-scale <G>] [--xyz <file>] "
      + "[--csv <file>] [--json] [--reference] [--svg <file> \(FigureOptions.usage)]",
    positionals: [
      PositionalSpec(
        name: "potential",
        help: "A built-in name (see 'irc potentials') or a path to a potential file "
          + "(default: \(PotentialLocator.defaultName))")
    ],
    options: [
      .option(
        "--saddle", "label",
        "Start from this listed saddle (default: the first saddle the file lists)"),
      .option(
        "--from", "x,y|file.xyz",
        "Start from these coordinates instead, or from the first frame of an XYZ file (a "
          + "molecule, in Å; its symbols set the masses, D for deuterium); refined to a "
          + "first-order saddle"),
      MolecularRun.massesOption,
      EngineRun.checkpointOption,
      EngineRun.jobsOption,
      .option(
        "--method", "method",
        "Integrator (values: \(methods.joined(separator: ", ")); default: euler). See README "
          + "for each method's order and cost; 'adaptive' and 'surrogate' control their error"),
      .option(
        "--step", "h",
        "Arc length per step, at most the plot range's diagonal and at least the largest of "
          + "1e-5·L (L = G/|λ₁|, the saddle's length scale, G the gradient scale), 1e-8 of the "
          + "saddle's largest coordinate and the step whose energy drop ½|λ₁|h² is 1e4 round-offs "
          + "of E‡ (default: the file's defaults.stepLength, else L/30)"),
      .option(
        "--path-tol", "t",
        "For \(adaptiveMethods.joined(separator: " and ")): the largest path error allowed per step, "
          + "1e-12·L to 0.1·L (default: 1e-4·L, L = G/|λ₁| the saddle's length scale); --step is "
          + "then the first step"),
      .option(
        "--hessian", "source",
        "For \(hessianMethods.joined(separator: ", ")): exact Hessians at every point, or the saddle's "
          + "updated by Bofill's formula (values: exact, updated; default: updated for eulerpc, "
          + "exact otherwise)"),
      .option(
        "--gtol", "g",
        "Stop when |∇V| falls below this, 1e-12·G to 0.1·G (default: the file's "
          + "defaults.gradientTolerance, else 1e-5·G)"),
      .option(
        "--max-steps", "n",
        "Step limit per branch, 1–\(TraceSettings.maxStepsLimit) and at most "
          + "\(TraceSettings.stepCoordinateLimit)/n for n coordinates (default: the file's "
          + "defaults.maxSteps, else enough to cross the plot range 20 times, at least 1000)"),
      Arguments.gradientScaleOption,
      .option("--xyz", "file", "Write the path as a multi-frame extended-XYZ trajectory"),
      .option("--csv", "file", "Write the path log as CSV"),
      .flag("--json", "Write the summary as one JSON document on stdout; the log goes to stderr"),
      TraceReference.option,
    ]
      + FigureOptions.options(
        svgHelp: "Draw the surface with the path, and the energy and |∇V| profile"))

  /// The method options, checked against each other: no option that would do nothing.
  static func overrides(_ arguments: ParsedArguments) throws(UsageError) -> TraceSettings.Overrides
  {
    let name = arguments.values["--method"] ?? "euler"
    guard let method = PathMethod(rawValue: name) else {
      throw UsageError(
        message: "unknown method '\(name)'; values: \(methods.joined(separator: ", "))",
        command: spec)
    }
    var hessian: HessianSource?
    if let text = arguments.values["--hessian"] {
      guard let source = HessianSource(rawValue: text) else {
        throw UsageError(
          message: "unknown Hessian source '\(text)'; values: exact, updated", command: spec)
      }
      // Without --method the default depends on the surface (eulerpc on an engine, euler
      // otherwise): `run` checks it once the potential is loaded.
      if arguments.values["--method"] != nil { try checkHessianApplies(to: method) }
      hessian = source
    }
    let pathTolerance = try arguments.number("--path-tol", positive: true, spec: spec)
    if pathTolerance != nil && !method.isAdaptive {
      throw UsageError(
        message:
          "--path-tol applies to \(adaptiveMethods.joined(separator: " and ")), not \(name); "
          + "a fixed-step method takes --step",
        command: spec)
    }
    return TraceSettings.Overrides(
      stepLength: try arguments.number("--step", positive: true, spec: spec),
      gradientTolerance: try arguments.number("--gtol", positive: true, spec: spec),
      maxSteps: try arguments.integer(
        "--max-steps", in: 1...TraceSettings.maxStepsLimit, spec: spec),
      method: method, hessian: hessian, pathTolerance: pathTolerance)
  }

  /// `--hessian` does nothing for a method without Hessians: a usage error naming it.
  static func checkHessianApplies(to method: PathMethod) throws(UsageError) {
    guard method.usesHessians else {
      throw UsageError(
        message:
          "--hessian applies to \(hessianMethods.joined(separator: ", ")), not \(method.rawValue)",
        command: spec)
    }
  }

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    // Validate every option before loading or computing anything.
    var overrides = try Self.overrides(arguments)
    let gradientScale = try arguments.gradientScale(spec: spec)
    var start = try StartPoint(arguments, spec: spec)
    let masses = try MolecularRun.masses(arguments, spec: spec)
    let outputs = try PathOutputs(arguments, spec: spec, console: console)

    var (loaded, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    try outputs.files.refuseOverwriting(
      [("potential file", file)] + (start.xyzPath.map { [("--from", $0)] } ?? []), spec: spec)
    let engine = try EngineRun.bind(
      &loaded, file: file, start: start, arguments: arguments, spec: spec)
    defer { engine?.finish() }
    if engine != nil {
      // Every gradient is an engine call: a method that uses Hessians, kept up to date by
      // Bofill updates from the saddle's, unless the command line says otherwise.
      if arguments.values["--method"] == nil { overrides.method = .eulerpc }
      if overrides.method.usesHessians && arguments.values["--hessian"] == nil {
        overrides.hessian = .updated
      }
    }
    if arguments.values["--hessian"] != nil { try checkHessianApplies(to: overrides.method) }
    do {
      return try trace(
        loaded, file: file, start: &start, masses: masses, gradientScale: gradientScale,
        overrides: overrides,
        outputs: outputs, engine: engine, reference: arguments.flags.contains("--reference"),
        console: console)
    } catch {
      // Exit 1 before the path starts: the failing call's geometry and stderr first.
      if let report = engine?.failureReport(
        near: outputs.files.path("--xyz") ?? outputs.files.path("--csv"))
      {
        console.err(report)
      }
      throw error
    }
  }

  private static func trace(
    _ loaded: Potential, file: String, start: inout StartPoint, masses: MassOverrides,
    gradientScale: Double?,
    overrides: TraceSettings.Overrides, outputs: PathOutputs, engine: EngineRun?,
    reference: Bool = false, console: Console
  ) throws -> ExitCode {
    let figure = outputs.figure
    // A molecule is traced in mass-weighted coordinates (MolecularRun); reports in Å.
    var bound = loaded
    bound.boundEngine = engine?.surface
    let molecular = try MolecularRun(bound, start: &start, masses: masses)
    let potential = molecular?.view ?? loaded
    try figure.check(potential, spec: spec)
    let refinement = try start.refine(
      on: potential, file: file, gradientScale: gradientScale, spec: spec, failure: .unusableInput,
      search: engine == nil ? nil : { try EngineRun.saddleSearch($0) })
    let settings = try Yardsticks.settings(
      potential, file: file, saddle: refinement.result.saddle, scale: refinement.scale,
      overrides: overrides, spec: spec)
    let tracer = try engine == nil ? settings.tracer() : settings.engineTracer()
    let transitionVector = IRCTracer.transitionVector(of: refinement.result.saddle)
    var header = TraceLog.header(
      potential: molecular?.cartesian ?? potential, file: file,
      refinement: molecular?.display(refinement) ?? refinement,
      settings: settings,
      transitionVector: transitionVector)
    if let molecular, let columns = header.range(of: "\nbranch ", options: .backwards) {
      header.insert(contentsOf: molecular.header(refinement.result.saddle), at: columns.lowerBound)
    }
    console.log(header)
    let traced = try tracer.trace(from: refinement.result.saddle, on: potential.surface) {
      direction, point in
      console.log(TraceLog.stepLine(direction, point))
    }
    // A molecule's path is reported in Cartesian coordinates, with its frequencies.
    let (path, vibrations) = molecular?.cartesian(traced) ?? (traced, nil)
    let report = TraceReport(
      potential: molecular?.cartesian ?? potential, settings: settings,
      refinement: refinement.result, path: path)
    console.log(TraceLog.summary(report))
    if let vibrations { console.log(MolecularRun.summary(report, vibrations)) }
    if let engine {
      console.log(engine.report())
      if let failure = engine.failureReport(
        near: outputs.files.path("--xyz") ?? outputs.files.path("--csv"))
      {
        console.err(failure)
      }
    }
    try write(path, report: report, potential: potential, outputs: outputs, console: console)
    // The run's own engine counts, before the reference adds its calls.
    let engineJSON = engine?.json()
    let comparison =
      try reference
      ? TraceReference.compare(traced, on: potential, settings: settings, molecular: molecular)
      : nil
    if let comparison { console.log(comparison.log) }
    if outputs.json {
      var json = vibrations.map { report.json(with: $0) } ?? report.json
      if case .object(var members) = json {
        if let engineJSON { members.append(.init("engine", engineJSON)) }
        if let comparison { members.append(.init("reference", comparison.json)) }
        json = .object(members)
      }
      console.out(json.serialized() + "\n")
    }
    if !path.reachedGoal {
      console.flush()
      console.err(
        "irc trace: a branch did not reach a minimum or an asymptotic valley; see its termination above.\n"
      )
      return .goalNotReached
    }
    return .success
  }

  /// The XYZ, CSV and SVG outputs, each written whole.
  private static func write(
    _ path: ReactionPath, report: TraceReport, potential: Potential, outputs: PathOutputs,
    console: Console
  ) throws {
    let figure = outputs.figure
    let files = outputs.files
    let frames = path.orderedPoints.count
    if files.path("--xyz") != nil {
      try files.stage(
        path.xyz(potential: report.potential), for: "--xyz", summary: "(\(frames) frames)")
    }
    if files.path("--csv") != nil {
      try files.stage(
        path.csv(coordinateNames: potential.coordinateNames), for: "--csv",
        summary: "(\(frames) rows)")
    }
    if figure.svgPath != nil {
      try figure.stage(
        figure.render(
          report.potential, curves: PlotCurve.branches(of: path),
          markers: PlotMarker.markers(for: report),
          profile: ProfileSeries(report: report)),
        in: files)
    }
    try files.commit(console: console)
  }
}

/// Where a trace or a saddle search starts: a listed saddle, or given coordinates.
struct StartPoint {
  var label: String?
  var coordinates: [Double]?
  /// The potential as the user named it, for errors about it.
  var potentialArgument: String
  /// `--from FILE.xyz`: a molecular start (any argument ending in .xyz).
  var xyzPath: String?
  /// How the start is described in the log, when not by its numbers.
  var described: String?

  init(_ arguments: ParsedArguments, spec: CommandSpec, requireFrom: Bool = false)
    throws(UsageError)
  {
    potentialArgument = PotentialLocator.argument(of: arguments)
    label = arguments.values["--saddle"]
    if let text = arguments.values["--from"], text.lowercased().hasSuffix(".xyz") {
      xyzPath = text
    } else {
      coordinates = try arguments.point("--from", spec: spec)
    }
    if label != nil && (coordinates != nil || xyzPath != nil) {
      throw UsageError(message: "give either --saddle or --from, not both", command: spec)
    }
    if requireFrom && coordinates == nil && xyzPath == nil {
      throw UsageError(message: "missing --from <x,y>: the start of the search", command: spec)
    }
  }

  struct Refined {
    var result: SaddleRefiner.Result
    /// The surface's yardsticks, derived once for the refinement and the trace.
    var scale: SurfaceScale
    /// How the start was described, for the log.
    var origin: String
  }

  /// The `--from` numbers as a point of `potential`: one per coordinate, or a usage error
  /// saying how many it takes and what they are called.
  func checkedCoordinates(on potential: Potential, spec: CommandSpec) throws(UsageError) -> Vector {
    let coordinates = self.coordinates ?? []
    guard coordinates.count == potential.dimension else {
      throw UsageError(
        message:
          "--from expects \(potential.dimension) comma-separated numbers for \(potentialArgument) "
          + "(\(potential.coordinateNames.joined(separator: ","))), got \(coordinates.count)",
        command: spec)
    }
    return Vector(coordinates)
  }

  /// Refines the start to a first-order saddle; a failure exits with `failure`.
  /// `search` defaults to P-RFO scaled to the surface; `gradientScale` is the command
  /// line's, and `file` names the potential in errors.
  func refine(
    on potential: Potential, file: String, gradientScale: Double?, spec: CommandSpec,
    failure: ExitCode,
    search: ((SurfaceScale) throws -> any SaddleSearch)? = nil
  ) throws -> Refined {
    let start: Vector
    let origin: String
    if let coordinates {
      start = try checkedCoordinates(on: potential, spec: spec)
      origin =
        described
        ?? "refined from --from " + coordinates.map(NumberFormat.roundTrip).joined(separator: ",")
    } else {
      let saddles = potential.points(of: .saddle)
      let labels = saddles.map(\.label).joined(separator: ", ")
      if let label {
        guard let point = potential.point(labelled: label) else {
          throw CommandError(
            message: "\(potentialArgument) lists no point '\(label)'"
              + (saddles.isEmpty
                ? "; it lists no saddles, so give --from <x,y>" : "; its saddles: \(labels)"))
        }
        guard point.kind == .saddle else {
          throw CommandError(
            message: "'\(label)' is a \(point.kind) of \(potentialArgument), not a saddle"
              + (saddles.isEmpty ? "; give --from <x,y>" : "; its saddles: \(labels)"))
        }
        start = point.coordinates
        origin = "\(label), refined from the listed coordinates"
      } else {
        guard let first = saddles.first else {
          throw CommandError(
            message:
              "\(potentialArgument) lists no saddle to start from; give --from <x,y> near one")
        }
        start = first.coordinates
        origin = "\(first.label), refined from the listed coordinates"
      }
    }
    let scale = try Yardsticks.scale(
      potential, file: file, including: start, given: gradientScale, spec: spec)
    var evaluator = Evaluator(potential.surface)
    let method = try search?(scale) ?? SaddleRefiner(options: .scaled(to: scale))
    do {
      let result = try method.search(from: start, on: &evaluator)
      return Refined(result: result, scale: scale, origin: origin)
    } catch {
      throw CommandError(
        message: "no first-order saddle from the start \(start) on \(potentialArgument): \(error)",
        code: failure)
    }
  }
}
