/// What one `saddle` run found (or where it stopped), in the coordinates users read: the
/// source of the JSON document and of the log's summary.
///
/// For a molecule the search runs in mass-weighted coordinates; the report holds the
/// Cartesian start and saddle (Å), the masses and the vibrational analysis of the saddle.
public struct SaddleReport: Sendable {
  /// How the search ended.
  public enum Outcome: Sendable, Equatable {
    /// A first-order saddle, verified by its Hessian, in Cartesian coordinates for a
    /// molecule (the projected Hessian with rigid-body eigenvalues at zero).
    case found(saddle: StationaryPoint, iterations: Int, counts: EvaluationCounts)
    /// No saddle: why, and what the search cost.
    case failed(SaddleSearchError, counts: EvaluationCounts)
  }

  /// The molecular part: atoms and masses used, and the saddle's vibrational analysis.
  public struct Vibrations: Sendable {
    public var molecule: Molecule
    public var analysis: HessianAnalysis
    /// √(eigenvalue) → cm⁻¹, or nil for a surface in reduced units.
    public var wavenumberFactor: Double?

    public init(molecule: Molecule, analysis: HessianAnalysis, wavenumberFactor: Double?) {
      self.molecule = molecule
      self.analysis = analysis
      self.wavenumberFactor = wavenumberFactor
    }

    /// Frequencies in cm⁻¹ (imaginary negative), or eigenvalues in reduced units.
    public var frequencies: [Double] {
      wavenumberFactor.map { analysis.wavenumbers(factor: $0) } ?? analysis.eigenvalues
    }

    public var frequencyUnit: String { wavenumberFactor == nil ? "eigenvalue" : "cm^-1" }
  }

  public var potential: Potential
  public var method: SaddleSearchMethod
  /// The start as given (Cartesian for a molecule).
  public var start: Vector
  public var outcome: Outcome
  /// The listed saddle the one found coincides with.
  public var match: String?
  /// Nil for an abstract surface, or when no saddle was found.
  public var vibrations: Vibrations?

  public init(
    potential: Potential, method: SaddleSearchMethod, start: Vector, outcome: Outcome,
    match: String? = nil, vibrations: Vibrations? = nil
  ) {
    self.potential = potential
    self.method = method
    self.start = start
    self.outcome = outcome
    self.match = match
    self.vibrations = vibrations
  }

  /// The saddle found, if any.
  public var saddle: StationaryPoint? {
    guard case .found(let saddle, _, _) = outcome else { return nil }
    return saddle
  }

  /// The search's evaluations, found or not.
  public var counts: EvaluationCounts {
    switch outcome {
    case .found(_, _, let counts), .failed(_, let counts): return counts
    }
  }

  /// The JSON document of `irc saddle --json` (outputs.md): the start, and the saddle's
  /// coordinates, energy, |∇V|, Hessian eigenvalues and match — or `converged: false` and
  /// the error —, the counts, and for a molecule its atoms, masses and frequencies.
  public var json: JSONValue {
    var members: [JSONValue.Member] = [
      .init("potential", .string(potential.name)), .init("method", .string(method.rawValue)),
    ]
    if let molecule = vibrations?.molecule ?? potential.molecule {
      members += [
        .init("atoms", .array(molecule.symbols.map(JSONValue.string))),
        .init(
          "masses", .object(molecule.massesBySymbol.map { .init($0.symbol, .number($0.mass)) })),
      ]
    }
    members.append(.init("start", .numbers(start.components)))
    switch outcome {
    case .found(let saddle, let iterations, _):
      members += [
        .init("coordinates", .numbers(saddle.coordinates.components)),
        .init("energy", .number(saddle.energy)), .init("gradNorm", .number(saddle.gradientNorm)),
        .init("hessianEigenvalues", .numbers(saddle.hessianEigenvalues)),
        .init("converged", .bool(true)), .init("iterations", .number(Double(iterations))),
      ]
    case .failed(let error, _):
      members += [.init("converged", .bool(false)), .init("error", .string("\(error)"))]
    }
    members += [
      .init("gradientEvaluations", .number(Double(counts.gradients))),
      .init("hessianEvaluations", .number(Double(counts.hessians))),
    ]
    if saddle != nil { members.append(.init("matches", match.map(JSONValue.string) ?? .null)) }
    if let vibrations {
      members += [
        .init("index", .number(Double(vibrations.analysis.index))),
        .init("rigidBodyModes", .number(Double(vibrations.analysis.rigidBodyModeCount))),
        .init("frequencyUnit", .string(vibrations.frequencyUnit)),
        .init("frequencies", .numbers(vibrations.frequencies)),
      ]
    }
    return .object(members)
  }
}
