/// What a potential file says about an engine kind (`shared/reference/engines.md`). The
/// library only holds it; the `IRCEngines` target turns it into a running engine.
public enum EngineSpecification: Sendable, Equatable {
  case xtb(XTBParameters)
  case external(ExtToolParameters)
  case ipi(IPIParameters)

  /// The kind name of the file.
  public var kind: Potential.Kind {
    switch self {
    case .xtb: return .xtb
    case .external: return .external
    case .ipi: return .ipi
    }
  }

  /// Seconds per engine call, or nil for no limit.
  public var timeout: Double? {
    switch self {
    case .xtb(let parameters): return parameters.timeout
    case .external(let parameters): return parameters.timeout
    case .ipi(let parameters): return parameters.timeout
    }
  }
}

/// The parameters of the `xtb` kind.
public struct XTBParameters: Sendable, Equatable {
  /// The Hamiltonian.
  public enum Method: String, Sendable, CaseIterable {
    case gfn2, gfn1, gfn0, gfnff
  }

  public var method: Method
  public var charge: Int
  /// Unpaired electrons (not the multiplicity).
  public var uhf: Int
  /// An ALPB solvent name, or nil for the gas phase.
  public var solvent: String?
  public var accuracy: Double?
  /// Kelvin.
  public var electronicTemperature: Double?
  public var timeout: Double?

  public init(
    method: Method = .gfn2, charge: Int = 0, uhf: Int = 0, solvent: String? = nil,
    accuracy: Double? = nil, electronicTemperature: Double? = nil, timeout: Double? = nil
  ) {
    self.method = method
    self.charge = charge
    self.uhf = uhf
    self.solvent = solvent
    self.accuracy = accuracy
    self.electronicTemperature = electronicTemperature
    self.timeout = timeout
  }
}

/// The parameters of the `external` kind (ORCA's ExtTool interface).
public struct ExtToolParameters: Sendable, Equatable {
  /// The program and its arguments; the input file's name is appended.
  public var command: [String]
  public var charge: Int
  public var multiplicity: Int
  public var cores: Int
  public var timeout: Double?

  public init(
    command: [String], charge: Int = 0, multiplicity: Int = 1, cores: Int = 1,
    timeout: Double? = nil
  ) {
    self.command = command
    self.charge = charge
    self.multiplicity = multiplicity
    self.cores = cores
    self.timeout = timeout
  }
}

/// The surface of an engine kind before the executable binds it to a running engine: every
/// evaluation fails, saying so. The library never starts a program itself.
struct UnboundEngineSurface: Surface {
  var specification: EngineSpecification
  var dimension: Int { 0 }
  func energy(at point: Vector) -> Double { .nan }
  func evaluateEnergyAndGradient(
    at point: Vector
  ) throws(EvaluationError) -> (energy: Double, gradient: Vector) {
    throw .engine(
      EngineFailure(
        engine: specification.kind.rawValue,
        cause: .missingProgram("none: the potential was not bound to a running engine"),
        symbols: [], positions: point))
  }
  func evaluateEnergy(at point: Vector) throws(EvaluationError) -> Double {
    try evaluateEnergyAndGradient(at: point).energy
  }
}
