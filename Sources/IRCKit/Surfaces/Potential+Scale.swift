import Foundation

/// Where a setting's value came from, printed beside it so no threshold is a mystery.
public enum SettingSource: String, Sendable, Equatable {
  case commandLine = "command line"
  case file = "potential file"
  case derived = "derived"
}

/// Where the region of a `SurfaceScale` came from.
public enum RegionSource: String, Sendable, Equatable {
  /// The file's `plotRange`.
  case plotRange
  /// The box around the listed stationary points and the start.
  case listedPoints
  /// A region given to the library (a command's `--range`).
  case given
}

/// A yardstick that cannot serve: every tolerance and step is a multiple of it, so a
/// zero, subnormal, infinite or unresolvable one would make them zero or infinite.
public enum ScaleError: Error, Equatable, CustomStringConvertible {
  /// G is outside `SurfaceScale.usableRange` (a derived one of 0: the surface is flat over
  /// its region).
  case gradientScale(Double, source: SettingSource, samples: Int)
  /// Not one of the sampled gradients was finite.
  case noFiniteGradient(samples: Int)
  /// A side of the region is outside `SurfaceScale.usableRange`, or shorter than the
  /// round-off of its corners can resolve.
  case region(Potential.Box, source: RegionSource)

  public var description: String {
    let range =
      "from \(SurfaceScale.usableRange.lowerBound) to \(SurfaceScale.usableRange.upperBound)"
    switch self {
    case .gradientScale(let value, .derived, let samples):
      return "the gradient scale G, the median |∇V| over \(samples) points of the region, is "
        + "\(NumberFormat.significant(value, 4)), outside the usable range \(range)"
    case .gradientScale(let value, let source, _):
      return "the gradient scale G = \(NumberFormat.significant(value, 4)) (\(source.rawValue)) is "
        + "outside the usable range \(range)"
    case .noFiniteGradient(let samples):
      return "none of the \(samples) gradients sampled over the region to derive the gradient "
        + "scale G is finite"
    case .region(let box, let source):
      return
        "the \(source == .plotRange ? "plot range" : source == .given ? "region" : "box around the listed points") "
        + "from \(box.lower.components) to \(box.upper.components) has sides "
        + "\(box.sides.components); each side must be \(range) and at least "
        + "\(SurfaceScale.resolvableFraction) of its corners' magnitude"
    }
  }
}

/// The yardsticks of a surface: the region worth looking at and a typical |∇V| there.
/// Thresholds in hartree or eV mean nothing on a dimensionless surface, so every default
/// tolerance is a multiple of these. Both are checked on creation (`usableRange`), so
/// every value derived from them is a positive, finite, normal number.
public struct SurfaceScale: Sendable, Equatable {
  /// The file's `plotRange`; else the box around its listed stationary points (and the
  /// start), widened by half its extent on each side, or by one length unit along an axis
  /// where every point agrees.
  public private(set) var region: Potential.Box
  /// The file's `defaults.gradientScale` or the command line's; else the median |∇V| over
  /// `derivationBudget` points of `region`. The median, because gradients explode at the
  /// edges of surfaces like Müller–Brown and a mean would follow them.
  public private(set) var gradient: Double
  public private(set) var gradientSource: SettingSource
  /// The gradients spent deriving `gradient`: 0 when it was given.
  public private(set) var gradientEvaluations: Int

  /// The range of a usable yardstick (G, and every side of the region). Tolerances go
  /// down to 10⁻¹² of a yardstick and products of two yardsticks appear (an energy
  /// tolerance G·length); within 10^±150 all of them stay normal, finite doubles.
  public static let usableRange = 1e-150...1e150
  /// A side of the region must be at least this fraction of its corners' magnitude: then
  /// it spans 10⁷ representable values, and steps and tolerances of 10⁻⁵ of it are not
  /// lost to the round-off of the coordinates.
  public static let resolvableFraction = 1e-9
  /// Gradients spent deriving G, in any dimension: the full grid of ⌊400^(1/n)⌋ points per
  /// axis when it has at least 2 (n ≤ 8: Müller–Brown's 20 × 20), else this many seeded
  /// uniform points of the region. 400 samples put the median within a few per cent.
  public static let derivationBudget = 400
  /// The seed of the sample in more than 8 dimensions, so that G is reproducible.
  public static let sampleSeed: UInt64 = 0x5CA1E

  public init(
    region: Potential.Box, gradient: Double, gradientSource: SettingSource,
    gradientEvaluations: Int = 0, regionSource: RegionSource = .given
  ) throws(ScaleError) {
    guard Self.usableRange.contains(gradient) else {
      throw .gradientScale(gradient, source: gradientSource, samples: gradientEvaluations)
    }
    try Self.check(region, source: regionSource)
    self.region = region
    self.gradient = gradient
    self.gradientSource = gradientSource
    self.gradientEvaluations = gradientEvaluations
  }

  /// Refuses a region whose sides are outside `usableRange` or shorter than
  /// `resolvableFraction` of its corners' magnitude.
  public static func check(_ region: Potential.Box, source: RegionSource) throws(ScaleError) {
    for axis in region.lower.indices {
      let side = region.upper[axis] - region.lower[axis]
      let magnitude = max(abs(region.lower[axis]), abs(region.upper[axis]))
      guard usableRange.contains(side), side >= resolvableFraction * magnitude else {
        throw .region(region, source: source)
      }
    }
  }

  /// The diagonal of the region: a length the whole surface spans.
  public var regionDiagonal: Double { region.sides.norm }

  /// The shortest side of the region: the longest step a search may take is 5 % of it.
  public var shortestSide: Double { region.sides.components.min() ?? 1 }

  /// A point coincides with a listed one within 10⁻⁵ of the region's diagonal: the
  /// precision of coordinates written to six digits, and far below the distance between
  /// two stationary points of any surface worth tracing. Independent of any step length,
  /// so that an end still far from a minimum never claims it.
  public var matchTolerance: Double { 1e-5 * regionDiagonal }
}

extension Potential {
  /// The surface's yardsticks; `start` widens the fallback region to include it, and
  /// `gradientScale` (the command line's) comes before the file's.
  public func scale(including start: Vector? = nil, gradientScale: Double? = nil)
    throws(ScaleError) -> SurfaceScale
  {
    // No grid in 3N dimensions: Potential+Molecule.swift.
    if molecule != nil { return try molecularScale(including: start, gradientScale: gradientScale) }
    let region = self.region(including: start)
    let regionSource: RegionSource = plotRange == nil ? .listedPoints : .plotRange
    // The region first: sampling an unusable one would be wasted or not finite.
    try SurfaceScale.check(region, source: regionSource)
    if let given = gradientScale {
      return try SurfaceScale(
        region: region, gradient: given, gradientSource: .commandLine, regionSource: regionSource)
    }
    if let given = defaults.gradientScale {
      return try SurfaceScale(
        region: region, gradient: given, gradientSource: .file, regionSource: regionSource)
    }
    let samples = Self.gradientSamples(over: region)
    var norms = samples.map { surface.gradient(at: $0).norm }.filter(\.isFinite)
    guard !norms.isEmpty else { throw .noFiniteGradient(samples: samples.count) }
    norms.sort()
    return try SurfaceScale(
      region: region, gradient: norms[norms.count / 2], gradientSource: .derived,
      gradientEvaluations: samples.count, regionSource: regionSource)
  }

  /// The file's `plotRange`, else the box around the listed points and `start`.
  public func region(including start: Vector? = nil) -> Box {
    plotRange ?? fallbackRegion(including: start)
  }

  func fallbackRegion(including start: Vector?) -> Box {
    var points = stationaryPoints.map(\.coordinates)
    if let start { points.append(start) }
    guard let first = points.first else {
      return Box(
        lower: Vector(repeating: -1, count: dimension),
        upper: Vector(repeating: 1, count: dimension))
    }
    var lower = first
    var upper = first
    for point in points {
      for axis in 0..<dimension {
        lower[axis] = min(lower[axis], point[axis])
        upper[axis] = max(upper[axis], point[axis])
      }
    }
    for axis in 0..<dimension {
      let pad = upper[axis] > lower[axis] ? 0.5 * (upper[axis] - lower[axis]) : 1
      lower[axis] -= pad
      upper[axis] += pad
    }
    return Box(lower: lower, upper: upper)
  }

  /// The points G is the median over: at most `SurfaceScale.derivationBudget` in any
  /// dimension (see there).
  static func gradientSamples(over region: Box) -> [Vector] {
    let n = region.lower.count
    let budget = SurfaceScale.derivationBudget
    let perAxis = Int(pow(Double(budget), 1 / Double(n)))
    guard perAxis >= 2 else {
      var generator = SeededGenerator(seed: SurfaceScale.sampleSeed)
      return (0..<budget).map { _ in region.randomPoint(using: &generator) }
    }
    let total = Int(pow(Double(perAxis), Double(n)).rounded())
    return (0..<total).map { flat in
      var point = region.lower
      var rest = flat
      for axis in 0..<n {
        let tick = Double(rest % perAxis) / Double(perAxis - 1)
        rest /= perAxis
        point[axis] += tick * region.sides[axis]
      }
      return point
    }
  }
}
