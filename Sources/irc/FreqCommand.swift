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
      "irc freq <potential> --from <file.xyz|label> [--masses <list>] [--checkpoint <file>] "
      + "[--jobs <n>] [--json] [--modes <file.xyz>]",
    positionals: [.potential],
    options: [
      .option(
        "--from", "file.xyz|label",
        "The geometry: the first frame of an XYZ file (Å), or a point the file lists (required)"),
      MolecularRun.massesOption,
      EngineRun.checkpointOption,
      EngineRun.jobsOption,
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
    var (potential, file) = try PotentialLocator.load(name)
    let isXYZ = from.lowercased().hasSuffix(".xyz")
    try files.refuseOverwriting(
      [("potential file", file)] + (isXYZ ? [("--from", from)] : []), spec: spec)
    let engine = try EngineRun.bind(
      &potential, file: file, xyzPath: isXYZ ? from : nil, arguments: arguments, spec: spec)
    defer { engine?.finish() }
    potential.boundEngine = engine?.surface
    do {
      let analysed = try analyse(potential, file: file, from: from, masses: masses)
      return try report(
        analysed, file: file, from: from, files: files, json: json, engine: engine,
        console: console)
    } catch var error as CommandError {
      guard let engine, let report = engine.failureReport(near: modesPath) else { throw error }
      console.err(report)
      // An engine that answered before it failed stopped a computation that had started.
      if engine.log.statistics.gradientCalls > 0 { error.code = .goalNotReached }
      throw error
    }
  }

  /// The geometry, its energy and gradient, and its vibrational analysis.
  struct Analysed {
    var run: MolecularRun
    var x: Vector
    var energy: Double
    var cartesianGradient: Vector
    var analysis: HessianAnalysis
    /// The length of the Newton step to the nearest stationary point (amu^½·length).
    var newton: Double
    var stationary: Bool
    var frequencies: [Double]
    var unit: String
  }

  static func analyse(_ potential: Potential, file: String, from: String, masses: MassOverrides)
    throws -> Analysed
  {
    guard potential.molecule != nil else {
      throw CommandError(
        message: "\(potential.name) is not a surface of atoms; freq needs a file with atoms")
    }
    let xyz = from.lowercased().hasSuffix(".xyz") ? try MolecularRun.readXYZ(from) : nil
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
    // At x as the mass-weighted surface sees it (x and M^-½M^½x may differ in the last
    // bit): then the gradient below is the same evaluation, not a second engine call.
    let (energy, cartesianGradient) = try Self.evaluate(run, at: run.surface.cartesian(q))
    if potential.boundEngine != nil {
      // Through the throwing door first, so that a failed engine call is an error and not
      // a NaN Hessian; the analysis below then reads it from the evaluation log.
      do {
        _ = try run.surface.evaluateHessian(at: q)
      } catch {
        throw CommandError(message: "no Hessian at this geometry: \(error)")
      }
    }
    let analysis = HessianAnalysis(at: q, on: run.surface)
    let gradient = run.surface.gradient(at: q)
    // The Newton step over internal modes: how far the stationary point is.
    let newton = zip(analysis.eigenvalues, analysis.modes).reduce(0.0) { sum, pair in
      let component = pair.1.dot(gradient) / pair.0
      return sum + component * component
    }.squareRoot()
    let length = Potential.reactionLength(at: x, molecule: run.molecule)
    let factor = VibrationalUnits.wavenumberFactor(
      energyUnit: potential.units.energyName, lengthUnit: potential.units.lengthName)
    return Analysed(
      run: run, x: x, energy: energy, cartesianGradient: cartesianGradient, analysis: analysis,
      newton: newton, stationary: newton <= stationaryFraction * length,
      frequencies: factor.map { analysis.wavenumbers(factor: $0) } ?? analysis.eigenvalues,
      unit: factor == nil ? "eigenvalue" : "cm^-1")
  }

  /// Prints the analysis, writes the modes and the JSON document; the exit code.
  static func report(
    _ analysed: Analysed, file: String, from: String, files: OutputTransaction, json: Bool,
    engine: EngineRun?, console: Console
  ) throws -> ExitCode {
    let (run, analysis) = (analysed.run, analysed.analysis)
    let potential = run.cartesian
    console.log("irc freq: \(potential.name) (\(file)) at \(from)\n")
    console.log("  masses             \(run.massesText)\n")
    console.log(
      "  energy             \(NumberFormat.significant(analysed.energy, 15)) "
        + "\(potential.units.energyName)\n")
    console.log(
      "  |∇V|               \(NumberFormat.significant(analysed.cartesianGradient.norm, 3)) "
        + "(Cartesian), Newton step to the stationary point "
        + "\(NumberFormat.significant(analysed.newton, 3)) amu^1/2·\(potential.units.lengthName)\n")
    var document = Self.document(analysed)
    if analysed.stationary {
      console.log(
        "  modes              \(analysis.rigidBodyModeCount) rigid-body projected out; index "
          + "\(analysis.index) over \(analysis.eigenvalues.count) internal\n")
      console.log(
        "  frequencies        "
          + "\(MolecularRun.frequencyText(analysed.frequencies, unit: analysed.unit))\n")
    } else {
      let length = Potential.reactionLength(at: analysed.x, molecule: run.molecule)
      console.log(
        "  not stationary     the nearest stationary point is "
          + "\(NumberFormat.significant(analysed.newton, 3)) away (more than "
          + "\(NumberFormat.significant(stationaryFraction * length, 3))); no frequencies. "
          + "Refine it with 'irc saddle \(potential.name) --from \(from)'\n")
    }
    if let engine {
      console.log(engine.report(updatedHessians: false))
      document.append(.init("engine", engine.json()))
    }
    guard analysed.stationary else {
      if json { console.out(JSONValue.object(document).serialized() + "\n") }
      console.flush()
      console.err("Error: the geometry is not stationary; frequencies are only defined there\n")
      return .goalNotReached
    }
    if files.path("--modes") != nil {
      try files.stage(
        analysis.animation(
          symbols: run.molecule.elements, at: analysed.x, masses: run.molecule.masses,
          frequencies: analysed.frequencies, energy: analysed.energy),
        for: "--modes", summary: "(\(analysis.modes.count) modes, 20 frames each)")
    }
    try files.commit(console: console)
    if json { console.out(JSONValue.object(document).serialized() + "\n") }
    return .success
  }

  /// The JSON document's members: the frequencies only at a stationary geometry.
  static func document(_ analysed: Analysed) -> [JSONValue.Member] {
    let molecule = analysed.run.molecule
    var document: [JSONValue.Member] = [
      .init("potential", .string(analysed.run.cartesian.name)),
      .init("atoms", .array(molecule.symbols.map(JSONValue.string))),
      .init("masses", .object(molecule.massesBySymbol.map { .init($0.symbol, .number($0.mass)) })),
      .init("coordinates", .numbers(analysed.x.components)),
      .init("energy", .number(analysed.energy)),
      .init("gradNorm", .number(analysed.cartesianGradient.norm)),
      .init("newtonDistance", .number(analysed.newton)),
      .init("stationary", .bool(analysed.stationary)),
      .init("rigidBodyModes", .number(Double(analysed.analysis.rigidBodyModeCount))),
    ]
    if analysed.stationary {
      document += [
        .init("index", .number(Double(analysed.analysis.index))),
        .init("frequencyUnit", .string(analysed.unit)),
        .init("frequencies", .numbers(analysed.frequencies)),
      ]
    }
    return document
  }

  static func evaluate(_ run: MolecularRun, at x: Vector) throws -> (Double, Vector) {
    var evaluator = Evaluator(run.cartesian.cartesianSurface)
    do {
      return try evaluator.energyAndGradient(at: x)
    } catch {
      throw CommandError(message: "the surface is not finite at this geometry: \(error)")
    }
  }
}
