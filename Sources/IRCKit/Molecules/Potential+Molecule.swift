/// A molecular potential seen by the algorithms: in mass-weighted coordinates, with
/// yardsticks that need no grid and distances that ignore rigid motion.
extension Potential {
  /// This molecular potential in q = M^½x (its surface a `MassWeightedSurface`, its listed
  /// points mapped to q), with `molecule` (default: the file's) giving the masses; nil for
  /// an abstract surface. Every algorithm runs on this view unchanged.
  public func massWeighted(_ molecule: Molecule? = nil) -> Potential? {
    guard let molecule = molecule ?? self.molecule else { return nil }
    let surface = MassWeightedSurface(cartesianSurface, masses: molecule.masses)
    var view = self
    view.molecule = molecule
    view.massWeighting = surface
    view.stationaryPoints = stationaryPoints.map { point in
      var mapped = point
      let x = massWeighting?.cartesian(point.coordinates) ?? point.coordinates
      mapped.coordinates = surface.massWeighted(x)
      return mapped
    }
    return view
  }

  /// The distance between two points of this potential: Euclidean for an abstract surface;
  /// for a molecule the mass-weighted distance (amu^½·length) after the best rigid
  /// superposition, or, if smaller, the largest change of a sorted interatomic distance
  /// (times √ of the mean mass) so that an exchange of like atoms is the same structure.
  public func separation(_ a: Vector, _ b: Vector) -> Double {
    guard let molecule else { return a.distance(to: b) }
    let xa = massWeighting?.cartesian(a) ?? a
    let xb = massWeighting?.cartesian(b) ?? b
    let aligned = Alignment.distance(xa, xb, masses: molecule.masses)
    let meanMass = molecule.masses.reduce(0, +) / Double(molecule.atomCount)
    let structure =
      Alignment.structureDistance(xa, xb, symbols: molecule.symbols) * meanMass.squareRoot()
    return min(aligned, structure)
  }

  /// The yardsticks of a molecule, from one Hessian at the start instead of a grid in 3N
  /// dimensions (in the potential's own coordinates, q for the mass-weighted view).
  ///
  /// - ℓ = ½√m̄·d_min, half the shortest interatomic distance at the start in q (m̄ the
  ///   mean mass): a bond stretched by half its length is the scale of a reaction.
  /// - The region is the box of the listed points and the start, each side widened by half
  ///   its extent or 4ℓ, whichever is more, so that trust radii (5 % of its shortest side)
  ///   are at least 0.4ℓ even along an axis where a planar molecule does not extend.
  /// - The gradient scale is G = ℓ·|λ₁|: the gradient that a displacement ℓ produces along
  ///   the start's softest internal mode (at a saddle its reaction mode, so that the length
  ///   scale G/|λ₁| of `TraceSettings` is ℓ itself), |λ₁| floored at 10⁻² of the
  ///   root-mean-square internal eigenvalue for a nearly flat start. The file's
  ///   `defaults.gradientScale` takes precedence.
  func molecularScale(including start: Vector?, gradientScale: Double?) throws(ScaleError)
    -> SurfaceScale
  {
    let given =
      gradientScale.map { ($0, SettingSource.commandLine) }
      ?? defaults.gradientScale.map { ($0, SettingSource.file) }
    guard let molecule, let point = start ?? stationaryPoints.first?.coordinates else {
      return try SurfaceScale(
        region: fallbackRegion(including: start), gradient: given?.0 ?? 1,
        gradientSource: given?.1 ?? .derived)
    }
    let surface = massWeighting ?? MassWeightedSurface(cartesianSurface, masses: molecule.masses)
    let q = massWeighting == nil ? surface.massWeighted(point) : point
    let length = Self.reactionLength(at: surface.cartesian(q), molecule: molecule)
    var points = stationaryPoints.map(\.coordinates)
    points.append(point)
    var lower = points[0]
    var upper = points[0]
    for p in points {
      for axis in p.indices {
        lower[axis] = min(lower[axis], p[axis])
        upper[axis] = max(upper[axis], p[axis])
      }
    }
    for axis in lower.indices {
      let pad = max(0.5 * (upper[axis] - lower[axis]), 4 * length)
      lower[axis] -= pad
      upper[axis] += pad
    }
    let region = Box(lower: lower, upper: upper)
    if let given {
      return try SurfaceScale(region: region, gradient: given.0, gradientSource: given.1)
    }
    let values = HessianAnalysis(at: q, on: surface).eigenvalues
    let rms = (values.reduce(0) { $0 + $1 * $1 } / Double(max(1, values.count))).squareRoot()
    let softest = max(abs(values.first ?? rms), Self.flatFloor * rms)
    let gradient = length * softest
    return try SurfaceScale(
      region: region, gradient: gradient.isFinite && gradient > 0 ? gradient : 1,
      gradientSource: .derived)
  }

  /// |λ₁| is floored at this fraction of the root-mean-square eigenvalue.
  static let flatFloor = 1e-2

  /// ℓ = ½√m̄·d_min at Cartesian `x`.
  public static func reactionLength(at x: Vector, molecule: Molecule) -> Double {
    var shortest = Double.infinity
    for i in 0..<molecule.atomCount {
      for j in (i + 1)..<max(i + 1, molecule.atomCount) {
        shortest = min(shortest, PairGeometry(x, i, j).r)
      }
    }
    if !shortest.isFinite || shortest <= 0 { shortest = 1 }
    let meanMass = molecule.masses.reduce(0, +) / Double(molecule.atomCount)
    return 0.5 * meanMass.squareRoot() * shortest
  }
}
