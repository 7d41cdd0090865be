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
      labels of listed minima or coordinates (minimised first).
      """,
    usage:
      "irc neb [<potential>] --from <A> --to <B> [--masses <list>] [--images <n>] [--gradient-scale <G>] [--xyz <file>] [--csv <file>] [--json] "
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
    let figure = outputs.figure
    let masses = try MolecularRun.masses(arguments, spec: spec)
    let (loaded, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    try EngineRun.refuse(loaded, in: "neb")
    var inputs = [("potential file", file)]
    for text in [fromText, toText] where text.lowercased().hasSuffix(".xyz") {
      inputs.append((text == fromText ? "--from" : "--to", text))
    }
    try outputs.files.refuseOverwriting(inputs, spec: spec)
    // A molecule's band runs in mass-weighted coordinates: its XYZ ends set the masses, the
    // --to end is aligned onto the --from end (no rigid motion along the band), and every
    // coordinate is reported back in Å.
    let fromXYZ = try fromText.lowercased().hasSuffix(".xyz") ? MolecularRun.readXYZ(fromText) : nil
    let toXYZ = try toText.lowercased().hasSuffix(".xyz") ? MolecularRun.readXYZ(toText) : nil
    let molecular = try MolecularRun(loaded, xyz: fromXYZ ?? toXYZ, masses: masses)
    if let toXYZ, fromXYZ != nil, let molecule = molecular?.molecule {
      do { try toXYZ.check(against: molecule) } catch { throw CommandError(message: "\(error)") }
    }
    let potential = molecular?.view ?? loaded
    let shown: (Vector) -> Vector = { molecular?.surface.cartesian($0) ?? $0 }
    try figure.check(potential, spec: spec)
    let scale = try Yardsticks.scale(
      potential, file: file, including: potential.stationaryPoints.first?.coordinates,
      given: gradientScale, spec: spec)
    let minimizer = try Minimizer.scaled(to: scale)
    var evaluator = Evaluator(potential.surface)
    let named = PotentialLocator.argument(of: arguments)
    let start = try endpoint(
      fromText, option: "--from", potential, named: named, minimizer, &evaluator,
      xyz: try fromXYZ.map { try molecular!.start($0, alignedOnto: nil) })
    let end = try endpoint(
      toText, option: "--to", potential, named: named, minimizer, &evaluator,
      xyz: try toXYZ.map { try molecular!.start($0, alignedOnto: start.point.coordinates) })
    guard start.point.coordinates.distance(to: end.point.coordinates) > 1e-6 * scale.regionDiagonal
    else {
      throw CommandError(message: "--from and --to are the same minimum; a band needs two")
    }
    let band = try NudgedElasticBand.scaled(
      to: scale, from: start.point.coordinates, to: end.point.coordinates, images: images)
    console.log("irc neb: \(potential.name) (\(file))\n")
    console.log("  from               \(start.name)\n  to                 \(end.name)\n")
    console.log(
      "  band               \(images) interior images, force tolerance "
        + "\(NumberFormat.significant(band.options.forceTolerance, 4)), spring "
        + "\(NumberFormat.significant(band.options.springConstant, 4))\n")
    let result: NudgedElasticBand.Result
    do {
      result = try band.run(
        from: start.point.coordinates, to: end.point.coordinates, on: &evaluator)
    } catch {
      // The ends are the only points known: they are written, marked, and the run exits 2.
      console.log("  relaxed            NOT converged: \(error)\n")
      let length = start.point.coordinates.distance(to: end.point.coordinates)
      let ends = [start, end].enumerated().map { index, point in
        Frame(
          s: Double(index) * length, coordinates: point.point.coordinates,
          energy: point.point.energy, gradNorm: point.point.gradientNorm)
      }
      try stageBand(
        ends, outputs, potential, labels: [0: start.name, 1: end.name], converged: false,
        shown: shown)
      try outputs.files.commit(console: console)
      if outputs.json {
        console.out(
          JSONValue.object([
            .init("potential", .string(potential.name)),
            .init("band", .object([.init("converged", .bool(false))])),
            .init("error", .string("\(error)")),
          ]).serialized() + "\n")
      }
      console.flush()
      console.err("Error: the band could not be relaxed: \(error)\n")
      return .goalNotReached
    }
    console.log(
      "  relaxed            \(result.converged ? "converged" : "NOT converged") after \(result.iterations) "
        + "iterations; climbing image \(result.climbingImage)\n")
    let match = scale.matchTolerance
    for (index, found) in result.saddles.enumerated() {
      let label = potential.match(found.saddle.coordinates, kind: .saddle, within: match)?.label
      console.log(
        "  saddle \(index + 1)           \(TraceLog.coordinates(potential, shown(found.saddle.coordinates))), "
          + "E = \(NumberFormat.significant(found.saddle.energy, 12)), "
          + "|∇V| = \(NumberFormat.significant(found.saddle.gradientNorm, 3))"
          + (label.map { ", matches \($0)" } ?? "") + "\n")
    }
    for found in result.minima {
      let label = potential.match(found.saddle.coordinates, kind: .minimum, within: match)?.label
      console.log(
        "  intermediate min   \(TraceLog.coordinates(potential, shown(found.saddle.coordinates))), "
          + "E = \(NumberFormat.significant(found.saddle.energy, 12))"
          + (label.map { ", matches \($0)" } ?? "")
          + "\n")
    }
    // The exact path through the saddles, and the band re-seated on it.
    let path = MinimumEnergyPath.assemble(
      from: start.point.coordinates, to: end.point.coordinates,
      saddles: result.saddles.map(\.saddle), potential: potential, scale: scale,
      tolerance: 1e-3 * scale.regionDiagonal)
    var seated: [Frame] = []
    if path.complete {
      for k in 0...(images + 1) {
        let s = path.length * Double(k) / Double(images + 1)
        let q = path.point(at: s)
        let (energy, gradient) = try evaluator.energyAndGradient(at: q)
        seated.append(Frame(s: s, coordinates: q, energy: energy, gradNorm: gradient.norm))
      }
    }
    let counts = evaluator.counts + path.counts
    console.log(
      "  path               "
        + (path.complete
          ? "IRCs of \(path.saddles.count) saddle\(path.saddles.count == 1 ? "" : "s") join the ends, "
            + "length \(NumberFormat.significant(path.length, 6)); band re-seated on it"
          : "the saddles' IRCs do not join the ends; the relaxed band is reported as it is")
        + "\n")
    console.log("  evaluations        \(counts) in total\n")

    // The band written like a trace: re-seated if the path is complete, else as relaxed.
    let frames: [Frame] =
      path.complete
      ? seated
      : {
        var s = 0.0
        return result.images.enumerated().map { index, image in
          if index > 0 { s += image.coordinates.distance(to: result.images[index - 1].coordinates) }
          return Frame(
            s: s, coordinates: image.coordinates, energy: image.energy,
            gradNorm: image.gradient.norm)
        }
      }()
    let converged = result.converged && !result.saddles.isEmpty
    var markers = result.saddles.map {
      PlotMarker(
        coordinates: $0.saddle.coordinates,
        label: potential.match($0.saddle.coordinates, kind: .saddle, within: match)?.label
          ?? "saddle",
        kind: .saddle)
    }
    markers += result.minima.map {
      PlotMarker(
        coordinates: $0.saddle.coordinates,
        label: potential.match($0.saddle.coordinates, kind: .minimum, within: match)?.label
          ?? "minimum",
        kind: .minimum)
    }
    try stageBand(
      frames, outputs, potential, labels: [0: start.name, images + 1: end.name],
      converged: converged, markers: markers, shown: shown)
    try outputs.files.commit(console: console)
    if outputs.json {
      func saddleJSON(_ found: SaddleSearchResult) -> JSONValue {
        .object(
          SaddleCommand.pointMembers(molecular?.displayPoint(found.saddle) ?? found.saddle) + [
            .init("converged", .bool(true)), .init("iterations", .number(Double(found.iterations))),
            .init("gradientEvaluations", .number(Double(found.counts.gradients))),
            .init("hessianEvaluations", .number(Double(found.counts.hessians))),
            .init(
              "matches",
              potential.match(found.saddle.coordinates, kind: .saddle, within: match).map {
                .string($0.label)
              }
                ?? .null),
          ])
      }
      let document = JSONValue.object([
        .init("potential", .string(potential.name)),
        .init(
          "from",
          .object(
            [.init("name", .string(start.name))]
              + SaddleCommand.pointMembers(molecular?.displayPoint(start.point) ?? start.point))),
        .init(
          "to",
          .object(
            [.init("name", .string(end.name))]
              + SaddleCommand.pointMembers(molecular?.displayPoint(end.point) ?? end.point))),
        .init("images", .number(Double(images))),
        .init(
          "band",
          .object([
            .init("converged", .bool(result.converged)),
            .init("iterations", .number(Double(result.iterations))),
            .init("climbingImage", .number(Double(result.climbingImage))),
            .init(
              "images", .array(result.images.map { .numbers(shown($0.coordinates).components) })),
          ])),
        .init("saddles", .array(result.saddles.map(saddleJSON))),
        .init(
          "minima",
          .array(
            result.minima.map { found in
              .object(
                SaddleCommand.pointMembers(molecular?.displayPoint(found.saddle) ?? found.saddle)
                  + [
                    .init(
                      "matches",
                      potential.match(found.saddle.coordinates, kind: .minimum, within: match).map {
                        .string($0.label)
                      } ?? .null)
                  ])
            })),
        .init(
          "path",
          .object([
            .init("complete", .bool(path.complete)), .init("length", .number(path.length)),
            .init(
              "images",
              .array(
                frames.map { frame in
                  .object([
                    .init("s", .number(frame.s)),
                    .init("coordinates", .numbers(shown(frame.coordinates).components)),
                    .init("energy", .number(frame.energy)),
                    .init("gradNorm", .number(frame.gradNorm)),
                  ])
                })),
          ])),
        .init("gradientEvaluations", .number(Double(counts.gradients))),
        .init("hessianEvaluations", .number(Double(counts.hessians))),
      ])
      console.out(document.serialized() + "\n")
    }
    guard converged else {
      console.flush()
      console.err("irc neb: the band did not yield a verified saddle; see above.\n")
      return .goalNotReached
    }
    return .success
  }

  /// A point of the band as written: arc length, coordinates, energy and |∇V|.
  struct Frame {
    var s: Double
    var coordinates: Vector
    var energy: Double
    var gradNorm: Double
  }

  /// Stages the band's `--xyz`, `--csv` and `--svg`, as asked. A band that did not yield a
  /// verified saddle is marked: `converged=F` on every XYZ comment line and "not
  /// converged" in the figure's title (the CSV contract has no place for it).
  static func stageBand(
    _ frames: [Frame], _ outputs: PathOutputs, _ potential: Potential, labels: [Int: String],
    converged: Bool, markers: [PlotMarker] = [], shown: (Vector) -> Vector = { $0 }
  ) throws(CommandError) {
    let files = outputs.files
    if files.path("--xyz") != nil {
      var text = ""
      for (index, frame) in frames.enumerated() {
        let atoms = potential.atoms(at: frame.coordinates)
        text += "\(atoms.count)\n"
        text +=
          XYZ.comment(
            [
              ("energy", NumberFormat.roundTrip(frame.energy)),
              ("grad_norm", NumberFormat.roundTrip(frame.gradNorm)),
              ("s", NumberFormat.roundTrip(frame.s)), ("step", String(index)),
              ("direction", "band"),
            ] + (converged ? [] : [("converged", "F")])) + "\n"
        for atom in atoms { text += XYZ.atomLine(atom) + "\n" }
      }
      try files.stage(text, for: "--xyz", summary: "(\(frames.count) frames)")
    }
    if files.path("--csv") != nil {
      var text =
        (["s", "energy", "grad_norm", "direction", "step"] + potential.coordinateNames)
        .joined(separator: ",") + "\n"
      for (index, frame) in frames.enumerated() {
        text +=
          ([
            NumberFormat.roundTrip(frame.s), NumberFormat.roundTrip(frame.energy),
            NumberFormat.roundTrip(frame.gradNorm), "band", String(index),
          ] + shown(frame.coordinates).map(NumberFormat.roundTrip)).joined(separator: ",") + "\n"
      }
      try files.stage(text, for: "--csv", summary: "(\(frames.count) rows)")
    }
    let figure = outputs.figure
    guard figure.svgPath != nil else { return }
    let curves = [PlotCurve(points: frames.map(\.coordinates), role: .band, label: "band")]
    let profile = ProfileSeries(
      images: frames.map { ($0.coordinates, $0.energy, $0.gradNorm) },
      gradientTolerance: nil, labels: labels)
    let title =
      converged
      ? nil : "\(potential.title ?? potential.name): band NOT converged, no verified saddle"
    try figure.stage(
      figure.render(potential, curves: curves, markers: markers, profile: profile, title: title),
      in: outputs.files)
  }

  /// An end of the band: a listed minimum by label, or coordinates minimised.
  static func endpoint(
    _ text: String, option: String, _ potential: Potential, named potentialArgument: String,
    _ minimizer: Minimizer, _ evaluator: inout Evaluator, xyz: Vector? = nil
  ) throws -> (name: String, point: StationaryPoint) {
    let start: Vector
    var name: String
    if let xyz {
      start = xyz
      name = text
    } else if let listed = potential.point(labelled: text) {
      guard listed.kind == .minimum else {
        let minima = potential.points(of: .minimum).map(\.label).joined(separator: ", ")
        throw CommandError(
          message:
            "\(option) '\(text)' is a \(listed.kind) of \(potentialArgument); a band joins minima"
            + (minima.isEmpty ? "" : " (\(minima))"))
      }
      start = listed.coordinates
      name = text
    } else {
      let numbers = text.split(separator: ",", omittingEmptySubsequences: false).map {
        Double($0.trimmingCharacters(in: .whitespaces))
      }
      guard numbers.allSatisfy({ $0 != nil && $0!.isFinite }), numbers.count == potential.dimension
      else {
        let labels = potential.points(of: .minimum).map(\.label).joined(separator: ", ")
        throw UsageError(
          message:
            "\(option) expects a listed minimum (\(labels.isEmpty ? "none listed" : labels)) "
            + "or \(potential.dimension) comma-separated numbers, got '\(text)'",
          command: spec)
      }
      start = Vector(numbers.map { $0! })
      name = text
    }
    do {
      let found = try minimizer.minimize(from: start, on: &evaluator)
      if potential.point(labelled: text) == nil {
        let x =
          potential.massWeighting?.cartesian(found.saddle.coordinates) ?? found.saddle.coordinates
        name += " → minimum at \(x)"
      }
      return (name, found.saddle)
    } catch {
      throw CommandError(message: "\(option) \(text): no minimum found from there: \(error)")
    }
  }
}
