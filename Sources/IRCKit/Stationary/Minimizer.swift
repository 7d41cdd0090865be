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
  public static func scaled(to scale: SurfaceScale, relativeTolerance: Double = 1e-10)
    throws(OptionError) -> Minimizer
  {
    try Minimizer(
      gradientTolerance: relativeTolerance * scale.gradient, trustRadius: scale.searchStepLimit)
  }

  /// A verified minimum (index 0) and its cost, or a typed error.
  public func minimize(
    from start: Vector, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> SaddleSearchResult {
    let before = evaluator.counts
    var current = try StationaryPoint.searchStart(start, on: &evaluator)
    var trust = TrustRegion(radius: trustRadius, policy: .minimisation)
    var iteration = 0
    while true {
      if current.gradientNorm <= gradientTolerance {
        try current.verify(as: .minimum, within: Self.verificationLocality * trustRadius)
        return SaddleSearchResult(
          saddle: current, iterations: iteration, counts: evaluator.counts - before)
      }
      guard iteration < maxIterations, !trust.hasCollapsed(below: Self.collapsedTrust) else {
        throw .notConverged(
          iterations: iteration, gradientNorm: current.gradientNorm, at: current.coordinates,
          sought: .minimum)
      }
      iteration += 1
      let step = trust.limit(
        RationalFunctionStep.step(gradient: current.gradient, eigensystem: current.eigensystem))
      let predicted = current.gradient.dot(step) + 0.5 * step.dot(current.hessian * step)
      let trial = current.coordinates + step
      let energy: Double
      let gradient: Vector
      do {
        (energy, gradient) = try evaluator.energyAndGradient(at: trial)
      } catch .engine(let failure) {
        // A failed program call is no information about the surface: the search stops.
        throw .evaluation(.engine(failure))
      } catch {
        // Non-finite values: the step left the surface's domain; shorten it.
        trust.reject(stepLength: step.norm)
        continue
      }
      // Near the minimum the energy stops resolving the decrease; a lower |∇V| counts.
      guard
        RoundingLevel.isProgress(
          from: current.energy, gradientNorm: current.gradientNorm, to: energy,
          newGradientNorm: gradient.norm)
      else {
        trust.reject(stepLength: step.norm)
        continue
      }
      let actual = energy - current.energy
      trust.update(ratio: predicted < 0 ? actual / predicted : 1, stepLength: step.norm)
      do {
        current = StationaryPoint(
          coordinates: trial, energy: energy, gradient: gradient,
          hessian: try evaluator.hessian(at: trial))
      } catch {
        throw .evaluation(error)
      }
    }
  }

  /// A converged point is verified to be a minimum within this fraction of the trust
  /// radius: the Newton step from |∇V| ≤ tolerance is far shorter on any real minimum,
  /// and a plateau's (where |∇V| vanishes without a minimum) far longer.
  static let verificationLocality = 1e-3
  /// A trust radius cut to this fraction of its start means the model fails at every
  /// useful distance (twelve digits of the region: below what the energies resolve).
  static let collapsedTrust = 1e-12
}
