/// The first point of each branch: the IRC's second-order Taylor expansion at the saddle.
///
/// References:
/// - M. Page, C. Doubleday and J. W. McIver, J. Chem. Phys. 93, 5634 (1990): the Taylor
///   expansion of the reaction path at a saddle, q(s) = q‡ + s·v + ½s²·c + O(s³).
///
/// Derivation (unit masses). With Δ = q − q‡ the gradient is g = HΔ + ½T[Δ,Δ] + O(Δ³),
/// T the third-derivative tensor. Putting Δ(s) = s·v + ½s²·c (v·c = 0, so s is arc
/// length to second order) into dq/ds = −g/|g| and matching the O(s) terms gives, on the
/// eigenvectors uᵢ (eigenvalues λᵢ) orthogonal to v (eigenvalue λ₁ < 0),
///     cᵢ = −(uᵢ·T[v,v]) / (λᵢ − 2λ₁).
/// The same c serves both branches: the path is one smooth curve through the saddle, so
/// the backward branch is q‡ − s·v + ½s²·c.
///
/// A straight displacement s·v is O(s²) off the path, which caps every integrator at
/// first order in the step; this start is O(s³) off it. T[v,v] = d²g(q‡ + εv)/dε² comes
/// from central differences of two gradients, shared by both branches.
///
/// Error estimate (`errorEstimate`). Write the path as q(s) = q‡ + s·v + ½s²·c + ⅙s³·d;
/// the departure point is p = q(s) − ⅙s³·d. Near the saddle |g(q(s))| ≈ |λ₁|s, so the
/// descent direction at p differs from the path's tangent at q(s) by H(p − q)/|g|, and
/// from the expansion's own tangent v + s·c by, on each uᵢ ⊥ v,
///     mᵢ = ½s²dᵢ + λᵢ·s²dᵢ/(6|λ₁|) = s²dᵢ·(3|λ₁| + λᵢ)/(6|λ₁|).
/// With λᵢ > 0 at a first-order saddle the factor never vanishes, so the distance of p
/// from the path, ⅙s³|dᵢ| per component, is s·|λ₁|·mᵢ/(3|λ₁| + λᵢ): read off from the
/// gradient at p, which the branch needs anyway. Its own error is O(s⁴).
public struct SaddleDeparture: Sendable {
  public var saddle: StationaryPoint
  /// The unit transition vector (sign rule of `IRCTracer.transitionVector`).
  public var transitionVector: Vector
  /// The path's curvature vector c at the saddle.
  public var curvature: Vector
  /// The gradients spent on T[v,v].
  public var counts: EvaluationCounts
  /// The two evaluations at q‡ ± εv behind T[v,v], which a learning integrator may use.
  public var samples: [(coordinates: Vector, energy: Double, gradient: Vector)]

  /// `differenceStep` is ε for T[v,v]; its truncation error is O(ε²) relative and its
  /// rounding error O(u·|λ|/ε): 10⁻³ of the step length balances them on every built-in.
  public init(
    saddle: StationaryPoint, transitionVector: Vector, differenceStep: Double,
    on evaluator: inout Evaluator
  ) throws(EvaluationError) {
    self.saddle = saddle
    self.transitionVector = transitionVector
    let before = evaluator.counts
    let plusPoint = saddle.coordinates.adding(differenceStep, times: transitionVector)
    let minusPoint = saddle.coordinates.adding(-differenceStep, times: transitionVector)
    // Independent: on a surface that computes elsewhere both run at once.
    let evaluated = try evaluator.energiesAndGradients(at: [plusPoint, minusPoint])
    let (plusSample, minusSample) = (evaluated[0], evaluated[1])
    let plus = plusSample.gradient
    let minus = minusSample.gradient
    samples = [
      (plusPoint, plusSample.energy, plus), (minusPoint, minusSample.energy, minus),
    ]
    let tvv = (plus + minus - 2 * saddle.gradient) / (differenceStep * differenceStep)
    let system = saddle.eigensystem
    let lambda1 = system.lowest
    var curvature = Vector.zero(saddle.coordinates.count)
    for index in 1..<system.dimension {
      let u = system.vectors[index]
      curvature = curvature.adding(-u.dot(tvv) / (system.values[index] - 2 * lambda1), times: u)
    }
    self.curvature = curvature
    counts = evaluator.counts - before
  }

  /// A straight departure (no curvature), as plain Euler codes take it.
  public init(saddle: StationaryPoint, transitionVector: Vector) {
    self.saddle = saddle
    self.transitionVector = transitionVector
    curvature = .zero(saddle.coordinates.count)
    counts = EvaluationCounts()
    samples = []
  }

  /// The departure's error is O(s³): order 2 for the step controller's cube-root rule.
  static let errorOrder = 2

  /// The distance of `point(at: s, direction)` from the path, estimated from the gradient
  /// there (see the type's documentation): O(s³), to leading order.
  public func errorEstimate(at s: Double, _ direction: PathDirection, gradient: Vector)
    -> Double
  {
    let gradientNorm = gradient.norm
    guard gradientNorm > 0 else { return .infinity }
    let tangent = (direction.sign * transitionVector).adding(s, times: curvature).normalized
    let mismatch = (-1 / gradientNorm) * gradient - tangent
    let system = saddle.eigensystem
    let negative = abs(system.lowest)
    var squared = 0.0
    for index in 1..<system.dimension {
      let component =
        system.vectors[index].dot(mismatch) * negative
        / (3 * negative + max(system.values[index], 0))
      squared += component * component
    }
    return s * squared.squareRoot()
  }

  /// The point at arc length `s` along `direction` (forward or backward).
  public func point(at s: Double, _ direction: PathDirection) -> Vector {
    saddle.coordinates.adding(direction.sign * s, times: transitionVector)
      .adding(0.5 * s * s, times: curvature)
  }
}
