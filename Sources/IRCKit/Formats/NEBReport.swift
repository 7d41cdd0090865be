/// Everything one climbing-image band between two minima found: the relaxed band, the
/// saddles and intermediate minima read from it, the exact path through the saddles (the
/// IRC of each, chained: `MinimumEnergyPath`) and the band re-seated on that path. The
/// source of the `neb` command's JSON document, trajectory and log.
///
/// References:
/// - G. Henkelman, B. P. Uberuaga and H. Jónsson, J. Chem. Phys. 113, 9901 (2000): the
///   climbing-image band (`NudgedElasticBand`).
public struct NEBReport: Sendable {
  /// An end of the band: its name as given (a label, or coordinates with the minimum they
  /// led to) and the minimum.
  public struct End: Sendable, Equatable {
    public var name: String
    public var point: StationaryPoint

    public init(name: String, point: StationaryPoint) {
      self.name = name
      self.point = point
    }
  }

  /// A stationary point read from the band, with the listed point it coincides with.
  public struct Found: Sendable, Equatable {
    public var search: SaddleSearchResult
    public var label: String?
  }

  /// The surface the band ran on (mass-weighted for a molecule), for names and listed
  /// points.
  public var potential: Potential
  public var from: End
  public var to: End
  /// Interior images.
  public var images: Int
  /// The relaxed band; nil when relaxing it failed (`failure`).
  public var relaxed: NudgedElasticBand.Result?
  public var failure: SaddleSearchError?
  public var saddles: [Found] = []
  public var minima: [Found] = []
  /// The IRCs of the saddles chained from `from` to `to`; nil when the band failed.
  public var path: MinimumEnergyPath?
  /// The band as written: re-seated at equal arc length on `path` when it is complete, else
  /// as relaxed; only the two ends when relaxing failed.
  public var trajectory = Trajectory(frames: [])
  /// Every evaluation: the ends' minimisations, the band, the traces and the re-seating.
  public var counts = EvaluationCounts()
  /// The engine failure that stopped the work after the band relaxed (reading its saddles
  /// and minima, tracing their IRCs, re-seating the band): what was found before it is
  /// kept, and the band is written as relaxed unless the path was complete.
  public var stopped: EvaluationError?

  /// Relaxes `band` from `from` to `to` on the surface of `potential` and reads what it
  /// found; `evaluator` has minimised the ends; `guess` is the band's first interior images
  /// (the straight line without); `tracing` traces the saddles' IRCs. A band
  /// that cannot be relaxed is reported, not thrown (`failure`): its ends are still
  /// written; a failure after it relaxed is `stopped`.
  public init(
    _ potential: Potential, from: End, to: End, band: NudgedElasticBand,
    yardsticks: SurfaceYardsticks, evaluator: inout Evaluator, guess: [Vector]? = nil,
    tracing: MinimumEnergyPath.Tracing = .adaptive
  ) {
    self.potential = potential
    self.from = from
    self.to = to
    images = band.options.images
    let result: NudgedElasticBand.Result
    do {
      result = try band.run(
        from: from.point.coordinates, to: to.point.coordinates, through: guess, on: &evaluator)
    } catch {
      failure = error
      trajectory = Self.ends(from, to)
      return
    }
    relaxed = result
    let match = yardsticks.scale.matchTolerance
    saddles = result.saddles.map {
      Found(
        search: $0,
        label: potential.match($0.saddle.coordinates, kind: .saddle, within: match)?.label)
    }
    minima = result.minima.map {
      Found(
        search: $0,
        label: potential.match($0.saddle.coordinates, kind: .minimum, within: match)?.label)
    }
    let path = MinimumEnergyPath.assemble(
      from: from.point.coordinates, to: to.point.coordinates,
      saddles: result.saddles.map(\.saddle), on: potential.surface, yardsticks: yardsticks,
      tolerance: Self.joinFraction * yardsticks.scale.regionDiagonal, tracing: tracing,
      rigid: potential.massWeighting.map(Self.rigidMotion))
    self.path = path
    stopped = result.stopped ?? path.stopped.map(EvaluationError.engine)
    var frames = Self.frames(of: result)
    if path.complete {
      do {
        frames = try Self.seated(on: path, count: images + 2, &evaluator)
      } catch {
        stopped = stopped ?? error
      }
    }
    trajectory = Trajectory(frames: frames, converged: converged)
    counts = evaluator.counts + path.counts
  }

  /// A point of q moved rigidly onto a reference (mass-weighted superposition).
  static func rigidMotion(on surface: MassWeightedSurface) -> @Sendable (Vector, Vector) -> Vector {
    { point, reference in
      surface.massWeighted(
        Alignment.aligned(
          surface.cartesian(point), onto: surface.cartesian(reference), masses: surface.masses))
    }
  }

  /// Ends of two traces coincide within 10⁻³ of the region's diagonal: a band's images
  /// settle up to a few hundredths off the path, its minima far closer.
  public static let joinFraction = 1e-3

  /// The band relaxed and yielded at least one verified saddle.
  public var converged: Bool { (relaxed?.converged ?? false) && !saddles.isEmpty && stopped == nil }

  /// Labels of the profile: the two ends.
  public var endLabels: [Int: String] {
    [0: from.name, max(1, trajectory.frames.count - 1): to.name]
  }

  /// A point of q as shown: Cartesian for a molecule.
  public func shown(_ q: Vector) -> Vector { potential.massWeighting?.cartesian(q) ?? q }

  /// A stationary point as shown: Cartesian, with the projected Hessian, for a molecule.
  public func shown(_ point: StationaryPoint) -> StationaryPoint {
    potential.massWeighting?.displayed(point) ?? point
  }

  /// `count` points at equal arc length along `path`, each evaluated (all at once on a
  /// surface that computes elsewhere).
  static func seated(on path: MinimumEnergyPath, count: Int, _ evaluator: inout Evaluator)
    throws(EvaluationError) -> [Trajectory.Frame]
  {
    let lengths = (0..<count).map { path.length * Double($0) / Double(count - 1) }
    let points = lengths.map { path.point(at: $0) }
    let evaluated = try evaluator.energiesAndGradients(at: points)
    return (0..<count).map { k in
      Trajectory.Frame(
        arcLength: lengths[k], coordinates: points[k], energy: evaluated[k].energy,
        gradientNorm: evaluated[k].gradient.norm, step: k, segment: .band)
    }
  }

  /// The relaxed images, at their cumulative distance along the band.
  static func frames(of result: NudgedElasticBand.Result) -> [Trajectory.Frame] {
    var s = 0.0
    return result.images.enumerated().map { index, image in
      if index > 0 { s += image.coordinates.distance(to: result.images[index - 1].coordinates) }
      return Trajectory.Frame(
        arcLength: s, coordinates: image.coordinates, energy: image.energy,
        gradientNorm: image.gradient.norm, step: index, segment: .band)
    }
  }

  /// The two ends only, of a band that could not be relaxed.
  static func ends(_ from: End, _ to: End) -> Trajectory {
    let length = from.point.coordinates.distance(to: to.point.coordinates)
    let frames = [from, to].enumerated().map { index, end in
      Trajectory.Frame(
        arcLength: Double(index) * length, coordinates: end.point.coordinates,
        energy: end.point.energy, gradientNorm: end.point.gradientNorm, step: index,
        segment: .band)
    }
    return Trajectory(frames: frames, converged: false)
  }
}
