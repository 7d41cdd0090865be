/// The local quadratic approximation (LQA): each step follows the exact steepest-descent
/// path of the second-order Taylor model at the current point for an arc length h.
///
/// References:
/// - M. Page and J. W. McIver, J. Chem. Phys. 88, 922 (1988), eqs. (9)–(16): the model
///   path Δ(t) = Σᵢ −gᵢ(1 − e^(−λᵢt))/λᵢ uᵢ and its arc length s(t) = ∫₀ᵗ|g + HΔ| dτ,
///   solved for the t at which s = h.
///
/// Exact on a quadratic surface; on others the local error is O(h³) (second order). One
/// gradient per step, plus one Hessian evaluation (`exact`) or a Bofill update (`updated`).
/// Stable however stiff the valley, since stiff modes relax exactly.
public struct LocalQuadraticIntegrator: PathIntegrator {
  var hessians: HessianTracker

  public init(saddle: StationaryPoint, hessian: HessianSource) {
    hessians = HessianTracker(source: hessian, saddle: saddle)
  }

  public var name: String { "lqa" }

  public mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep {
    let hessian = try hessians.hessian(
      at: point.coordinates, gradient: point.gradient, on: &evaluator)
    let flow = QuadraticFlow(gradient: point.gradient, eigensystem: hessian.eigensystem)
    let (displacement, arcLength) = flow.step(arcLength: length)
    let next = point.coordinates + displacement
    let (energy, gradient) = try evaluator.energyAndGradient(at: next)
    return PathStep(coordinates: next, energy: energy, gradient: gradient, arcLength: arcLength)
  }
}
