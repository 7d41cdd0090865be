import Foundation

/// A reaction path traced far more accurately than the one it judges, with a continuous
/// interpolant, so that any computed path's deviation can be measured.
///
/// References:
/// - E. Hairer, S. P. Nørsett and G. Wanner, *Solving Ordinary Differential Equations I*,
///   2nd ed. (1993), §II.6: cubic Hermite interpolation between steps (`CubicHermite`);
///   with the exact tangents −ĝ at both ends its error is O(h⁴)·|q⁗|/384. The cap on h is in units of
///   ℓ = G/|λ₁|, which on some surfaces is as long as the whole path (Neria–Fischer–
///   Karplus: 8.1 against 3.4); at ℓ/300 the interpolation there read 1e-8 runs as 2e-8.
///
/// The reference is the tool's own `adaptive` integrator at a path tolerance of 10⁻¹¹
/// with steps capped at 1/1000 of the saddle's length scale G/|λ₁|; tests check it against
/// the analytic arc lengths of `shared/reference/surfaces.md`.
public struct ReferencePath: Sendable {
  /// One sampled point: arc length, position and unit tangent (nil at Newton-polish
  /// points, where the gradient no longer defines one).
  struct Sample: Sendable {
    var arcLength: Double
    var coordinates: Vector
    var tangent: Vector?
  }

  public let path: ReactionPath
  let samples: [PathDirection: [Sample]]

  /// Traces the reference from `saddle`; `gradientTolerance` should be well below that of
  /// the paths it will judge, so that it reaches further down every branch.
  /// `pathTolerance` and `stepsPerLength` (steps per length scale, which bounds the
  /// interpolation error at about (ℓ/n)⁴/384 times the path's fourth derivative) trade its
  /// accuracy against its cost.
  public init(
    saddle: StationaryPoint, on surface: any Surface, lengthScale: Double,
    gradientTolerance: Double, pathTolerance: Double = 1e-11, stepsPerLength: Double = 1000,
    branchHessian: HessianSource = .exact
  ) throws {
    let step = lengthScale / stepsPerLength
    var options = try TraceOptions(
      stepLength: step, gradientTolerance: gradientTolerance, maxSteps: 1_000_000,
      initialDisplacement: min(step, pow(pathTolerance, 1.0 / 3) * lengthScale),
      pathTolerance: pathTolerance, controlOrder: 4, maximumStepLength: step)
    options.branchHessian = branchHessian
    let tracer = IRCTracer(options: options) { _ in RungeKuttaIntegrator(.dormandPrince) }
    path = try tracer.trace(from: saddle, on: surface)
    var samples: [PathDirection: [Sample]] = [:]
    for branch in path.branches {
      samples[branch.direction] = branch.points.enumerated().map { index, point in
        let usable = index > 0 && point.kind != .newton && point.gradientNorm > 0
        return Sample(
          arcLength: point.arcLength, coordinates: point.coordinates,
          tangent: usable ? point.gradient / -point.gradientNorm : nil)
      }
    }
    // At the saddle the tangent is the transition vector, signed by branch.
    samples[.forward]![0].tangent = path.transitionVector
    samples[.backward]![0].tangent = -path.transitionVector
    self.samples = samples
  }

  /// The interpolated point of segment `index` at fraction u ∈ [0, 1].
  func interpolate(_ branch: [Sample], _ index: Int, _ u: Double) -> Vector {
    let a = branch[index]
    let b = branch[index + 1]
    return CubicHermite.point(
      u, from: a.coordinates, tangent: a.tangent, to: b.coordinates, tangent: b.tangent,
      length: b.arcLength - a.arcLength)
  }

  /// The reference point at arc length `s` along a branch (clamped to its ends).
  public func point(atArcLength s: Double, _ direction: PathDirection) -> Vector {
    let branch = samples[direction]!
    guard s > 0 else { return branch[0].coordinates }
    guard s < branch[branch.count - 1].arcLength else {
      return branch[branch.count - 1].coordinates
    }
    var low = 0
    var high = branch.count - 1
    while high - low > 1 {
      let middle = (low + high) / 2
      if branch[middle].arcLength <= s { low = middle } else { high = middle }
    }
    let u = (s - branch[low].arcLength) / (branch[high].arcLength - branch[low].arcLength)
    return interpolate(branch, low, u)
  }

  /// The distance from `point` to the reference curve of a branch.
  public func distance(from point: Vector, _ direction: PathDirection) -> Double {
    let branch = samples[direction]!
    let (nearest, nearestDistance) = Self.nearestSample(to: point, in: branch)
    // The segments on either side of the nearest sample.
    var best = nearestDistance
    for segment in [nearest - 1, nearest] where segment >= 0 && segment + 1 < branch.count {
      best = min(best, distanceToSegment(point, branch, segment))
    }
    return best
  }

  /// The sample nearest to `point`, exactly, without measuring most of them: a chord is
  /// never longer than its arc, so |p − xⱼ| ≥ |p − xᵢ| − |sⱼ − sᵢ|, and past a sample at
  /// distance d no sample within d − d* of arc length can beat the best distance d*. A
  /// pass over every 32nd sample gives the first d*; the search then walks outward from
  /// it in both directions, jumping by arc length. (A linear scan made `irc bench` spend
  /// most of its time here once references sampled every ℓ/1000.)
  static func nearestSample(to point: Vector, in branch: [Sample]) -> (Int, Double) {
    var nearest = 0
    var best = Double.infinity
    for index in stride(from: 0, to: branch.count, by: 32) {
      let d = branch[index].coordinates.distance(to: point)
      if d < best {
        best = d
        nearest = index
      }
    }
    // Recorded arc lengths are the integrator's, good to its tolerance: keep a margin.
    let margin = 1e-9 * (branch[branch.count - 1].arcLength + 1)
    let start = nearest
    for step in [1, -1] {
      var index = start + step
      while index >= 0 && index < branch.count {
        let d = branch[index].coordinates.distance(to: point)
        if d < best {
          best = d
          nearest = index
          index += step
          continue
        }
        let skip = d - best - margin
        guard skip > 0 else {
          index += step
          continue
        }
        let target = branch[index].arcLength + Double(step) * skip
        index = firstIndex(in: branch, from: index, step: step, beyond: target)
      }
    }
    return (nearest, best)
  }

  /// Walking from `index` in direction `step`, the first sample whose arc length is not
  /// short of `target` (forward: ≥ target; backward: ≤ target), by bisection.
  private static func firstIndex(
    in branch: [Sample], from index: Int, step: Int, beyond target: Double
  )
    -> Int
  {
    if step > 0 {
      var low = index
      var high = branch.count
      while high - low > 1 {
        let middle = (low + high) / 2
        if branch[middle].arcLength < target { low = middle } else { high = middle }
      }
      return max(high, index + 1)
    } else {
      var low = -1
      var high = index
      while high - low > 1 {
        let middle = (low + high) / 2
        if branch[middle].arcLength > target { high = middle } else { low = middle }
      }
      return min(low, index - 1)
    }
  }

  /// Minimises |H(u) − p| over u ∈ [0, 1] by golden-section search; the distance is
  /// unimodal on a segment this short.
  private func distanceToSegment(_ point: Vector, _ branch: [Sample], _ index: Int) -> Double {
    var low = 0.0
    var high = 1.0
    let ratio = (5.0.squareRoot() - 1) / 2
    var x1 = high - ratio * (high - low)
    var x2 = low + ratio * (high - low)
    var f1 = interpolate(branch, index, x1).distance(to: point)
    var f2 = interpolate(branch, index, x2).distance(to: point)
    for _ in 0..<80 {
      if f1 < f2 {
        high = x2
        x2 = x1
        f2 = f1
        x1 = high - ratio * (high - low)
        f1 = interpolate(branch, index, x1).distance(to: point)
      } else {
        low = x1
        x1 = x2
        f1 = f2
        x2 = low + ratio * (high - low)
        f2 = interpolate(branch, index, x2).distance(to: point)
      }
    }
    return min(
      f1, f2, branch[index].coordinates.distance(to: point),
      branch[index + 1].coordinates.distance(to: point))
  }

  /// The end of a branch of the reference.
  public func end(_ direction: PathDirection) -> Vector {
    samples[direction]!.last!.coordinates
  }

  /// The largest distance from the reference curve of any point of a branch after the
  /// saddle, or of those points that `include` accepts.
  public func maxDeviation(
    of branch: Branch, including include: (PathPoint) -> Bool = { _ in true }
  ) -> Double {
    branch.points.dropFirst().filter(include).reduce(0) {
      max($0, distance(from: $1.coordinates, branch.direction))
    }
  }
}
