import Foundation
import IRCEngines
import IRCKit

/// The molecular side of a command: the masses (the file's, the XYZ start's isotopes,
/// then `--masses`), the mass-weighted view every algorithm runs on, and conversions
/// between Cartesian coordinates (Å, what users read and write) and q = M^½x.
struct MolecularRun {
  /// The potential in Cartesian coordinates, its molecule carrying the masses used.
  var cartesian: Potential
  /// The same potential in q: what the searches and the tracer see.
  var view: Potential
  var surface: MassWeightedSurface
  var molecule: Molecule

  static let massesOption = OptionSpec.option(
    "--masses", "list",
    "For a molecule: masses in amu by symbol, e.g. H=1.00794,C=12.0107 (default: the file's "
      + "masses, else the most abundant isotope's)")

  /// `--masses H=1.00794,C=12.0107`: each pair's form and mass checked here; its symbols
  /// against the geometry once that is known (`MassOverrides.check`).
  static func masses(_ arguments: ParsedArguments, spec: CommandSpec) throws(UsageError)
    -> MassOverrides
  {
    var overrides = MassOverrides(values: [:], spec: spec)
    guard let text = arguments.values["--masses"] else { return overrides }
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let pieces = part.split(separator: "=", omittingEmptySubsequences: false)
      guard pieces.count == 2, !pieces[0].isEmpty, let mass = Double(pieces[1]) else {
        throw UsageError(
          message: "option '--masses' expects symbol=amu pairs such as H=1.00794,C=12.0107; "
            + "'\(InputExcerpt.cut(String(part)))' is not one",
          command: spec)
      }
      let symbol = String(pieces[0])
      guard mass.isFinite, mass > 0 else {
        throw UsageError(
          message:
            "option '--masses': the mass of \(InputExcerpt.cut(symbol)) must be a finite positive number "
            + "of amu, found '\(InputExcerpt.cut(String(pieces[1])))'",
          command: spec)
      }
      overrides.values[symbol] = mass
    }
    return overrides
  }

  /// Reads the first frame of an XYZ file.
  static func readXYZ(_ path: String) throws -> XYZGeometry {
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else {
      throw CommandError(
        message: FileManager.default.fileExists(atPath: path)
          ? "cannot read the XYZ file \(path)" : "no XYZ file at \(path)")
    }
    do {
      return try XYZGeometry(parsing: text, file: path)
    } catch {
      throw CommandError(message: "\(error)")
    }
  }

  /// The molecular run of `potential`, or nil for an abstract surface (then an XYZ start or
  /// `--masses` is an error). `xyz` relabels the atoms (D for H) after being checked
  /// against the surface atom by atom.
  init?(_ potential: Potential, xyz: XYZGeometry?, masses: MassOverrides) throws {
    guard let molecule = potential.molecule else {
      if let xyz {
        throw CommandError(
          message: "\(xyz.file) is an XYZ start, but \(potential.name) is not a surface of "
            + "atoms; give --from <\(potential.coordinateNames.joined(separator: ","))>")
      }
      if !masses.values.isEmpty {
        throw CommandError(
          message: "--masses applies to a surface of atoms; \(potential.name) has none")
      }
      return nil
    }
    do {
      if let xyz { try xyz.check(against: molecule) }
    } catch {
      throw CommandError(message: "\(error)")
    }
    try masses.check(against: xyz?.symbols ?? molecule.symbols)
    do {
      self.molecule = try molecule.relabelled(xyz?.symbols, overriding: masses.values)
    } catch {
      throw CommandError(message: "\(potential.name): \(error)")
    }
    var cartesian = potential
    cartesian.molecule = self.molecule
    // An engine's finite-difference Hessians then run along the internal directions only.
    if var engine = cartesian.boundEngine as? EngineSurface {
      engine.masses = self.molecule.masses
      cartesian.boundEngine = engine
    }
    self.cartesian = cartesian
    view = cartesian.massWeighted(self.molecule)!
    surface = view.massWeighting!
  }

  /// "H 1.00782503223, D 2.01410177812" — the masses used, as a run prints them.
  var massesText: String {
    molecule.massesBySymbol.map { "\($0.symbol) \(NumberFormat.roundTrip($0.mass))" }
      .joined(separator: ", ") + " amu"
  }

  /// Frequencies as a log prints them: cm⁻¹ with an imaginary one as "123.4i", or
  /// eigenvalues in reduced units.
  static func frequencyText(_ values: [Double], unit: FrequencyUnit) -> String {
    guard unit == .wavenumber else {
      return "eigenvalues " + values.map { NumberFormat.significant($0, 6) }.joined(separator: ", ")
    }
    return values.map {
      $0 < 0 ? NumberFormat.fixed(-$0, 2) + "i" : NumberFormat.fixed($0, 2)
    }.joined(separator: ", ") + " cm⁻¹"
  }

  /// `frequencyText` for a unit named as the JSON documents name it.
  static func frequencyText(_ values: [Double], unit: String) -> String {
    frequencyText(values, unit: FrequencyUnit(rawValue: unit) ?? .eigenvalue)
  }
}

extension MolecularRun {
  /// The run of a trace or search start: reads `--from FILE.xyz`, checks it against the
  /// surface and puts the start in q; numbers given with `--from` are Cartesian and are
  /// put in q too. Nil for an abstract surface.
  init?(_ potential: Potential, start: inout StartPoint, masses: MassOverrides) throws {
    let xyz = try start.xyzPath.map(Self.readXYZ)
    guard let run = try MolecularRun(potential, xyz: xyz, masses: masses) else { return nil }
    self = run
    if let xyz {
      start.coordinates = surface.massWeighted(xyz.coordinates).components
      start.described = "refined from --from \(xyz.file)"
    } else if let numbers = start.coordinates, numbers.count == surface.dimension {
      start.coordinates = surface.massWeighted(Vector(numbers)).components
      start.described =
        "refined from --from " + numbers.map(NumberFormat.roundTrip).joined(separator: ",")
    }
  }

  /// An XYZ geometry in q, checked against the surface; rigidly moved onto `reference`
  /// (in q) first when one is given, so that a band between two ends has no rigid motion.
  func start(_ xyz: XYZGeometry, alignedOnto reference: Vector?) throws -> Vector {
    do { try xyz.check(against: molecule) } catch { throw CommandError(message: "\(error)") }
    var x = xyz.coordinates
    if let reference {
      x = Alignment.aligned(x, onto: surface.cartesian(reference), masses: molecule.masses)
    }
    return surface.massWeighted(x)
  }

  /// The refinement as the log shows it: the saddle in Cartesian coordinates with its
  /// projected Hessian (rigid-body eigenvalues at zero).
  func display(_ refined: StartPoint.Refined) -> StartPoint.Refined {
    var shown = refined
    shown.result.saddle = displayPoint(refined.result.saddle)
    return shown
  }

  /// A point found in q as the log and JSON show it: Cartesian coordinates, the projected
  /// Hessian with the rigid-body eigenvalues at zero.
  func displayPoint(_ point: StationaryPoint) -> StationaryPoint {
    surface.displayed(point)
  }

  /// "  frequencies  …" of a point found in q.
  func frequencyLine(_ point: StationaryPoint) -> String {
    let analysis = HessianAnalysis(at: point.coordinates, on: surface)
    let factor = VibrationalUnits.wavenumberFactor(
      energyUnit: cartesian.units.energyName, lengthUnit: cartesian.units.lengthName)
    let values = factor.map { analysis.wavenumbers(factor: $0) } ?? analysis.eigenvalues
    return
      "  frequencies        index \(analysis.index) over \(analysis.eigenvalues.count) internal: "
      + Self.frequencyText(values, unit: FrequencyUnit(wavenumberFactor: factor)) + "\n"
  }

  /// The path back in Cartesian coordinates with its vibrational analysis.
  func cartesian(_ path: ReactionPath) -> (ReactionPath, PathVibrations?) {
    let (mapped, vibrations) = PathVibrations.cartesian(
      path, on: surface, molecule: molecule, energyUnit: cartesian.units.energyName,
      lengthUnit: cartesian.units.lengthName)
    return (mapped, vibrations)
  }

  /// Lines after the header: masses, the saddle's frequencies, the units of s and |∇V|.
  func header(_ saddle: StationaryPoint) -> String {
    let analysis = HessianAnalysis(at: saddle.coordinates, on: surface)
    let factor = VibrationalUnits.wavenumberFactor(
      energyUnit: cartesian.units.energyName, lengthUnit: cartesian.units.lengthName)
    let values = factor.map { analysis.wavenumbers(factor: $0) } ?? analysis.eigenvalues
    let length = cartesian.units.lengthName
    return "  masses             \(massesText)\n"
      + "  saddle modes       \(analysis.rigidBodyModeCount) rigid-body, index \(analysis.index) "
      + "over \(analysis.eigenvalues.count) internal: "
      + Self.frequencyText(values, unit: FrequencyUnit(wavenumberFactor: factor)) + "\n"
      + "  coordinates        mass-weighted q = M^1/2 x: s in amu^1/2·\(length), |∇V| of the "
      + "mass-weighted gradient\n"
  }

  /// Lines after the summary: each end's barrier from that side and its frequencies.
  static func summary(_ report: TraceReport, _ vibrations: PathVibrations) -> String {
    var text =
      "saddle:   "
      + frequencyText(
        vibrations.frequencies(vibrations.saddle), unit: vibrations.unit) + "\n"
    for branch in report.path.branches {
      let barrier = report.path.saddle.energy - branch.end.energy
      text +=
        TraceLog.pad(branch.direction.rawValue + ":", 10, right: false)
        + "barrier from this side \(NumberFormat.significant(barrier, 10))"
        + (report.potential.units.energy == nil ? "" : " \(report.potential.units.energyName)")
        + "; " + endText(branch, vibrations) + "\n"
    }
    return text
  }

  /// What an end is: its index and frequencies, or, for an asymptotic end, that it has
  /// none. Fragments flying apart stop where |∇V| falls below the tolerance, not at a
  /// stationary point: the negative curvatures of the Hessian there are the gradient's own
  /// (the leaving fragment still pushed away), so an index would claim a higher-order
  /// saddle and "frequencies" imaginary modes that are not there.
  static func endText(_ branch: Branch, _ vibrations: PathVibrations) -> String {
    if branch.termination == .asymptotic {
      return "asymptotic end: fragments separating, not a stationary point (no index, "
        + "no frequencies)"
    }
    let analysis = vibrations.end(branch.direction)
    return "end index \(analysis.index), "
      + frequencyText(vibrations.frequencies(analysis), unit: vibrations.unit)
  }
}

/// The masses given with `--masses`, by symbol, and the command they were given to.
struct MassOverrides {
  var values: [String: Double]
  var spec: CommandSpec

  /// Every symbol given must name atoms of the geometry: a symbol that is no element, or an
  /// element the geometry does not hold, is a typing error that would otherwise change
  /// nothing silently. A symbol outside the mass table is accepted for atoms that have it
  /// (that is how such an atom gets its mass).
  func check(against symbols: [String]) throws(UsageError) {
    for symbol in values.keys.sorted() where !symbols.contains(symbol) {
      let present = symbols.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      let known = AtomicMasses.mostAbundant[symbol] != nil
      throw UsageError(
        message: "option '--masses': "
          + (known
            ? "the geometry has no atom \(symbol)"
            : "'\(InputExcerpt.cut(symbol))' is not an element symbol the mass table knows (H–Kr, I, D, T)")
          + "; its atoms are \(present.joined(separator: ", "))",
        command: spec)
    }
  }
}
