/// The explicit Euler step on the arc-length form of the steepest-descent path.
///
/// References:
/// - K. Fukui, "The path of chemical reactions – the IRC approach", Acc. Chem. Res. 14, 363
///   (1981): the IRC as the mass-weighted steepest-descent path dq/ds = −g/|g|.
/// - K. Ishida, K. Morokuma and A. Komornicki, J. Chem. Phys. 66, 2153 (1977): the
///   steepest-descent step q' = q − h g/|g| and its first-order drift off the path,
///   which makes this the baseline every better integrator is measured against.
///
/// One gradient per step; the path error is O(h).
public struct EulerIntegrator: PathIntegrator {
  public init() {}

  public var name: String { "euler" }

  public mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep {
    let next = point.coordinates.adding(-length / point.gradientNorm, times: point.gradient)
    let (energy, gradient) = try evaluator.energyAndGradient(at: next)
    return PathStep(coordinates: next, energy: energy, gradient: gradient, arcLength: length)
  }
}
