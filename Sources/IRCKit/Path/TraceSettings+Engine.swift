/// The tracer for surfaces computed by an electronic-structure engine (`irc trace` on the
/// xtb, external and ipi kinds): a Hessian costs 2·(3N − 6) gradient calls there, so the
/// method's settings are tuned on calls, measured on HCN ⇌ HNC at GFN2-xTB (README).
///
/// References:
/// - H. P. Hratchian, M. J. Frisch and H. B. Schlegel, J. Chem. Phys. 133, 224101 (2010):
///   EulerPC on Bofill-updated Hessians, one gradient a step: the engines' default method.
/// - J. M. Bofill, J. Comput. Chem. 15, 1 (1994): the Hessian update.
extension TraceSettings {
  /// EulerPC's Bofill-updated Hessians drift from the saddle's: its path error grew to
  /// 1.6e-3 amu^½·bohr by the HNC end at the default step; evaluating one again after 0.6 ℓ
  /// of arc (ℓ = G/|λ₁|; once or twice a branch, 2·(3N − 6) calls each) kept every
  /// integrated point within 7e-4.
  public static let engineHessianRefreshFraction = 0.6

  /// Approaching a minimum, each step covers at most this fraction of the distance left
  /// (by the fall of |∇V|), and the Newton polish takes over within
  /// `engineApproachSteps` steps of it. Against the tight reference (`trace --reference`):
  /// a Newton step on the branch's updated Hessian lands off the path by 4–8 % of its
  /// length (the secant curvature along the bend is 7 % below the minimum's), 1.9e-3
  /// amu^½·bohr from a minimum one step away and 1.5e-3, past the minimum, from 0.01
  /// amu^½·Å; with these two values the polish starts within 0.003 and every point of both
  /// branches stays within the integrated points' own 8.2e-4, for 129 calls instead of
  /// 137. Fractions 0.75–0.9 and 0.03–0.05 steps gave the same.
  public static let engineApproachStepFraction = 0.85
  public static let engineApproachSteps = 0.05

  /// The tracer on an engine. For EulerPC (the engines' default) four measured changes:
  /// Hessians evaluated again every `engineHessianRefreshFraction`·ℓ; no graded start (the
  /// curved departure and the corrector on the saddle's exact Hessian were within 1e-5
  /// amu^½·bohr of the exact path there, and grading cost about ten steps a branch); the
  /// integrator kept in charge until the minimum is within `engineApproachSteps` (the
  /// quadratic model's flow steps there were 2.6e-3 off the path even on evaluated
  /// Hessians, EulerPC's 5e-4), its steps shrinking onto it; and the branch's own Hessian
  /// updated for the stopping decision and the polish (`TraceOptions.branchHessian`).
  public func engineTracer() throws(OptionError) -> IRCTracer {
    guard method == .eulerpc else { return try tracer() }
    var tracer = try method.tracer(
      stepLength: stepLength, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
      hessian: hessian, pathTolerance: pathTolerance,
      lengthScale: Self.stepScale(lengthScale, regionDiagonal: scale.regionDiagonal),
      hessianRefresh: hessian == .updated
        ? Self.engineHessianRefreshFraction * lengthScale : nil)
    tracer.options.gradedStart = nil
    tracer.options.approachSteps = Self.engineApproachSteps
    tracer.options.approachStepFraction = Self.engineApproachStepFraction
    tracer.options.branchHessian = hessian
    tracer.options.gradientNoiseLength = gradientNoiseLength
    return tracer
  }
}
