/// A trust radius that follows how well a quadratic model predicted the energy change.
///
/// References:
/// - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), Algorithm 4.1:
///   with ρ = actual / predicted change, ρ < ¼ shrinks the radius, ρ > ¾ with the step at
///   the boundary doubles it up to a maximum.
///
/// One update serves the minimiser and the saddle search; they differ only in what counts
/// as a good prediction and how far the radius may grow, which `Policy` names:
/// - `minimisation`: ρ > ¾ is good however large (a bigger decrease than predicted is
///   welcome), and the radius may grow to 4× its start (a minimiser far out in a basin
///   crosses it in fewer steps).
/// - `saddleSearch`: a step climbs one mode and descends the others, so the predicted
///   change can cancel to nearly nothing; ρ > 4 then means the model is wrong, not
///   lucky, and shrinks the radius like ρ < ¼. Good is ¾ < ρ < 1.33, and the radius
///   never grows past its start (letting it grow made more starts on Müller–Brown and
///   LEPS wander off).
struct TrustRegion: Sendable {
  struct Policy: Sendable {
    /// ρ below this, or above `largestPoorRatio`, halves the radius.
    var poorRatio = 0.25
    var largestPoorRatio = Double.infinity
    /// ρ inside this open interval, with the step at the boundary, doubles the radius.
    var goodRatios = (lower: 0.75, upper: Double.infinity)
    /// The radius never grows past this multiple of its start.
    var growthLimit: Double

    static let minimisation = Policy(growthLimit: 4)
    static let saddleSearch = Policy(
      largestPoorRatio: 4, goodRatios: (0.75, 1.33), growthLimit: 1)
  }

  /// "At the boundary": the step used at least this fraction of the radius (a step
  /// shortened by the radius is exactly at it; rounding may put it a hair inside).
  static let boundaryFraction = 0.9
  /// A rejected step (the energy rose, or the surface was not finite there) cuts the
  /// radius to a quarter of the shorter of it and the step: Nocedal and Wright's ¼‖p‖.
  static let rejectionFactor = 0.25
  /// A poor prediction halves the radius (gentler than a rejection: the step was kept).
  static let poorFactor = 0.5

  let initial: Double
  let policy: Policy
  private(set) var radius: Double

  init(radius: Double, policy: Policy) {
    initial = radius
    self.policy = policy
    self.radius = radius
  }

  /// Limits `step` to the radius.
  func limit(_ step: Vector) -> Vector {
    let length = step.norm
    return length > radius ? (radius / length) * step : step
  }

  /// The step was rejected; `stepLength` is its length.
  mutating func reject(stepLength: Double) {
    radius = Self.rejectionFactor * min(radius, stepLength)
  }

  /// The step of length `stepLength` was taken with ratio ρ.
  mutating func update(ratio: Double, stepLength: Double) {
    if ratio < policy.poorRatio || ratio > policy.largestPoorRatio {
      radius = Self.poorFactor * min(radius, stepLength)
    } else if ratio > policy.goodRatios.lower && ratio < policy.goodRatios.upper
      && stepLength >= Self.boundaryFraction * radius
    {
      radius = min(2 * radius, policy.growthLimit * initial)
    }
  }

  /// The radius has collapsed to `fraction` of its start: the model cannot be trusted
  /// at any useful distance.
  func hasCollapsed(below fraction: Double) -> Bool { radius < fraction * initial }
}
