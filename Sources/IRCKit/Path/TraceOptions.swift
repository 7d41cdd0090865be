/// The settings of one IRC trace. Every value is checked when the options are made.
public struct TraceOptions: Sendable, Equatable {
  /// Arc length of one integrator step. The path error of a method of order p is
  /// O(hᵖ), so this is the accuracy knob; it has no universal default because lengths
  /// mean different things on different surfaces (see `Potential.traceDefaults`).
  public var stepLength: Double
  /// A branch may stop once |∇V| is below this, after having risen above it off the saddle.
  public var gradientTolerance: Double
  /// Accepted steps per branch before giving up with `maxSteps`.
  public var maxSteps: Int
  /// The first displacement off the saddle along the transition vector; by default one
  /// step length, so the first point is as far out as every other step goes.
  public var initialDisplacement: Double
  /// A stationary point whose lowest Hessian eigenvalue is at most this fraction of the
  /// largest magnitude counts as flat: an asymptotic valley, not a minimum. 10⁻⁴ separates
  /// the two on the built-ins by orders of magnitude (LEPS valley ≈ 10⁻⁶ at the default
  /// tolerance; the softest built-in minimum 0.017).
  public var flatCurvatureRatio: Double
  /// L in the gradient's noise curvature |∇V|/L: at a point where |∇V| has not vanished, a
  /// curvature below it is what the gradient itself induces along a curvilinear motion of
  /// extent L (a fragment swung about a pivot at distance L by a radial force |∇V| has
  /// transverse curvature |∇V|/L: H + H₂ leaving along the collinear valley bends down by
  /// ≈ 0.9|∇V| with L = ℓ ≈ 0.43), so an end's eigenvalue above −|∇V|/L does not make it a
  /// ridge; it vanishes with the tolerance, while a real saddle's curvature does not. The
  /// molecule's length scale G/|λ₁| = ℓ, half the shortest bond in q, the smallest radius
  /// a rotating pair of atoms has (set by `TraceSettings`); nil, for an abstract surface:
  /// no allowance.
  public var gradientNoiseLength: Double?
  /// Step-length control halves a rejected step down to this fraction of `stepLength`;
  /// a step that still raises the energy then ends the branch with `energyRise`.
  public var minimumStepFraction: Double
  /// How a branch leaves the saddle.
  public var departure: Departure
  /// With a path tolerance, step lengths follow the integrator's local error estimate so
  /// that each step's error stays below it (`stepLength` is then the first step); without,
  /// every step is `stepLength` unless step control must shorten it.
  public var pathTolerance: Double?
  /// The order of the error estimate's lower-order solution, for the step controller.
  public var controlOrder: Int
  /// The longest step error control may take (default: `stepLength`, i.e. none longer).
  public var maximumStepLength: Double?
  /// The step ε of the central difference for T[v,v] in the curved departure (default:
  /// 10⁻³ of the initial displacement).
  public var curvatureDifferenceStep: Double?
  /// With a path tolerance, shorten the departure until its error estimate
  /// (`SaddleDeparture.errorEstimate`) is within the tolerance.
  public var controlsDeparture = true
  /// Where the tracer's own Hessians come from (the quadratic-model and Newton steps near a
  /// minimum, and the stopping decision): evaluated at every point that needs one, or the
  /// saddle's Bofill-updated along the branch (`updated`, for surfaces whose Hessian costs
  /// many engine calls). Either way a branch ends `converged`, `asymptotic` or `failed` on
  /// an evaluated Hessian only, which is then also the end's frequencies.
  public var branchHessian: HessianSource = .exact
  /// Approaching a minimum, the tracer hands an integrator that does not find minima itself
  /// over to the quadratic model's flow once the last two points put the minimum within
  /// this many steps (|∇V| ≈ λd). Three keeps explicit methods out of the region where
  /// their stages straddle the minimum; a predictor–corrector on a surface whose Hessians
  /// are expensive is better left in charge longer (see `TraceSettings.engineTracer`).
  public var approachSteps = 3.0
  /// Approaching a minimum, an integrator step covers at most this fraction of the
  /// distance left to it (|∇V| ≈ λd, from the last two points), so that steps shrink
  /// geometrically onto it and the polish starts within `approachSteps` steps of it, not
  /// anywhere up to one step away: its first Newton step lands off the path by a few per
  /// cent of its length (see `TraceSettings.engineTracer`). Nil: steps are not cut.
  public var approachStepFraction: Double?
  /// For fixed steps: the arc length s_c over which steps grow from h²/s_c to h, so that
  /// the saddle's neighbourhood, where the direction field varies on the scale of the
  /// distance from the saddle, does not cap the order of the method. Nil: no grading.
  public var gradedStart: Double?

  /// How a branch leaves the saddle.
  public enum Departure: String, Sendable, Equatable {
    /// Along the path's second-order Taylor expansion (`SaddleDeparture`): O(δ³) off the
    /// path, so the departure never limits an integrator's order. Costs two gradients.
    case curved
    /// Straight along the transition vector: O(δ²) off the path.
    case straight
  }

  public init(
    stepLength: Double, gradientTolerance: Double, maxSteps: Int,
    initialDisplacement: Double? = nil, flatCurvatureRatio: Double = 1e-4,
    minimumStepFraction: Double = 1e-6, departure: Departure = .curved,
    pathTolerance: Double? = nil, controlOrder: Int = 4, maximumStepLength: Double? = nil,
    gradedStart: Double? = nil, curvatureDifferenceStep: Double? = nil
  ) throws(OptionError) {
    guard stepLength > 0, stepLength.isFinite else {
      throw OptionError(option: "step", value: stepLength, expected: "a positive number")
    }
    guard gradientTolerance > 0, gradientTolerance.isFinite else {
      throw OptionError(option: "gtol", value: gradientTolerance, expected: "a positive number")
    }
    guard maxSteps >= 1 else {
      throw OptionError(option: "max-steps", value: Double(maxSteps), expected: "at least 1")
    }
    let displacement = initialDisplacement ?? stepLength
    guard displacement > 0, displacement.isFinite else {
      throw OptionError(
        option: "initialDisplacement", value: displacement, expected: "a positive number")
    }
    guard flatCurvatureRatio > 0, flatCurvatureRatio < 1 else {
      throw OptionError(
        option: "flatCurvatureRatio", value: flatCurvatureRatio, expected: "between 0 and 1")
    }
    guard minimumStepFraction > 0, minimumStepFraction < 1 else {
      throw OptionError(
        option: "minimumStepFraction", value: minimumStepFraction, expected: "between 0 and 1")
    }
    if let pathTolerance, !(pathTolerance > 0 && pathTolerance.isFinite) {
      throw OptionError(option: "path-tol", value: pathTolerance, expected: "a positive number")
    }
    if let maximumStepLength, !(maximumStepLength >= stepLength && maximumStepLength.isFinite) {
      throw OptionError(
        option: "maximumStepLength", value: maximumStepLength, expected: "at least the step length")
    }
    guard controlOrder >= 1 else {
      throw OptionError(option: "controlOrder", value: Double(controlOrder), expected: "at least 1")
    }
    if let gradedStart, !(gradedStart > 0 && gradedStart.isFinite) {
      throw OptionError(option: "gradedStart", value: gradedStart, expected: "a positive number")
    }
    self.gradedStart = gradedStart
    self.curvatureDifferenceStep = curvatureDifferenceStep
    self.departure = departure
    self.pathTolerance = pathTolerance
    self.controlOrder = controlOrder
    self.maximumStepLength = maximumStepLength
    self.stepLength = stepLength
    self.gradientTolerance = gradientTolerance
    self.maxSteps = maxSteps
    self.initialDisplacement = displacement
    self.flatCurvatureRatio = flatCurvatureRatio
    self.minimumStepFraction = minimumStepFraction
  }
}
