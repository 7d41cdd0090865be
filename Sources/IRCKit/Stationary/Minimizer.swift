/// Converges a start onto a minimum: rational-function (shifted Newton) steps on the exact
/// Hessian inside a trust region.
///
/// References:
/// - A. Banerjee, N. Adams, J. Simons and R. Shepard, J. Phys. Chem. 89, 52 (1985): the RFO
///   step hᵢ = −Fᵢ/(bᵢ − λ), λ the lowest eigenvalue of [[diag(bᵢ), F], [Fᵀ, 0]], downhill
///   whatever the Hessian's signs; it tends to the Newton step as |F| → 0.
/// - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), Algorithm 4.1:
///   the trust radius follows the ratio of actual to predicted decrease, and a step that
///   raises the energy is rejected.
public struct Minimizer: Sendable {
  public var gradientTolerance: Double
  public var trustRadius: Double
  public var maxIterations: Int

  public init(gradientTolerance: Double, trustRadius: Double, maxIterations: Int = 200)
    throws(OptionError)
  {
    guard gradientTolerance > 0, gradientTolerance.isFinite else {
      throw OptionError(option: "gradientTolerance", value: gradientTolerance, expected: "> 0")
    }
    guard trustRadius > 0, trustRadius.isFinite else {
      throw OptionError(option: "trustRadius", value: trustRadius, expected: "> 0")
    }
    guard maxIterations >= 1 else {
      throw OptionError(option: "maxIterations", value: Double(maxIterations), expected: ">= 1")
    }
    self.gradientTolerance = gradientTolerance
    self.trustRadius = trustRadius
    self.maxIterations = maxIterations
  }

  /// Scaled to a surface like the saddle searches: |∇V| ≤ `relativeTolerance`·G, steps at
  /// most 5 % of the region's shortest side.
  public static func scaled(to scale: SurfaceScale, relativeTolerance: Double = 1e-10) -> Minimizer
  {
    let shortest = scale.region.sides.components.min() ?? 1
    // Both values are positive by construction.
    return try! Minimizer(
      gradientTolerance: relativeTolerance * scale.gradient, trustRadius: 0.05 * shortest)
  }

  /// A verified minimum (index 0) and its cost, or a typed error.
  public func minimize(
    from start: Vector, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> SaddleSearchResult {
    let before = evaluator.counts
    var current = try StationaryPoint.searchStart(start, on: &evaluator)
    var trust = trustRadius
    var iteration = 0
    while true {
      if current.gradientNorm <= gradientTolerance {
        try current.verify(as: .minimum, within: 1e-3 * trustRadius)
        return SaddleSearchResult(
          saddle: current, iterations: iteration, counts: evaluator.counts - before)
      }
      guard iteration < maxIterations, trust >= 1e-12 * trustRadius else {
        throw .notConverged(
          iterations: iteration, gradientNorm: current.gradientNorm, at: current.coordinates,
          sought: .minimum)
      }
      iteration += 1
      var step = Self.rationalFunctionStep(
        gradient: current.gradient, eigensystem: current.eigensystem)
      if step.norm > trust { step = (trust / step.norm) * step }
      let predicted = current.gradient.dot(step) + 0.5 * step.dot(current.hessian * step)
      let trial = current.coordinates + step
      guard let (energy, gradient) = try? evaluator.energyAndGradient(at: trial) else {
        trust = 0.25 * min(trust, step.norm)
        continue
      }
      let actual = energy - current.energy
      // Near the minimum the energy stops resolving the decrease; a lower |∇V| counts.
      let rounding = 64 * current.energy.ulp
      guard actual < 0 || (actual <= rounding && gradient.norm < current.gradientNorm) else {
        trust = 0.25 * min(trust, step.norm)
        continue
      }
      let ratio = predicted < 0 ? actual / predicted : 1
      if ratio < 0.25 {
        trust = 0.5 * min(trust, step.norm)
      } else if ratio > 0.75 && step.norm >= 0.9 * trust {
        trust = min(2 * trust, 4 * trustRadius)
      }
      do {
        current = StationaryPoint(
          coordinates: trial, energy: energy, gradient: gradient,
          hessian: try evaluator.hessian(at: trial))
      } catch {
        throw .evaluation(error)
      }
    }
  }

  /// The RFO step: every mode minimised with the shift λ of the augmented Hessian.
  static func rationalFunctionStep(gradient: Vector, eigensystem: SymmetricEigensystem) -> Vector {
    let b = eigensystem.values
    let f = eigensystem.coordinates(of: gradient)
    let n = b.count
    var augmented = Matrix.zero(n + 1, n + 1)
    for i in 0..<n {
      augmented[i, i] = b[i]
      augmented[i, n] = f[i]
      augmented[n, i] = f[i]
    }
    let lambda = min(augmented.eigensystem.lowest, 0)
    var step = Vector.zero(n)
    for i in 0..<n {
      let denominator = b[i] - lambda
      if denominator > 0 { step = step.adding(-f[i] / denominator, times: eigensystem.vectors[i]) }
    }
    return step
  }
}
