import Foundation

/// Where a setting's value came from, printed beside it so no threshold is a mystery.
public enum SettingSource: String, Sendable, Equatable {
  case commandLine = "command line"
  case file = "potential file"
  case derived = "derived"
}

/// The yardsticks of a surface: the region worth looking at and a typical |∇V| there.
/// Thresholds in hartree or eV mean nothing on a dimensionless surface, so every default
/// tolerance is a multiple of these.
public struct SurfaceScale: Sendable, Equatable {
  /// The file's `plotRange`; else the box around its listed stationary points (and the
  /// start), widened by half its extent on each side, or by one length unit along an axis
  /// where every point agrees.
  public var region: Potential.Box
  /// The file's `defaults.gradientScale`; else the median |∇V| over a grid of about 400
  /// points spanning `region`. The median, because gradients explode at the edges of
  /// surfaces like Müller–Brown and a mean would follow them.
  public var gradient: Double
  public var gradientSource: SettingSource

  /// The diagonal of the region: a length the whole surface spans.
  public var regionDiagonal: Double { region.sides.norm }

  /// A point coincides with a listed one within 10⁻⁵ of the region's diagonal: the
  /// precision of coordinates written to six digits, and far below the distance between
  /// two stationary points of any surface worth tracing. Independent of any step length,
  /// so that an end still far from a minimum never claims it.
  public var matchTolerance: Double { 1e-5 * regionDiagonal }
}

extension Potential {
  /// The surface's yardsticks; `start` widens the fallback region to include it.
  public func scale(including start: Vector? = nil) -> SurfaceScale {
    // No grid in 3N dimensions: Potential+Molecule.swift.
    if molecule != nil { return molecularScale(including: start) }
    let region = plotRange ?? fallbackRegion(including: start)
    if let given = defaults.gradientScale {
      return SurfaceScale(region: region, gradient: given, gradientSource: .file)
    }
    return SurfaceScale(
      region: region, gradient: Self.medianGradient(of: surface, over: region),
      gradientSource: .derived)
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

  static func medianGradient(of surface: any Surface, over region: Box) -> Double {
    let n = region.lower.count
    let perAxis = max(2, Int(pow(400, 1 / Double(n))))
    let total = Int(pow(Double(perAxis), Double(n)))
    var norms: [Double] = []
    norms.reserveCapacity(total)
    for flat in 0..<total {
      var point = region.lower
      var rest = flat
      for axis in 0..<n {
        let tick = Double(rest % perAxis) / Double(perAxis - 1)
        rest /= perAxis
        point[axis] += tick * region.sides[axis]
      }
      let norm = surface.gradient(at: point).norm
      if norm.isFinite { norms.append(norm) }
    }
    guard !norms.isEmpty else { return 1 }
    norms.sort()
    let median = norms[norms.count / 2]
    return median > 0 ? median : 1
  }
}
