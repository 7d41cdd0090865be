import IRCKit

/// `irc freq`: harmonic frequencies of a molecular geometry, if it is stationary.
enum FreqCommand: Command {
  static let spec = CommandSpec(
    name: "freq",
    abstract: "Harmonic frequencies of a stationary geometry of a surface of atoms.",
    discussion: """
      Projects translations and rotations out of the mass-weighted Hessian (5 modes for a
      linear geometry, 6 otherwise) and reports the other 3N − 6 (3N − 5): frequencies in
      cm⁻¹ (imaginary as negative in JSON, as "123.4i" in the log; eigenvalues of the
      mass-weighted Hessian for a surface in reduced units), the index (negative ones),
      the energy and |∇V|. A geometry that is not stationary (the Newton step to the
      nearest stationary point longer than 1e-3·ℓ, ℓ half the shortest bond in
      mass-weighted coordinates) is reported as such and exits 2: its frequencies would
      mean nothing. Refine it first with 'irc saddle' or 'irc trace'.
      """,
    usage:
      "irc freq <potential> --from <file.xyz|label> [--masses <list>] [--json] [--modes <file.xyz>]",
    positionals: [.potential],
    options: [
      .option(
        "--from", "file.xyz|label",
        "The geometry: the first frame of an XYZ file (Å), or a point the file lists (required)"),
      MolecularRun.massesOption,
      .flag("--json", "Write the result as one JSON document on stdout; the log goes to stderr"),
      .option(
        "--modes", "file.xyz",
        "Write every normal mode as an XYZ animation (20 frames a mode, largest atom "
          + "displacement 0.25 length units)"),
    ])

  /// A stationary point's Newton step is at most this fraction of ℓ.
  static let stationaryFraction = 1e-3

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    guard let from = arguments.values["--from"] else {
      throw UsageError(message: "missing --from <file.xyz|label>: the geometry", command: spec)
    }
    let masses = try MolecularRun.masses(arguments, spec: spec)
    let json = arguments.has("--json")
    console.logToStandardError = json
    let modesPath = arguments.values["--modes"]
    let files = try OutputTransaction([("--modes", modesPath)], spec: spec)
    guard let name = arguments.positionals.first else {
      throw UsageError(message: "missing <potential>: a surface of atoms", command: spec)
    }
    let (potential, file) = try PotentialLocator.load(name)
    var inputs = [("potential file", file)]
    if from.lowercased().hasSuffix(".xyz") { inputs.append(("--from", from)) }
    try files.refuseOverwriting(inputs, spec: spec)
    guard potential.molecule != nil else {
      throw CommandError(
        message: "\(potential.name) is not a surface of atoms; freq needs a file with atoms")
    }
    let isXYZ = from.lowercased().hasSuffix(".xyz")
    let xyz = isXYZ ? try MolecularRun.readXYZ(from) : nil
    let run = try MolecularRun(potential, xyz: xyz, masses: masses)!
    let x: Vector
    if let xyz {
      x = xyz.coordinates
    } else {
      guard let listed = potential.point(labelled: from) else {
        let labels = potential.stationaryPoints.map(\.label).joined(separator: ", ")
        throw CommandError(
          message: "\(potential.name) lists no point '\(from)'"
            + (labels.isEmpty ? "; give an XYZ file" : "; its points: \(labels)"))
      }
      x = listed.coordinates
    }
    let q = run.surface.massWeighted(x)
    let (energy, cartesianGradient) = try Self.evaluate(run, at: x)
    let analysis = HessianAnalysis(at: q, on: run.surface)
    let gradient = run.surface.gradient(at: q)
    // The Newton step over internal modes: how far the stationary point is.
    let newton = zip(analysis.eigenvalues, analysis.modes).reduce(0.0) { sum, pair in
      let component = pair.1.dot(gradient) / pair.0
      return sum + component * component
    }.squareRoot()
    let length = Potential.reactionLength(at: x, molecule: run.molecule)
    let stationary = newton <= stationaryFraction * length
    let factor = VibrationalUnits.wavenumberFactor(
      energyUnit: potential.units.energyName, lengthUnit: potential.units.lengthName)
    let frequencies = factor.map { analysis.wavenumbers(factor: $0) } ?? analysis.eigenvalues
    let unit = factor == nil ? "eigenvalue" : "cm^-1"

    console.log("irc freq: \(potential.name) (\(file)) at \(from)\n")
    console.log("  masses             \(run.massesText)\n")
    console.log(
      "  energy             \(NumberFormat.significant(energy, 15)) \(potential.units.energyName)\n"
    )
    console.log(
      "  |∇V|               \(NumberFormat.significant(cartesianGradient.norm, 3)) (Cartesian), "
        + "Newton step to the stationary point \(NumberFormat.significant(newton, 3)) "
        + "amu^1/2·\(potential.units.lengthName)\n")
    var document: [JSONValue.Member] = [
      .init("potential", .string(potential.name)),
      .init("atoms", .array(run.molecule.symbols.map(JSONValue.string))),
      .init(
        "masses", .object(run.molecule.massesBySymbol.map { .init($0.symbol, .number($0.mass)) })),
      .init("coordinates", .numbers(x.components)),
      .init("energy", .number(energy)),
      .init("gradNorm", .number(cartesianGradient.norm)),
      .init("newtonDistance", .number(newton)),
      .init("stationary", .bool(stationary)),
      .init("rigidBodyModes", .number(Double(analysis.rigidBodyModeCount))),
    ]
    guard stationary else {
      console.log(
        "  not stationary     the nearest stationary point is \(NumberFormat.significant(newton, 3)) "
          + "away (more than \(NumberFormat.significant(stationaryFraction * length, 3))); "
          + "no frequencies. Refine it with 'irc saddle \(potential.name) --from \(from)'\n")
      if json { console.out(JSONValue.object(document).serialized() + "\n") }
      console.flush()
      console.err("Error: the geometry is not stationary; frequencies are only defined there\n")
      return .goalNotReached
    }
    console.log(
      "  modes              \(analysis.rigidBodyModeCount) rigid-body projected out; index "
        + "\(analysis.index) over \(analysis.eigenvalues.count) internal\n")
    console.log("  frequencies        \(MolecularRun.frequencyText(frequencies, unit: unit))\n")
    document += [
      .init("index", .number(Double(analysis.index))),
      .init("frequencyUnit", .string(unit)),
      .init("frequencies", .numbers(frequencies)),
    ]
    if modesPath != nil {
      try files.stage(
        analysis.animation(
          symbols: run.molecule.elements, at: x, masses: run.molecule.masses,
          frequencies: frequencies, energy: energy),
        for: "--modes", summary: "(\(analysis.modes.count) modes, 20 frames each)")
    }
    try files.commit(console: console)
    if json { console.out(JSONValue.object(document).serialized() + "\n") }
    return .success
  }

  static func evaluate(_ run: MolecularRun, at x: Vector) throws -> (Double, Vector) {
    var evaluator = Evaluator(run.cartesian.model.surface)
    do {
      return try evaluator.energyAndGradient(at: x)
    } catch {
      throw CommandError(message: "the surface is not finite at this geometry: \(error)")
    }
  }
}
