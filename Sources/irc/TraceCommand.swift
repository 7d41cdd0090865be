import Foundation
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
      + "[--method <method>] [--step <h>] "
      + "[--path-tol <t>] [--hessian <source>] [--gtol <g>] [--max-steps <n>] [--xyz <file>] "
      + "[--csv <file>] [--json] [--svg <file> \(FigureOptions.usage)]",
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
      .option(
        "--method", "method",
        "Integrator (values: \(methods.joined(separator: ", ")); default: euler). See README "
          + "for each method's order and cost; 'adaptive' and 'surrogate' control their error"),
      .option(
        "--step", "h",
        "Arc length per step (default: the file's defaults.stepLength, else (G/|λ₁|)/30 from the saddle's "
          + "Hessian, G the gradient scale)"),
      .option(
        "--path-tol", "t",
        "For \(adaptiveMethods.joined(separator: " and ")): the largest path error allowed per step "
          + "(default: 1e-4·G/|λ₁|, the saddle's length scale); --step is then the first step"),
      .option(
        "--hessian", "source",
        "For \(hessianMethods.joined(separator: ", ")): exact Hessians at every point, or the saddle's "
          + "updated by Bofill's formula (values: exact, updated; default: updated for eulerpc, "
          + "exact otherwise)"),
      .option(
        "--gtol", "g",
        "Stop when |∇V| falls below this (default: the file's defaults.gradientTolerance, else 1e-5·G)"
      ),
      .option(
        "--max-steps", "n",
        "Step limit per branch (default: the file's defaults.maxSteps, else enough to cross the plot "
          + "range 20 times, at least 1000)"),
      .option("--xyz", "file", "Write the path as a multi-frame extended-XYZ trajectory"),
      .option("--csv", "file", "Write the path log as CSV"),
      .flag("--json", "Write the summary as one JSON document on stdout; the log goes to stderr"),
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
      guard method.usesHessians else {
        throw UsageError(
          message: "--hessian applies to \(hessianMethods.joined(separator: ", ")), not \(name)",
          command: spec)
      }
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
      maxSteps: try arguments.integer("--max-steps", minimum: 1, spec: spec),
      method: method, hessian: hessian, pathTolerance: pathTolerance)
  }

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    // Validate every option before loading or computing anything.
    let overrides = try Self.overrides(arguments)
    var start = try StartPoint(arguments, spec: spec)
    let masses = try MolecularRun.masses(arguments, spec: spec)
    let outputs = try PathOutputs(arguments, spec: spec, console: console)
    let figure = outputs.figure

    let (loaded, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    // A molecule is traced in mass-weighted coordinates (MolecularRun); reports in Å.
    let molecular = try MolecularRun(loaded, start: &start, masses: masses)
    let potential = molecular?.view ?? loaded
    try figure.check(potential, spec: spec)
    let refinement = try start.refine(on: potential, spec: spec, failure: .unusableInput)
    let settings = TraceSettings(
      potential: potential, saddle: refinement.result.saddle, overrides: overrides)
    let tracer = try settings.tracer()
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
      potential: molecular?.cartesian ?? potential, method: settings.method.rawValue,
      settings: settings, refinement: refinement.result, path: path)
    console.log(TraceLog.summary(report))
    if let vibrations { console.log(MolecularRun.summary(report, vibrations)) }

    if let xyzPath = outputs.xyzPath {
      try OutputFile.write(path.xyz(potential: report.potential), to: xyzPath)
      console.log("wrote \(xyzPath) (\(path.orderedPoints.count) frames)\n")
    }
    if let csvPath = outputs.csvPath {
      try OutputFile.write(path.csv(coordinateNames: potential.coordinateNames), to: csvPath)
      console.log("wrote \(csvPath) (\(path.orderedPoints.count) rows)\n")
    }
    if figure.svgPath != nil {
      try figure.write(
        figure.render(
          report.potential, curves: PlotCurve.branches(of: path),
          markers: PlotMarker.markers(for: report),
          profile: ProfileSeries(report: report)),
        console: console)
    }
    if outputs.json {
      console.out((vibrations.map { report.json(with: $0) } ?? report.json).serialized() + "\n")
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
}

/// Where a trace or a saddle search starts: a listed saddle, or given coordinates.
struct StartPoint {
  var label: String?
  var coordinates: [Double]?
  /// `--from FILE.xyz`: a molecular start (any argument ending in .xyz).
  var xyzPath: String?
  /// How the start is described in the log, when not by its numbers.
  var described: String?

  init(_ arguments: ParsedArguments, spec: CommandSpec, requireFrom: Bool = false)
    throws(UsageError)
  {
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
    /// How the start was described, for the log.
    var origin: String
  }

  /// Refines the start to a first-order saddle; a failure exits with `failure`.
  /// `search` defaults to P-RFO scaled to the surface.
  func refine(
    on potential: Potential, spec: CommandSpec, failure: ExitCode,
    search: ((SurfaceScale) throws -> any SaddleSearch)? = nil
  ) throws -> Refined {
    let start: Vector
    let origin: String
    if let coordinates {
      guard coordinates.count == potential.dimension else {
        throw UsageError(
          message:
            "--from expects \(potential.dimension) comma-separated numbers for \(potential.name) "
            + "(\(potential.coordinateNames.joined(separator: ","))), got \(coordinates.count)",
          command: spec)
      }
      start = Vector(coordinates)
      origin =
        described
        ?? "refined from --from " + coordinates.map(NumberFormat.roundTrip).joined(separator: ",")
    } else {
      let saddles = potential.points(of: .saddle)
      let labels = saddles.map(\.label).joined(separator: ", ")
      if let label {
        guard let point = potential.point(labelled: label) else {
          throw CommandError(
            message: "\(potential.name) lists no point '\(label)'"
              + (saddles.isEmpty
                ? "; it lists no saddles, so give --from <x,y>" : "; its saddles: \(labels)"))
        }
        guard point.kind == .saddle else {
          throw CommandError(
            message: "'\(label)' is a \(point.kind) of \(potential.name), not a saddle"
              + (saddles.isEmpty ? "; give --from <x,y>" : "; its saddles: \(labels)"))
        }
        start = point.coordinates
        origin = "\(label), refined from the listed coordinates"
      } else {
        guard let first = saddles.first else {
          throw CommandError(
            message: "\(potential.name) lists no saddle to start from; give --from <x,y> near one")
        }
        start = first.coordinates
        origin = "\(first.label), refined from the listed coordinates"
      }
    }
    let scale = potential.scale(including: start)
    var evaluator = Evaluator(potential.surface)
    let method = try search?(scale) ?? SaddleRefiner(options: .scaled(to: scale))
    do {
      let result = try method.search(from: start, on: &evaluator)
      return Refined(result: result, origin: origin)
    } catch {
      throw CommandError(
        message: "no first-order saddle from the start \(start) on \(potential.name): \(error)",
        code: failure)
    }
  }
}
