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
  /// Step-length control halves a rejected step down to this fraction of `stepLength`;
  /// a step that still raises the energy then ends the branch with `energyRise`.
  public var minimumStepFraction: Double

  public init(
    stepLength: Double, gradientTolerance: Double, maxSteps: Int,
    initialDisplacement: Double? = nil, flatCurvatureRatio: Double = 1e-4,
    minimumStepFraction: Double = 1e-6
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
    self.stepLength = stepLength
    self.gradientTolerance = gradientTolerance
    self.maxSteps = maxSteps
    self.initialDisplacement = displacement
    self.flatCurvatureRatio = flatCurvatureRatio
    self.minimumStepFraction = minimumStepFraction
  }
}
