import Foundation
import Testing

@testable import IRCKit

/// Each shared numerical kernel against an independent fact: a solved linear system, a
/// closed-form root, the published constants, an exact polynomial.
struct NumericalKernelTests {
  /// −H⁻¹g solves H p = −g for a Hessian of mixed signs; the distance is |p| and a zero
  /// eigenvalue makes it infinite even where the gradient has no component along it.
  @Test func newtonStepSolvesTheLinearSystem() {
    let hessian = Matrix([[2, 1, 0], [1, -3, 0.5], [0, 0.5, 4]])
    let gradient: Vector = [0.3, -1.2, 0.7]
    let system = hessian.eigensystem
    let step = system.newtonStep(for: gradient)
    let residual = hessian * step + gradient
    #expect(residual.norm <= 1e-13, "H p + g = \(residual)")
    #expect(isClose(system.newtonDistance(for: gradient), step.norm, relative: 1e-15))
    let singular = Matrix([[1, 0], [0, 0]]).eigensystem
    #expect(singular.newtonDistance(for: [1, 0]) == .infinity)
    // The modified step descends along every mode: gᵀp < 0 on the indefinite Hessian.
    let descent = system.descentNewtonStep(for: gradient, floor: 1e-12)
    #expect(descent.dot(gradient) < 0)
  }

  /// The RFO shift is the lowest root of λ = Σ Fᵢ²/(λ − bᵢ) (Banerjee et al. eq. 15), and
  /// the step hᵢ = −Fᵢ/(bᵢ − λ) is downhill even on a negative mode.
  @Test func rationalFunctionShiftSolvesItsSecularEquation() {
    let b = [-1.0, 2.0, 5.0]
    let f = [0.4, -0.3, 1.1]
    let lambda = RationalFunctionStep.minimisingShift(
      eigenvalues: b, gradientComponents: f, modes: [0, 1, 2])
    let secular = zip(b, f).reduce(0) { $0 + $1.1 * $1.1 / (lambda - $1.0) }
    #expect(lambda < b.min()!)
    #expect(isClose(lambda, secular, relative: 1e-12), "λ = \(lambda), Σ = \(secular)")
    let components = RationalFunctionStep.components(
      eigenvalues: b, gradientComponents: f, modes: [0, 1, 2])
    for i in 0..<3 { #expect(isClose(components[i], -f[i] / (b[i] - lambda), relative: 1e-14)) }
    #expect(zip(components, f).reduce(0) { $0 + $1.0 * $1.1 } < 0, "not downhill")
    // Modes left out get no step.
    let partial = RationalFunctionStep.components(
      eigenvalues: b, gradientComponents: f, modes: [1, 2])
    #expect(partial[0] == 0 && partial[1] != 0)
  }

  /// Nocedal and Wright, Algorithm 4.1, with each policy's thresholds and limits.
  @Test func trustRegionFollowsThePredictionRatio() {
    var minimisation = TrustRegion(radius: 1, policy: .minimisation)
    minimisation.update(ratio: 0.1, stepLength: 1)
    #expect(minimisation.radius == 0.5)
    for _ in 0..<5 { minimisation.update(ratio: 10, stepLength: minimisation.radius) }
    #expect(minimisation.radius == 4, "grows to 4× its start on good predictions")
    minimisation.update(ratio: 0.9, stepLength: 1)
    #expect(minimisation.radius == 4, "a step inside the boundary leaves it alone")
    minimisation.reject(stepLength: 2)
    #expect(minimisation.radius == 0.5)
    #expect(isClose(minimisation.limit([3, 4]).norm, 0.5, relative: 1e-15))
    var saddle = TrustRegion(radius: 1, policy: .saddleSearch)
    saddle.update(ratio: 10, stepLength: 1)
    #expect(saddle.radius == 0.5, "ρ > 4 is a poor model in a saddle search")
    saddle.update(ratio: 1, stepLength: 0.5)
    saddle.update(ratio: 1, stepLength: 1)
    #expect(saddle.radius == 1, "never past its start")
    #expect(!saddle.hasCollapsed(below: 1e-9))
    for _ in 0..<40 { saddle.reject(stepLength: 1) }
    #expect(saddle.hasCollapsed(below: 1e-9))
  }

  /// Hairer–Nørsett–Wanner eq. (4.13): 0.9·(tol/err)^(1/(q+1)) within [0.2, 5].
  @Test func stepSizeControllerUsesTheHairerRule() {
    let controller = StepSizeController(tolerance: 1e-6, order: 4)
    #expect(isClose(controller.factor(error: 1e-6 / 32), 0.9 * 2, relative: 1e-14))
    #expect(controller.factor(error: 0) == 5)
    #expect(controller.factor(error: 1e-30) == 5)
    #expect(controller.factor(error: 1) == 0.2)
    #expect(isClose(controller.factor(error: 8e-6, order: 2), 0.45, relative: 1e-14))
  }

  /// The interpolant reproduces any cubic exactly from its values and slopes at the ends.
  @Test func cubicHermiteIsExactOnCubics() {
    func curve(_ s: Double) -> Vector { [s * s * s - 2 * s, 0.5 * s * s + 1] }
    func slope(_ s: Double) -> Vector { [3 * s * s - 2, s] }
    let (a, h) = (0.3, 0.8)
    for u in stride(from: 0.0, through: 1.0, by: 0.125) {
      let point = CubicHermite.point(
        u, from: curve(a), tangent: slope(a), to: curve(a + h), tangent: slope(a + h), length: h)
      #expect(isClose(point, curve(a + u * h), absolute: 1e-14), "u = \(u)")
    }
    let linear = CubicHermite.point(
      0.25, from: [0, 0], tangent: nil, to: [4, 8], tangent: [1, 0], length: 1)
    #expect(linear == [1, 2])
  }

  /// 64 ulps of the energy, and progress as the minimiser and tracer judge it.
  @Test func roundingLevelJudgesProgressNearAMinimum() {
    let energy = -146.7
    #expect(RoundingLevel.of(energy) == 64 * energy.ulp)
    #expect(
      RoundingLevel.isProgress(from: energy, gradientNorm: 1, to: energy - 1, newGradientNorm: 2))
    #expect(
      RoundingLevel.isProgress(
        from: energy, gradientNorm: 1, to: energy + 10 * energy.ulp, newGradientNorm: 0.5))
    #expect(
      !RoundingLevel.isProgress(
        from: energy, gradientNorm: 1, to: energy + 100 * energy.ulp, newGradientNorm: 0.5))
    #expect(
      !RoundingLevel.isProgress(from: energy, gradientNorm: 1, to: energy, newGradientNorm: 1))
  }
}
