import Foundation

/// Predictor–corrector IRC integration on a distance-weighted interpolant.
///
/// References:
/// - H. P. Hratchian and H. B. Schlegel, J. Chem. Phys. 120, 9918 (2004) and J. Chem. Theory
///   Comput. 1, 61 (2005): HPC. The predictor is an LQA step on the Hessian; the energy,
///   gradient and Hessian at the predicted point and at the start define a
///   distance-weighted interpolant (`DistanceWeightedInterpolant`), on which the corrector
///   integrates the path again, accurately, from the start for the same arc length.
/// - H. P. Hratchian, M. J. Frisch and H. B. Schlegel, J. Chem. Phys. 133, 224101 (2010):
///   EulerPC, the same with an Euler predictor and Bofill-updated Hessians, so that a step
///   costs one gradient.
///
/// The corrector here is DOPRI5 at a tolerance 10⁻⁴ of the step on the interpolant (the
/// papers use modified Bulirsch–Stoer; any integrator far more accurate than the
/// interpolant serves). The gradient is evaluated at the predicted point, not at the
/// corrected one: the step reports the corrected point with the energy and gradient carried
/// there from the predicted one by the Hessian, E + gᵀδ + ½δᵀHδ and g + Hδ, whose error is
/// O(|δ|²)·|∇³V| for a correction δ (`PathStep.transported` says how far).
public struct PredictorCorrectorIntegrator: PathIntegrator {
  public enum Predictor: String, Sendable {
    case euler
    case lqa
  }

  let predictor: Predictor
  var hessians: HessianTracker
  /// The last corrected point and the Hessian of its predicted point, which serves there
  /// (they differ by the correction, O(h³)) instead of a new evaluation.
  var carried: (coordinates: Vector, hessian: Matrix)?

  /// `refreshDistance`: with updated Hessians, evaluate one again after this much arc
  /// length (`HessianTracker.refreshDistance`).
  public init(
    predictor: Predictor, saddle: StationaryPoint, hessian: HessianSource,
    refreshDistance: Double? = nil
  ) {
    self.predictor = predictor
    hessians = HessianTracker(source: hessian, saddle: saddle, refreshDistance: refreshDistance)
  }

  public var name: String { predictor == .euler ? "eulerpc" : "hpc" }

  /// The largest correction, relative to the step, across which the energy and gradient
  /// are carried by the Hessian rather than evaluated. At a quarter of the step no run of
  /// the bench ladders on Müller–Brown or LEPS+oscillator evaluates once more; at 0.05
  /// their coarsest steps did, for nothing.
  static let longestTransport = 0.25

  public mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep {
    let evaluations = hessians.evaluations
    var step = try unmarkedStep(from: point, length: length, on: &evaluator)
    if hessians.evaluations > evaluations { step.evaluatedHessian = hessians.lastEvaluated }
    return step
  }

  /// `step` before it says whether it evaluated a Hessian.
  mutating func unmarkedStep(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep {
    let hessian: Matrix
    if let carried, carried.coordinates == point.coordinates {
      hessian = carried.hessian
    } else {
      hessian = try hessians.hessian(
        at: point.coordinates, gradient: point.gradient, on: &evaluator)
    }
    let predicted: Vector
    switch predictor {
    case .euler:
      predicted = point.coordinates.adding(-length / point.gradientNorm, times: point.gradient)
    case .lqa:
      let flow = QuadraticFlow(gradient: point.gradient, eigensystem: hessian.eigensystem)
      predicted = point.coordinates + flow.step(arcLength: length).displacement
    }
    let (energy, gradient) = try evaluator.energyAndGradient(at: predicted)
    let predictedHessian = try hessians.hessian(at: predicted, gradient: gradient, on: &evaluator)
    let surface = DistanceWeightedInterpolant(nodes: [
      .init(
        coordinates: point.coordinates, energy: point.energy, gradient: point.gradient,
        hessian: hessian),
      .init(coordinates: predicted, energy: energy, gradient: gradient, hessian: predictedHessian),
    ])
    guard
      let corrected = SurrogatePath.follow(
        surface, from: point.coordinates, length: length, tolerance: 1e-7 * length)?.point
    else {
      // The interpolant offered no downhill path: keep the predicted point as evaluated.
      return PathStep(coordinates: predicted, energy: energy, gradient: gradient, arcLength: length)
    }
    let delta = corrected - predicted
    let hd = predictedHessian * delta
    carried = (corrected, predictedHessian)
    if delta.norm > Self.longestTransport * length {
      // A correction this large (a step far longer than the surface's curvature allows)
      // makes the carried values guesses: measured on the curved double well at h = 0.54,
      // a carried E = −0.05 where the surface has 0.33, after which no step could lower
      // it. The corrected point is evaluated instead, one gradient more.
      let exact = try evaluator.energyAndGradient(at: corrected)
      return PathStep(
        coordinates: corrected, energy: exact.energy, gradient: exact.gradient, arcLength: length)
    }
    return PathStep(
      coordinates: corrected, energy: energy + gradient.dot(delta) + 0.5 * delta.dot(hd),
      gradient: gradient + hd, arcLength: length, transported: delta.norm)
  }
}

/// Follows the steepest-descent path of a cheap model surface accurately.
enum SurrogatePath {
  /// A model path that needs more substeps than this is stiff on the model (a narrow,
  /// flattening valley): following it gives up, and the caller falls back to a real step.
  static let maxSubsteps = 400

  /// The point at arc length `length` along the steepest-descent path of `surface` from
  /// `start`, by DOPRI5 with each step's error below `tolerance` (far below the error of
  /// any model it follows), and the arc length actually covered: less than `length` when
  /// the path ends at the model's minimum first, which is then located by Newton steps on
  /// the model. Nil if the model offers no downhill path.
  static func follow(
    _ surface: any Surface, from start: Vector, length: Double, tolerance: Double
  ) -> (point: Vector, arcLength: Double)? {
    follow(surface, from: start, length: length, checkpoint: nil, tolerance: tolerance)?.end
  }

  /// As `follow`, also returning the point at arc length `checkpoint` if the path gets
  /// that far (steps are cut to land on it).
  static func follow(
    _ surface: any Surface, from start: Vector, length: Double, checkpoint: Double?,
    tolerance: Double
  ) -> (end: (point: Vector, arcLength: Double), checkpoint: Vector?)? {
    var evaluator = Evaluator(surface)
    var integrator = RungeKuttaIntegrator(.dormandPrince)
    guard let first = try? evaluator.energyAndGradient(at: start), first.gradient.norm > 0 else {
      return nil
    }
    var point = PathPoint(
      step: 0, arcLength: 0, coordinates: start, energy: first.energy, gradient: first.gradient,
      kind: .integrator)
    var passed: Vector? = checkpoint == 0 ? start : nil
    var h = length / 4
    var iterations = 0
    while point.arcLength < length * (1 - 1e-14) {
      iterations += 1
      if iterations > maxSubsteps { return nil }
      var trial = min(h, length - point.arcLength)
      if let checkpoint, passed == nil, point.arcLength + trial > checkpoint {
        trial = checkpoint - point.arcLength
      }
      guard let step = try? integrator.step(from: point, length: trial, on: &evaluator),
        step.gradient.norm > 0, step.energy < point.energy,
        step.gradient.dot(point.gradient) > 0
      else {
        h = trial / 4
        // The path stalls: it has reached the model's minimum (or a flat region).
        if h < 1e-6 * length { return (polish(surface, point: point), passed) }
        continue
      }
      let error = step.errorEstimate ?? 0
      let factor = StepSizeController(tolerance: tolerance, order: 4).factor(error: error)
      if error <= tolerance {
        point = PathPoint(
          step: point.step + 1, arcLength: point.arcLength + trial, coordinates: step.coordinates,
          energy: step.energy, gradient: step.gradient, kind: .integrator)
        if let checkpoint, passed == nil, point.arcLength >= checkpoint * (1 - 1e-14) {
          passed = point.coordinates
        }
      }
      h = trial * factor
    }
    return ((point.coordinates, point.arcLength), passed)
  }

  /// Newton steps onto the model's minimum near the end of a stalled path; the arc length
  /// grows by the distance they cover.
  static func polish(_ surface: any Surface, point: PathPoint) -> (point: Vector, arcLength: Double)
  {
    var q = point.coordinates
    var covered = point.arcLength
    for _ in 0..<20 {
      let system = surface.hessian(at: q).eigensystem
      guard system.lowest > 0 else { break }
      let newton = system.newtonStep(for: surface.gradient(at: q))
      q = q + newton
      covered += newton.norm
      if newton.norm <= 1e-13 * max(q.maxMagnitude, 1) { break }
    }
    return (q, covered)
  }
}
