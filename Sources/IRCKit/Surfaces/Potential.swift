/// A surface as a potential file describes it: the `Surface` itself plus everything a user
/// wrote about it (names, units, known stationary points, surface-scaled defaults, the
/// region worth looking at).
public struct Potential: Sendable {
  /// The kinds of surface a file can name: the one place their names are spelled.
  public enum Kind: String, Sendable, CaseIterable {
    case gaussianSum = "gaussian-sum"
    case leps
    case lepsHarmonic = "leps-harmonic"
    case expression
    case lennardJones = "lennard-jones"
    case morse
    case xtb
    case external
    case ipi
  }

  /// The kinds of surface a file can name, with their parameters.
  public enum Model: Sendable, Equatable {
    case gaussianSum(GaussianSum)
    /// `atoms` names A, B and C for trajectories.
    case leps(LEPS, atoms: [String])
    case lepsHarmonic(LEPSHarmonic, atoms: [String])
    /// A formula of the coordinates, of any dimension.
    case expression(ExpressionSurface)
    /// LEPS over three atoms in space (`leps` with top-level `atoms`).
    case lepsTriatomic(LEPSTriatomic)
    /// A cluster bound by a pair potential (`lennard-jones`, `morse`).
    case cluster(PairCluster)
    /// A surface computed by another program (`xtb`, `external`, `ipi`): see `engine`.
    case engine(EngineSpecification)

    public var kind: Kind {
      switch self {
      case .gaussianSum: return .gaussianSum
      case .leps: return .leps
      case .lepsHarmonic: return .lepsHarmonic
      case .expression: return .expression
      case .lepsTriatomic: return .leps
      case .cluster(let cluster):
        switch cluster.pair {
        case .lennardJones: return .lennardJones
        case .morse: return .morse
        }
      case .engine(let specification): return specification.kind
      }
    }

    /// The name a potential file uses for this kind.
    public var kindName: String { kind.rawValue }

    public var surface: any Surface {
      switch self {
      case .gaussianSum(let surface): return surface
      case .leps(let surface, _): return surface
      case .lepsHarmonic(let surface, _): return surface
      case .expression(let surface): return surface
      case .lepsTriatomic(let surface): return surface
      case .cluster(let surface): return surface
      case .engine(let specification): return UnboundEngineSurface(specification: specification)
      }
    }
  }

  /// A stationary point the file lists.
  public struct KnownPoint: Sendable, Equatable {
    public var label: String
    public var kind: StationaryKind
    public var coordinates: Vector
    public var energy: Double?

    public init(label: String, kind: StationaryKind, coordinates: Vector, energy: Double? = nil) {
      self.label = label
      self.kind = kind
      self.coordinates = coordinates
      self.energy = energy
    }
  }

  /// Surface-scaled settings a file may state (each one optional).
  public struct Defaults: Sendable, Equatable {
    /// Arc length of one IRC step.
    public var stepLength: Double?
    /// |∇V| below which a branch may stop.
    public var gradientTolerance: Double?
    /// Step limit per branch.
    public var maxSteps: Int?
    /// A typical |∇V| on this surface, the yardstick of relative tolerances.
    public var gradientScale: Double?

    public init(
      stepLength: Double? = nil, gradientTolerance: Double? = nil, maxSteps: Int? = nil,
      gradientScale: Double? = nil
    ) {
      self.stepLength = stepLength
      self.gradientTolerance = gradientTolerance
      self.maxSteps = maxSteps
      self.gradientScale = gradientScale
    }
  }

  /// An axis-aligned box in coordinate space.
  public struct Box: Sendable, Equatable {
    public var lower: Vector
    public var upper: Vector

    public init(lower: Vector, upper: Vector) {
      self.lower = lower
      self.upper = upper
    }

    /// The length of each side.
    public var sides: Vector { upper - lower }
    public var center: Vector { 0.5 * (lower + upper) }

    public func contains(_ point: Vector) -> Bool {
      point.indices.allSatisfy { lower[$0] <= point[$0] && point[$0] <= upper[$0] }
    }
  }

  public var name: String
  public var title: String?
  public var reference: String?
  public var notes: String?
  public var units: Units
  public var coordinateNames: [String]
  public var model: Model
  public var stationaryPoints: [KnownPoint]
  public var defaults: Defaults
  public var plotRange: Box?
  /// The atoms of a molecular surface (top-level `atoms`): its coordinates are then the 3N
  /// Cartesian positions x1, y1, z1, x2, …; nil for an abstract surface.
  public var molecule: Molecule?
  /// Set on the mass-weighted view of a molecular potential (`massWeighted()`): its
  /// surface and listed points are then in q = M^½x.
  public var massWeighting: MassWeightedSurface?
  /// For an engine kind, the running engine's Cartesian surface, bound by the executable
  /// (the library starts no programs); nil otherwise.
  public var boundEngine: (any Surface)?

  public init(
    name: String, title: String? = nil, reference: String? = nil, notes: String? = nil,
    units: Units = .arbitrary,
    coordinateNames: [String], model: Model, stationaryPoints: [KnownPoint] = [],
    defaults: Defaults = Defaults(), plotRange: Box? = nil, molecule: Molecule? = nil
  ) {
    self.name = name
    self.title = title
    self.reference = reference
    self.notes = notes
    self.units = units
    self.coordinateNames = coordinateNames
    self.model = model
    self.stationaryPoints = stationaryPoints
    self.defaults = defaults
    self.plotRange = plotRange
    self.molecule = molecule
  }

  public var surface: any Surface { massWeighting ?? cartesianSurface }
  /// The surface in the file's own coordinates: the bound engine, or the model's.
  public var cartesianSurface: any Surface { boundEngine ?? model.surface }
  public var dimension: Int { coordinateNames.count }

  /// The listed point called `label`.
  public func point(labelled label: String) -> KnownPoint? {
    stationaryPoints.first { $0.label == label }
  }

  /// The listed points of one kind.
  public func points(of kind: StationaryKind) -> [KnownPoint] {
    stationaryPoints.filter { $0.kind == kind }
  }

  /// The listed point of `kind` nearest to `point` within `tolerance`, if any.
  public func match(_ point: Vector, kind: StationaryKind, within tolerance: Double) -> KnownPoint?
  {
    points(of: kind)
      .map { ($0, separation($0.coordinates, point)) }
      .filter { $0.1 <= tolerance }
      .min { $0.1 < $1.1 }?.0
  }
}
