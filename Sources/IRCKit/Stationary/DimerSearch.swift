import Foundation

/// The dimer method: a saddle search that needs gradients only.
///
/// References:
/// - G. Henkelman and H. Jónsson, J. Chem. Phys. 111, 7010 (1999): the dimer (two images
///   a distance Δ apart along a unit vector N about a centre x), its curvature
///   C = (g₁ − g₀)·N/Δ along N, rotation into the lowest-curvature mode, and translation
///   under the modified force F† = −g₀ + 2(g₀·N)N (C < 0) or −(g₀·N)N (C > 0).
/// - J. Kästner and P. Sherwood, J. Chem. Phys. 128, 014106 (2008): forward differences
///   from the centre gradient g₀ and one image (g₂ never evaluated), the rotation angle
///   from a trial rotation and a curvature estimate (eqs. (5)–(11): C(θ) fitted as
///   a₀/2 + a₁cos2θ + b₁sin2θ, and g₁ at the new angle interpolated rather than evaluated),
///   and L-BFGS translation.
/// - A. Heyden, A. T. Bell and F. J. Keil, J. Chem. Phys. 123, 224101 (2005), eqs. (2)–(5):
///   the same rotation-angle formulae.
///
/// A cycle costs one gradient at the new centre, one at the image, and one for the trial
/// rotation when the rotational force is worth turning for. The result is verified by one
/// Hessian evaluation, as every reported saddle is.
public struct DimerSearch: SaddleSearch {
  /// Converged when |∇V| at the centre is at most this.
  public var gradientTolerance: Double
  /// The longest translation.
  public var maximumStep: Double
  /// Δ, the centre-to-image distance: small enough for the curvature to be local, large
  /// enough that g₁ − g₀ stands well above rounding.
  public var separation: Double
  /// Rotations stop when the angle to turn is below this (radians): below about 0.01 the
  /// fit of C(θ) from a trial rotation rests on a difference of nearly equal curvatures.
  public var angleTolerance: Double
  /// Translations before giving up.
  public var maxIterations: Int

  public init(
    gradientTolerance: Double, maximumStep: Double, separation: Double,
    angleTolerance: Double = 1e-2, maxIterations: Int = 200
  ) throws(OptionError) {
    for (name, value) in [
      ("gradientTolerance", gradientTolerance), ("maximumStep", maximumStep),
      ("separation", separation), ("angleTolerance", angleTolerance),
    ] {
      guard value > 0, value.isFinite else {
        throw OptionError(option: name, value: value, expected: "a positive number")
      }
    }
    guard maxIterations >= 1 else {
      throw OptionError(option: "maxIterations", value: Double(maxIterations), expected: ">= 1")
    }
    self.gradientTolerance = gradientTolerance
    self.maximumStep = maximumStep
    self.separation = separation
    self.angleTolerance = angleTolerance
    self.maxIterations = maxIterations
  }

  public var name: String { "dimer" }

  public func search(
    from start: Vector, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> SaddleSearchResult {
    try StationaryPoint.checkDimension(of: start, on: evaluator)
    let before = evaluator.counts
    do {
      return try run(from: start, on: &evaluator, before: before)
    } catch let error as SaddleSearchError {
      throw error
    } catch let error as EvaluationError {
      throw .evaluation(error)
    } catch {
      // Unreachable: `run` throws only the two above; its untyped `throws` needs this arm.
      throw .notConverged(iterations: 0, gradientNorm: .infinity, at: start)
    }
  }

  private func run(
    from start: Vector, on evaluator: inout Evaluator, before: EvaluationCounts
  ) throws -> SaddleSearchResult {
    let delta = separation
    var x = start
    var g0 = try evaluator.energyAndGradient(at: x).gradient
    // The first orientation: along the gradient (near a saddle it leans towards the modes
    // the start is displaced along), or the first axis where the gradient vanishes.
    var n = g0.norm > 0 ? g0.normalized : Vector.unit(0, dimension: x.count)
    var memory = LBFGSMemory(capacity: 5)
    var previousForce: Vector?
    var previousX: Vector?
    var iteration = 0
    while true {
      if g0.norm <= gradientTolerance {
        let point = try StationaryPoint(at: x, on: &evaluator)
        try point.verify(as: .saddle, within: 1e-3 * maximumStep)
        return SaddleSearchResult(
          saddle: point, iterations: iteration, counts: evaluator.counts - before)
      }
      guard iteration < maxIterations else {
        throw SaddleSearchError.notConverged(iterations: iteration, gradientNorm: g0.norm, at: x)
      }
      iteration += 1

      // Rotation into the lowest-curvature mode.
      var g1 = try evaluator.energyAndGradient(at: x.adding(delta, times: n)).gradient
      var curvature = (g1 - g0).dot(n) / delta
      for _ in 0..<2 {
        let difference = g1 - g0
        let perpendicular = difference.adding(-difference.dot(n), times: n)
        let rotationalForce = perpendicular.norm / delta
        guard rotationalForce > 0 else { break }
        let theta = -1 * perpendicular / (perpendicular.norm)  // the direction C decreases
        let slope = -2 * rotationalForce  // dC/dθ at θ = 0
        let trialAngle = 0.5 * atan(abs(slope) / (2 * abs(curvature)))
        guard trialAngle > angleTolerance else { break }
        let trialN = cos(trialAngle) * n + sin(trialAngle) * theta
        let trialG1 = try evaluator.energyAndGradient(at: x.adding(delta, times: trialN)).gradient
        let trialCurvature = (trialG1 - g0).dot(trialN) / delta
        // C(θ) = a₀/2 + a₁cos2θ + b₁sin2θ through C(0), C′(0) and C(θ_trial).
        let b1 = 0.5 * slope
        let a1 =
          (curvature - trialCurvature + b1 * sin(2 * trialAngle)) / (1 - cos(2 * trialAngle))
        let a0 = 2 * (curvature - a1)
        // The minimum of a₁cos2θ + b₁sin2θ, on the right branch directly.
        let best = 0.5 * atan2(-b1, -a1)
        func c(_ angle: Double) -> Double { 0.5 * a0 + a1 * cos(2 * angle) + b1 * sin(2 * angle) }
        let newN = (cos(best) * n + sin(best) * theta).normalized
        // g₁ at the new angle, interpolated (Kästner and Sherwood, eq. (11)).
        g1 =
          (sin(trialAngle - best) / sin(trialAngle)) * g1 + (sin(best) / sin(trialAngle)) * trialG1
          + (1 - cos(best) - sin(best) * tan(0.5 * trialAngle)) * g0
        n = newN
        curvature = c(best)
        if abs(best) <= angleTolerance { break }
      }

      // Translation under the modified force, by L-BFGS on −F†.
      let along = g0.dot(n)
      let force = curvature < 0 ? (-1 * g0).adding(2 * along, times: n) : along * n
      if let previousForce, let previousX {
        memory.remember(step: x - previousX, gradientChange: previousForce - force)
      }
      var step = memory.apply(to: force, fallback: 1 / max(abs(curvature), 1e-12))
      if step.dot(force) <= 0 {
        // Not an ascent direction for the modified force: forget and start afresh.
        memory.reset()
        step = (1 / max(abs(curvature), 1e-12)) * force
      }
      if step.norm > maximumStep { step = (maximumStep / step.norm) * step }
      previousForce = force
      previousX = x
      x = x + step
      g0 = try evaluator.energyAndGradient(at: x).gradient
    }
  }
}
