/// The steepest-descent path on a Gaussian-process surrogate, checked against a real
/// gradient at every step: the fewest gradients for a path of stated accuracy.
///
/// References:
/// - A. Denzel and J. Kästner, J. Chem. Phys. 148, 094114 (2018), and R. Goswami and
///   H. Jónsson, arXiv:2510.06030 (2025): Gaussian-process surrogates of molecular
///   surfaces from energies and gradients, cutting evaluations about tenfold in
///   optimisations and saddle searches.
/// - E. Hairer, S. P. Nørsett and G. Wanner, *Solving ODEs I*, §II.4: local extrapolation,
///   the basis of the error estimate below.
///
/// Each step (1) follows the path of the surrogate (`GaussianProcessSurface`) from the
/// current point for the requested arc length, (2) evaluates the real energy and gradient
/// there, the only evaluation, (3) conditions the surrogate on it and follows the path
/// again. The two ends differ by about the error of the first, since the second surrogate
/// knows the surface where the first only extrapolated: that difference is the step's
/// error estimate, and the tracer's error control keeps it below the path tolerance. The
/// accepted point is the evaluated one, so every logged energy and gradient is real. A
/// rejected step is not wasted: its evaluation stays in the surrogate for the retry.
///
/// Near a minimum the surrogate's path ends at the surrogate's minimum, which the step
/// returns; each evaluation there refines it, converging like a quasi-Newton method
/// without Hessians.
public struct SurrogateIntegrator: PathIntegrator {
  var model: GaussianProcessSurface
  let tolerance: Double

  /// `lengthScale` is the kernel's ℓ; `tolerance` the path tolerance the tracer enforces.
  /// The surrogate starts from the saddle and the evaluations its departure made.
  public init(departure: SaddleDeparture, lengthScale: Double, tolerance: Double) {
    let saddle = departure.saddle
    model = GaussianProcessSurface(dimension: saddle.coordinates.count, lengthScale: lengthScale)
    model.observe(saddle.coordinates, energy: saddle.energy, gradient: saddle.gradient)
    for sample in departure.samples {
      model.observe(sample.coordinates, energy: sample.energy, gradient: sample.gradient)
    }
    self.tolerance = tolerance
  }

  /// The other branch starts with everything this one observed.
  public func continuation() -> (any PathIntegrator)? { self }

  public var name: String { "surrogate" }
  public var followsMinima: Bool { true }

  mutating func observe(_ point: PathPoint) {
    if !model.points.contains(point.coordinates) {
      learn(point.coordinates, energy: point.energy, gradient: point.gradient)
    }
  }

  /// The surrogate is local: beyond 60 observations it keeps the latest 30, so a long
  /// branch costs O(n), not O(n³), and old data far behind cannot distort the model ahead.
  static let window = (limit: 60, keep: 30)

  @discardableResult
  mutating func learn(_ point: Vector, energy: Double, gradient: Vector) -> Bool {
    let taken = model.observe(point, energy: energy, gradient: gradient)
    if model.count > Self.window.limit {
      var recent = GaussianProcessSurface(
        dimension: model.dimension, lengthScale: model.lengthScale)
      for index in (model.count - Self.window.keep)..<model.count {
        recent.observe(
          model.points[index], energy: model.energies[index], gradient: model.gradients[index])
      }
      model = recent
    }
    return taken
  }

  public mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep {
    observe(point)
    // Within one step of a minimum: a quasi-Newton step on the real gradient with the
    // surrogate's Hessian, which converges fast however crowded the data near the minimum
    // (where new observations stop adding information to the surrogate). Its error is
    // the distance still left, the next such step.
    let curvature = model.hessian(at: point.coordinates).eigensystem
    if curvature.lowest > 0 {
      let newton = curvature.apply({ -1 / $0 }, to: point.gradient)
      if newton.norm <= length {
        let q = point.coordinates + newton
        let (energy, gradient) = try evaluator.energyAndGradient(at: q)
        learn(q, energy: energy, gradient: gradient)
        let remaining = model.hessian(at: q).eigensystem.apply({ 1 / abs($0) }, to: gradient).norm
        return PathStep(
          coordinates: q, energy: energy, gradient: gradient, arcLength: newton.norm,
          errorEstimate: remaining, kind: .newton)
      }
    }
    // Following the surrogate costs no evaluations; its accuracy only needs to be far
    // below the tolerance it is judged by.
    let followTolerance = 0.05 * tolerance
    // Near a minimum, go all the way to the surrogate's minimum when it is within two
    // steps, rather than creeping towards it.
    var predicted: (point: Vector, arcLength: Double)?
    if let probe = SurrogatePath.follow(
      model, from: point.coordinates, length: 2 * length, checkpoint: length,
      tolerance: followTolerance)
    {
      if probe.end.arcLength >= 2 * length * (1 - 1e-12), let middle = probe.checkpoint {
        predicted = (middle, length)
      } else {
        predicted = probe.end
      }
    }
    guard let predicted else {
      // The surrogate offers no downhill path: fall back to an Euler step on the real
      // gradient, evaluated and learnt from like any other.
      let q = point.coordinates.adding(-length / point.gradientNorm, times: point.gradient)
      let (energy, gradient) = try evaluator.energyAndGradient(at: q)
      learn(q, energy: energy, gradient: gradient)
      return PathStep(
        coordinates: q, energy: energy, gradient: gradient, arcLength: length,
        errorEstimate: .infinity)
    }
    let (energy, gradient) = try evaluator.energyAndGradient(at: predicted.point)
    // The error estimate: conditioned on the new gradient, the surrogate's path from the
    // same start ends about as far from the predicted point as that is from the true path.
    // If the surrogate cannot take the observation (numerically implied by the others),
    // that comparison would say nothing; then the defect serves: the path arrived along
    // the surrogate's direction there, so a real direction off by θ means an error of
    // about θ·h/2.
    let modelled = model.gradient(at: predicted.point)
    let error: Double
    if learn(predicted.point, energy: energy, gradient: gradient) {
      let corrected = SurrogatePath.follow(
        model, from: point.coordinates, length: predicted.arcLength, tolerance: followTolerance)
      error = corrected.map { $0.point.distance(to: predicted.point) } ?? .infinity
    } else {
      error = 0.5 * predicted.arcLength * IRCTracer.angle(modelled, gradient)
    }
    // Error per unit step: a step of arc h may use only the fraction h/ℓ of the tolerance
    // (ℓ the kernel length, at most tenfold stricter), so that errors of many short steps,
    // which add up where the path does not damp them (leaving the saddle), still total
    // about the tolerance over each length ℓ of path.
    let unitScale = min(10, max(1, model.lengthScale / max(predicted.arcLength, 1e-300)))
    return PathStep(
      coordinates: predicted.point, energy: energy, gradient: gradient,
      arcLength: predicted.arcLength, errorEstimate: error * unitScale)
  }
}
