/// Explicit Runge–Kutta steps on the arc-length form of the steepest-descent path,
/// dq/ds = f(q) = −g(q)/|g(q)|: the classical fourth-order method with a fixed step, and
/// embedded pairs that also estimate their local error for step-size control.
///
/// References:
/// - E. Hairer, S. P. Nørsett and G. Wanner, *Solving Ordinary Differential Equations I*,
///   2nd ed. (Springer, 1993), §II.1, Table 1.2 (classical RK4) and §II.5, Table 5.2
///   (Dormand–Prince 5(4), "DOPRI5"); eq. (4.12) for the step-size controller.
/// - J. R. Dormand and P. J. Prince, J. Comput. Appl. Math. 6, 19 (1980).
/// - P. Bogacki and L. F. Shampine, Appl. Math. Lett. 2, 321 (1989): the 3(2) pair.
///
/// Both pairs have the first-same-as-last property: their last stage is the gradient at the
/// new point, which the next step needs anyway, so a DOPRI5 step costs 6 gradients and a
/// Bogacki–Shampine step 3. RK4 costs 4 (three stages and the new point).
public struct RungeKuttaIntegrator: PathIntegrator {
  /// A Butcher tableau with an optional embedded error estimator.
  public struct Tableau: Sendable, Equatable {
    public var name: String
    public var order: Int
    /// Lower-triangular stage coefficients aᵢⱼ (row i lists j < i).
    var a: [[Double]]
    /// Weights of the propagated solution.
    var b: [Double]
    /// bᵢ − b̂ᵢ: weights of the error estimate, or nil for a fixed-step method.
    var errorWeights: [Double]?
    /// The last stage is evaluated at the new point (first same as last).
    var firstSameAsLast: Bool

    public static let rk4 = Tableau(
      name: "rk4", order: 4, a: [[], [0.5], [0, 0.5], [0, 0, 1]],
      b: [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6], errorWeights: nil, firstSameAsLast: false)

    public static let dormandPrince = Tableau(
      name: "adaptive", order: 5,
      a: [
        [], [1.0 / 5], [3.0 / 40, 9.0 / 40], [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
      ],
      b: [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0],
      errorWeights: [
        71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40,
      ],
      firstSameAsLast: true)

    public static let bogackiShampine = Tableau(
      name: "adaptive3", order: 3,
      a: [[], [0.5], [0, 0.75], [2.0 / 9, 1.0 / 3, 4.0 / 9]],
      b: [2.0 / 9, 1.0 / 3, 4.0 / 9, 0],
      errorWeights: [2.0 / 9 - 7.0 / 24, 1.0 / 3 - 1.0 / 4, 4.0 / 9 - 1.0 / 3, -1.0 / 8],
      firstSameAsLast: true)
  }

  public let tableau: Tableau

  public init(_ tableau: Tableau) { self.tableau = tableau }

  public var name: String { tableau.name }

  /// The unit downhill direction −g/|g|.
  static func direction(_ gradient: Vector) -> Vector { gradient / -gradient.norm }

  public mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep {
    let stages = tableau.a.count
    var k: [Vector] = [Self.direction(point.gradient)]
    k.reserveCapacity(stages)
    var last: (energy: Double, gradient: Vector)?
    var stagePoints: [Vector] = [point.coordinates]
    for i in 1..<stages {
      var q = point.coordinates
      for (j, coefficient) in tableau.a[i].enumerated() where coefficient != 0 {
        q = q.adding(length * coefficient, times: k[j])
      }
      stagePoints.append(q)
      let evaluated = try evaluator.energyAndGradient(at: q)
      if tableau.firstSameAsLast && i == stages - 1 { last = evaluated }
      k.append(Self.direction(evaluated.gradient))
    }
    // For a first-same-as-last pair the last stage was evaluated at exactly this point
    // (its row of a equals b, summed in the same order).
    var next = point.coordinates
    for (j, weight) in tableau.b.enumerated() where weight != 0 {
      next = next.adding(length * weight, times: k[j])
    }
    let energy: Double
    let gradient: Vector
    if let last {
      (energy, gradient) = last
    } else {
      (energy, gradient) = try evaluator.energyAndGradient(at: next)
    }
    // Stiffness as in Hairer and Wanner's DOPRI5 code (Solving ODEs II, §IV.2): the last
    // two stages give ρ ≈ |kₛ − kₛ₋₁| / |Yₛ − Yₛ₋₁|.
    var stiffness: Double?
    if tableau.firstSameAsLast, stages >= 2 {
      let separation = stagePoints[stages - 1].distance(to: stagePoints[stages - 2])
      if separation > 0 {
        stiffness = length * (k[stages - 1] - k[stages - 2]).norm / separation
      }
    }
    var error: Double?
    if let weights = tableau.errorWeights {
      var difference = Vector.zero(point.coordinates.count)
      for (j, weight) in weights.enumerated() where weight != 0 {
        difference = difference.adding(length * weight, times: k[j])
      }
      error = difference.norm
    }
    return PathStep(
      coordinates: next, energy: energy, gradient: gradient, arcLength: length,
      errorEstimate: error, stiffness: stiffness)
  }
}
