import Foundation
import IRCKit

/// `irc neb`: the saddles and minima between two points, by a climbing-image band.
enum NebCommand: Command {
  static let spec = CommandSpec(
    name: "neb",
    abstract: "Find the saddles and intermediate minima between two points (climbing-image NEB).",
    discussion: """
      Relaxes a nudged elastic band with the improved tangent and a climbing image
      (Henkelman, Uberuaga and Jónsson 2000) by L-BFGS on all images, until every image's
      force is below 1e-3·G. Each energy maximum of the band is refined to its saddle by
      P-RFO (to 1e-10·G, verified), each interior energy minimum minimised. A band can only
      approximate the path to its spacing (its images settle up to a few hundredths off it on
      Müller–Brown), so the path is then traced exactly: the IRC of each saddle, chained from
      A to B, and the band's images are re-seated on it at equal arc length. A and B are
      labels of listed minima or coordinates (minimised first). On an engine kind (xtb,
      external, ipi) A and B are XYZ files of the same atoms; each iteration's image
      gradients run --jobs at a time, the saddles are refined on Bofill-updated Hessians and
      their IRCs traced by eulerpc, as 'irc trace' does.
      """,
    usage:
      "irc neb [<potential>] --from <A> --to <B> [--masses <list>] [--checkpoint <file>] [--jobs <n>] [--images <n>] [--gradient-scale <G>] [--xyz <file>] [--csv <file>] [--json] "
      + "[--svg <file> \(FigureOptions.usage)]",
    positionals: [.potential],
    options: [
      .option(
        "--from", "A",
        "The start: a listed minimum's label, coordinates x,y, or an XYZ file (a molecule, Å) "
          + "(required)"),
      .option(
        "--to", "B",
        "The end: a listed minimum's label, coordinates x,y, or an XYZ file, aligned onto the "
          + "start (required)"),
      MolecularRun.massesOption,
      EngineRun.checkpointOption,
      EngineRun.jobsOption,
      .option(
        "--images", "n",
        "Interior images of the band, \(NudgedElasticBand.imageLimits.lowerBound)–"
          + "\(NudgedElasticBand.imageLimits.upperBound) (default: 12)"),
      Arguments.gradientScaleOption,
      .option("--xyz", "file", "Write the band as a multi-frame extended-XYZ trajectory"),
      .option("--csv", "file", "Write the band as CSV"),
      .flag("--json", "Write the result as one JSON document on stdout; the log goes to stderr"),
    ]
      + FigureOptions.options(
        svgHelp: "Draw the surface with the band, and its energy and |∇V| profile"))

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    guard let fromText = arguments.values["--from"] else {
      throw UsageError(message: "missing --from <A>: the start of the band", command: spec)
    }
    guard let toText = arguments.values["--to"] else {
      throw UsageError(message: "missing --to <B>: the end of the band", command: spec)
    }
    let images =
      try arguments.integer("--images", in: NudgedElasticBand.imageLimits, spec: spec) ?? 12
    let gradientScale = try arguments.gradientScale(spec: spec)
    let outputs = try PathOutputs(arguments, spec: spec, console: console)
    let masses = try MolecularRun.masses(arguments, spec: spec)
    var (loaded, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    var inputs = [("potential file", file)]
    for text in [fromText, toText] where isXYZ(text) {
      inputs.append((text == fromText ? "--from" : "--to", text))
    }
    try outputs.files.refuseOverwriting(inputs, spec: spec)
    if let kind = loaded.engineSpecification?.kind, isXYZ(fromText), !isXYZ(toText) {
      throw UsageError(
        message: "kind \(kind) takes its atoms from the ends: give --to FILE.xyz, the same atoms "
          + "in the same order as --from", command: spec)
    }
    let engine = try EngineRun.bind(
      &loaded, file: file, xyzPath: isXYZ(fromText) ? fromText : nil,
      also: isXYZ(toText) ? [toText] : [], arguments: arguments, spec: spec)
    defer { engine?.finish() }
    loaded.boundEngine = engine?.surface
    let near = outputs.files.path("--xyz") ?? outputs.files.path("--csv") ?? outputs.figure.svgPath
    var ends: Ends
    var band: NudgedElasticBand
    do {
      ends = try Ends(
        loaded, file: file, from: fromText, to: toText, masses: masses,
        gradientScale: gradientScale, named: PotentialLocator.argument(of: arguments),
        figure: outputs.figure)
      band = try NudgedElasticBand.scaled(
        to: ends.scale, from: ends.from.point.coordinates, to: ends.to.point.coordinates,
        images: images)
      // On an engine a Hessian costs 2·(3N − 6) calls: each maximum is refined as `trace`
      // and `saddle` refine (`EngineRun.saddleSearch`).
      if engine != nil { band.refiner = try EngineRun.saddleSearch(ends.scale) }
    } catch {
      // An engine that failed before the band: its geometry and stderr, exit 1.
      if let report = engine?.failureReport(near: near) { console.err(report) }
      throw error
    }
    let guess = firstGuess(ends, images: images)
    console.log(header(ends, file: file, band: band, engine: engine, guess: guess))
    let report = NEBReport(
      ends.potential, from: ends.from, to: ends.to, band: band,
      yardsticks: ends.potential.yardsticks(ends.scale), evaluator: &ends.evaluator,
      guess: guess?.images, tracing: engine == nil ? .adaptive : EngineRun.pathTracing)
    console.log(log(report))
    if let engine { console.log(engine.report()) }
    try stageBand(report, outputs)
    try outputs.files.commit(console: console)
    if outputs.json { console.out(json(report, engine: engine).serialized() + "\n") }
    return finish(report, engine: engine, near: near, console: console)
  }

  static func isXYZ(_ text: String) -> Bool { text.lowercased().hasSuffix(".xyz") }

  /// A molecule's frequencies at a point of the band's surface (cm⁻¹, an imaginary one
  /// negative; eigenvalues in reduced units), from the Hessian the refinement ended on.
  static func frequencies(_ report: NEBReport, at q: Vector) -> ([Double], FrequencyUnit)? {
    guard let surface = report.potential.massWeighting else { return nil }
    let analysis = HessianAnalysis(at: q, on: surface)
    let units = report.potential.units
    let factor = VibrationalUnits.wavenumberFactor(
      energyUnit: units.energyName, lengthUnit: units.lengthName)
    return (
      factor.map { analysis.wavenumbers(factor: $0) } ?? analysis.eigenvalues,
      FrequencyUnit(wavenumberFactor: factor)
    )
  }

  /// The JSON document, with each saddle's `frequencies` for a molecule and the engine's
  /// counts on an engine.
  static func json(_ report: NEBReport, engine: EngineRun?) -> JSONValue {
    guard case .object(var members) = report.json else { return report.json }
    for (index, member) in members.enumerated() where member.key == "saddles" {
      guard case .array(let saddles) = member.value else { continue }
      members[index].value = .array(
        zip(saddles, report.saddles).map { json, found in
          guard case .object(let fields) = json,
            let (values, _) = frequencies(report, at: found.search.saddle.coordinates)
          else { return json }
          return .object(fields + [.init("frequencies", .numbers(values))])
        })
    }
    if let engine { members.append(.init("engine", engine.json())) }
    return .object(members)
  }

  /// A molecule's band starts interpolated in its interatomic distances when the straight
  /// line between the ends would squeeze two atoms together (`DistanceInterpolation`): the
  /// images in q and how close the straight line brought atoms; nil for the straight line.
  static func firstGuess(_ ends: Ends, images: Int) -> (images: [Vector], squeeze: Double)? {
    guard let surface = ends.potential.massWeighting else { return nil }
    let a = surface.cartesian(ends.from.point.coordinates)
    let b = surface.cartesian(ends.to.point.coordinates)
    let squeeze = DistanceInterpolation.squeeze(from: a, to: b, count: images)
    guard squeeze < DistanceInterpolation.squeezeLimit else { return nil }
    let guess = DistanceInterpolation.images(
      from: a, to: b, count: images, masses: surface.masses)
    return (guess.map { surface.massWeighted($0) }, squeeze)
  }

  /// The exit code, with the errors behind one that is not success: a band that could not
  /// be relaxed, an engine that stopped the work after it, or no verified saddle (all 2:
  /// the band had started; the files written say so).
  static func finish(_ report: NEBReport, engine: EngineRun?, near: String?, console: Console)
    -> ExitCode
  {
    guard report.failure != nil || report.stopped != nil || !report.converged else {
      return .success
    }
    console.flush()
    if let failure = engine?.failureReport(near: near) { console.err(failure) }
    if let failure = report.failure {
      console.err("Error: the band could not be relaxed: \(failure)\n")
    } else if let stopped = report.stopped {
      console.err("Error: the band relaxed, but the work on it stopped: \(stopped)\n")
    } else {
      console.err("irc neb: the band did not yield a verified saddle; see above.\n")
    }
    return .goalNotReached
  }

  /// The surface the band runs on and its two ends, minimised. A molecule's band runs in
  /// mass-weighted coordinates: its XYZ ends set the masses, the --to end is aligned onto
  /// the --from end (no rigid motion along the band), and every coordinate is reported back
  /// in Å.
  struct Ends {
    var potential: Potential
    var scale: SurfaceScale
    var evaluator: Evaluator
    var from: NEBReport.End
    var to: NEBReport.End

    init(
      _ loaded: Potential, file: String, from fromText: String, to toText: String,
      masses: MassOverrides, gradientScale: Double?, named: String, figure: FigureOptions
    ) throws {
      let fromXYZ = try isXYZ(fromText) ? MolecularRun.readXYZ(fromText) : nil
      let toXYZ = try isXYZ(toText) ? MolecularRun.readXYZ(toText) : nil
      let molecular = try MolecularRun(loaded, xyz: fromXYZ ?? toXYZ, masses: masses)
      if let toXYZ, fromXYZ != nil, let molecule = molecular?.molecule {
        do { try toXYZ.check(against: molecule) } catch { throw CommandError(message: "\(error)") }
      }
      potential = molecular?.view ?? loaded
      try figure.check(potential, spec: spec)
      let fromStart = try fromXYZ.map { try molecular!.start($0, alignedOnto: nil) }
      // The yardsticks of a molecule come from a geometry: a listed point, else the start
      // (the only one an engine's surface has).
      scale = try Yardsticks.scale(
        potential, file: file,
        including: potential.stationaryPoints.first?.coordinates ?? fromStart,
        given: gradientScale, spec: spec)
      let minimizer = try Minimizer.scaled(to: scale)
      evaluator = Evaluator(potential.surface)
      from = try endpoint(
        fromText, option: "--from", potential, named: named, minimizer, &evaluator,
        xyz: fromStart)
      let start = from.point.coordinates
      to = try endpoint(
        toText, option: "--to", potential, named: named, minimizer, &evaluator,
        xyz: try toXYZ.map { try molecular!.start($0, alignedOnto: start) })
      guard start.distance(to: to.point.coordinates) > 1e-6 * scale.regionDiagonal else {
        throw CommandError(message: "--from and --to are the same minimum; a band needs two")
      }
    }
  }

  /// The effective settings, printed before the band runs.
  static func header(
    _ ends: Ends, file: String, band: NudgedElasticBand, engine: EngineRun?,
    guess: (images: [Vector], squeeze: Double)?
  ) -> String {
    "irc neb: \(ends.potential.name) (\(file))\n"
      + "  from               \(ends.from.name)\n  to                 \(ends.to.name)\n"
      + "  band               \(band.options.images) interior images, force tolerance "
      + "\(NumberFormat.significant(band.options.forceTolerance, 4)), spring "
      + "\(NumberFormat.significant(band.options.springConstant, 4))\n"
      + (guess.map {
        "  first guess        interpolated in the interatomic distances: the straight line "
          + "brings two atoms to \(NumberFormat.significant($0.squeeze, 2)) of their distance at "
          + "the ends\n"
      } ?? "")
      + (engine.map {
        "  engine             \($0.surface.engine.name): the images' gradients "
          + "\($0.surface.concurrentEvaluations) at a time; saddles by P-RFO on Bofill-updated "
          + "Hessians, their IRCs by eulerpc (updated Hessians)\n"
      } ?? "")
  }

  /// What the band found: its relaxation, the saddles and minima, the path and the cost.
  static func log(_ report: NEBReport) -> String {
    guard let relaxed = report.relaxed, let path = report.path else {
      return "  relaxed            NOT converged: \(report.failure.map { "\($0)" } ?? "")\n"
    }
    let potential = report.potential
    var text =
      "  relaxed            \(relaxed.converged ? "converged" : "NOT converged") after "
      + "\(relaxed.iterations) iterations; climbing image \(relaxed.climbingImage)\n"
    for (index, found) in report.saddles.enumerated() {
      let saddle = found.search.saddle
      text +=
        "  saddle \(index + 1)           "
        + "\(TraceLog.coordinates(potential, report.shown(saddle.coordinates))), "
        + "E = \(NumberFormat.significant(saddle.energy, 12)), "
        + "|∇V| = \(NumberFormat.significant(saddle.gradientNorm, 3))"
        + (found.label.map { ", matches \($0)" } ?? "") + "\n"
      if let (values, unit) = frequencies(report, at: saddle.coordinates) {
        text +=
          "                     frequencies " + MolecularRun.frequencyText(values, unit: unit)
          + "\n"
      }
    }
    for found in report.minima {
      let minimum = found.search.saddle
      text +=
        "  intermediate min   "
        + "\(TraceLog.coordinates(potential, report.shown(minimum.coordinates))), "
        + "E = \(NumberFormat.significant(minimum.energy, 12))"
        + (found.label.map { ", matches \($0)" } ?? "") + "\n"
    }
    let count = path.saddles.count
    text +=
      "  path               "
      + (path.complete
        ? "IRCs of \(count) saddle\(count == 1 ? "" : "s") join the ends, "
          + "length \(NumberFormat.significant(path.length, 6)); band re-seated on it"
        : "the saddles' IRCs do not join the ends; the relaxed band is reported as it is")
      + "\n"
    return text + "  evaluations        \(report.counts) in total\n"
  }

  /// Stages the band's `--xyz`, `--csv` and `--svg`, as asked. A band that did not yield a
  /// verified saddle is marked: `converged=F` on every XYZ comment line and "not
  /// converged" in the figure's title (the CSV contract has no place for it).
  static func stageBand(_ report: NEBReport, _ outputs: PathOutputs) throws(CommandError) {
    let files = outputs.files
    let trajectory = report.trajectory
    let potential = report.potential
    if files.path("--xyz") != nil {
      try files.stage(
        trajectory.xyz(potential: potential), for: "--xyz",
        summary: "(\(trajectory.frames.count) frames)")
    }
    if files.path("--csv") != nil {
      let csv = trajectory.csv(coordinateNames: potential.coordinateNames) { report.shown($0) }
      try files.stage(csv, for: "--csv", summary: "(\(trajectory.frames.count) rows)")
    }
    let figure = outputs.figure
    guard figure.svgPath != nil else { return }
    let frames = trajectory.frames
    let curves = [PlotCurve(points: frames.map(\.coordinates), role: .band, label: "band")]
    let profile = ProfileSeries(
      images: frames.map { ($0.coordinates, $0.energy, $0.gradientNorm) },
      gradientTolerance: nil, labels: report.endLabels)
    let markers =
      report.saddles.map {
        PlotMarker(
          coordinates: $0.search.saddle.coordinates, label: $0.label ?? "saddle", kind: .saddle)
      }
      + report.minima.map {
        PlotMarker(
          coordinates: $0.search.saddle.coordinates, label: $0.label ?? "minimum", kind: .minimum)
      }
    let title =
      report.converged
      ? nil : "\(potential.title ?? potential.name): band NOT converged, no verified saddle"
    try figure.stage(
      figure.render(potential, curves: curves, markers: markers, profile: profile, title: title),
      in: outputs.files)
  }

  /// An end of the band: a listed minimum by label, or coordinates minimised.
  static func endpoint(
    _ text: String, option: String, _ potential: Potential, named potentialArgument: String,
    _ minimizer: Minimizer, _ evaluator: inout Evaluator, xyz: Vector? = nil
  ) throws -> NEBReport.End {
    let start = try xyz ?? Self.start(text, option: option, potential, named: potentialArgument)
    do {
      let found = try minimizer.minimize(from: start, on: &evaluator)
      var name = text
      if potential.point(labelled: text) == nil {
        let x =
          potential.massWeighting?.cartesian(found.saddle.coordinates) ?? found.saddle.coordinates
        name += " → minimum at \(x)"
      }
      return NEBReport.End(name: name, point: found.saddle)
    } catch {
      throw CommandError(message: "\(option) \(text): no minimum found from there: \(error)")
    }
  }

  /// Where an end starts: a listed minimum's coordinates, or the coordinates given.
  static func start(
    _ text: String, option: String, _ potential: Potential, named potentialArgument: String
  ) throws -> Vector {
    let minima = potential.points(of: .minimum).map(\.label).joined(separator: ", ")
    if let listed = potential.point(labelled: text) {
      guard listed.kind == .minimum else {
        throw CommandError(
          message:
            "\(option) '\(text)' is a \(listed.kind) of \(potentialArgument); a band joins minima"
            + (minima.isEmpty ? "" : " (\(minima))"))
      }
      return listed.coordinates
    }
    let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map {
      Arguments.finite($0.trimmingCharacters(in: .whitespaces))
    }
    guard numbers.allSatisfy({ $0 != nil }), numbers.count == potential.dimension else {
      throw UsageError(
        message:
          "\(option) expects a listed minimum (\(minima.isEmpty ? "none listed" : minima)) "
          + "or \(potential.dimension) comma-separated numbers, got '\(text)'",
        command: spec)
    }
    return Vector(numbers.compactMap { $0 })
  }
}
