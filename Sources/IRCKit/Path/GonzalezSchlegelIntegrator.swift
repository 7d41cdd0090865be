/// The Gonzalez–Schlegel second-order method (GS2): a constrained minimisation on a
/// hypersphere about a pivot point.
///
/// References:
/// - C. Gonzalez and H. B. Schlegel, J. Chem. Phys. 90, 2154 (1989), §II and Fig. 1: from
///   qₖ go h/2 along −ĝₖ to the pivot q* = qₖ − (h/2)ĝₖ, then minimise V on the sphere
///   |q − q*| = h/2; at the minimum the gradient is parallel to q − q*, so q* lies on the
///   tangent at both ends and the arc through them is second-order accurate.
/// - C. Gonzalez and H. B. Schlegel, J. Phys. Chem. 94, 5523 (1990): the same in
///   mass-weighted internal coordinates.
///
/// The constrained minimum is found by Newton iterations on the Lagrangian
/// L = V + (μ/2)(|p|² − R²), p = q − q*, in the sphere's tangent space, each followed by a
/// return to the sphere; μ = −g·p/R². The Hessian is exact or Bofill-updated from the
/// iterations' own gradients. Each iteration costs one gradient.
public struct GonzalezSchlegelIntegrator: PathIntegrator {
  var hessians: HessianTracker
  /// The constrained minimum is converged when the tangential gradient is below this
  /// fraction of |g|: tight enough that the iteration never limits the order.
  let tangentTolerance: Double = 1e-10
  let maxIterations = 25

  public init(saddle: StationaryPoint, hessian: HessianSource) {
    hessians = HessianTracker(source: hessian, saddle: saddle)
  }

  public var name: String { "gs2" }

  public mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep {
    let radius = 0.5 * length
    let pivot = point.coordinates.adding(-radius / point.gradientNorm, times: point.gradient)
    hessians.observe(point.coordinates, gradient: point.gradient)
    // First guess: the Euler continuation through the pivot.
    var p = point.gradient * (-radius / point.gradientNorm)
    var best: (q: Vector, energy: Double, gradient: Vector)?
    for _ in 0..<maxIterations {
      let q = pivot + p
      let (energy, gradient) = try evaluator.energyAndGradient(at: q)
      hessians.observe(q, gradient: gradient)
      best = (q, energy, gradient)
      let unit = p / radius
      let tangential = gradient.adding(-gradient.dot(unit), times: unit)
      if tangential.norm <= tangentTolerance * gradient.norm { break }
      let hessian = try hessians.hessian(at: q, gradient: gradient, on: &evaluator)
      let mu = -gradient.dot(p) / (radius * radius)
      // Newton in the tangent space: (P(H + μ)P + p̂p̂ᵀ) δ = −P g has δ ⊥ p̂. Eigenvalues
      // are taken in absolute value so a step never climbs along the sphere.
      let projector = Matrix.identity(p.count) - Matrix.outer(unit, unit)
      let shifted = hessian + mu * Matrix.identity(p.count)
      let system = (projector * shifted * projector + Matrix.outer(unit, unit)).eigensystem
      let floor = 1e-12 * max(abs(system.highest), abs(system.lowest), 1e-300)
      var delta = system.apply({ -1 / max(abs($0), floor) }, to: tangential)
      // Never turn more than a quarter of the radius at once.
      if delta.norm > 0.5 * radius { delta = (0.5 * radius / delta.norm) * delta }
      let moved = p + delta
      p = (radius / moved.norm) * moved
    }
    let result = best!
    return PathStep(
      coordinates: result.q, energy: result.energy, gradient: result.gradient, arcLength: length)
  }
}
