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

  public init(predictor: Predictor, saddle: StationaryPoint, hessian: HessianSource) {
    self.predictor = predictor
    hessians = HessianTracker(source: hessian, saddle: saddle)
  }

  public var name: String { predictor == .euler ? "eulerpc" : "hpc" }

  public mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(NonFiniteEvaluation) -> PathStep {
    let hessian: Matrix
    if let carried, carried.coordinates == point.coordinates {
      hessian = carried.hessian
    } else {
      hessian = try hessians.hessian(at: point.coordinates, gradient: point.gradient, on: &evaluator)
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
      .init(coordinates: point.coordinates, energy: point.energy, gradient: point.gradient, hessian: hessian),
      .init(coordinates: predicted, energy: energy, gradient: gradient, hessian: predictedHessian),
    ])
    guard let corrected = SurrogatePath.follow(surface, from: point.coordinates, length: length) else {
      // The interpolant offered no downhill path: keep the predicted point as evaluated.
      return PathStep(coordinates: predicted, energy: energy, gradient: gradient, arcLength: length)
    }
    let delta = corrected - predicted
    let hd = predictedHessian * delta
    carried = (corrected, predictedHessian)
    return PathStep(
      coordinates: corrected, energy: energy + gradient.dot(delta) + 0.5 * delta.dot(hd),
      gradient: gradient + hd, arcLength: length, transported: delta.norm)
  }
}

/// Follows the steepest-descent path of a cheap model surface accurately.
enum SurrogatePath {
  /// The point at arc length `length` along the steepest-descent path of `surface` from
  /// `start`, by DOPRI5 with each step's error below 10⁻⁷·`length` (far below the error of
  /// any model it follows), or nil if the path stalls on the model before `length`.
  static func follow(_ surface: any Surface, from start: Vector, length: Double) -> Vector? {
    var evaluator = Evaluator(surface)
    var integrator = RungeKuttaIntegrator(.dormandPrince)
    let tolerance = 1e-7 * length
    guard let first = try? evaluator.energyAndGradient(at: start), first.gradient.norm > 0 else {
      return nil
    }
    var point = PathPoint(
      step: 0, arcLength: 0, coordinates: start, energy: first.energy, gradient: first.gradient,
      kind: .integrator)
    var h = length / 4
    var iterations = 0
    while point.arcLength < length * (1 - 1e-14) {
      iterations += 1
      if iterations > 10_000 { return nil }
      let remaining = length - point.arcLength
      let trial = min(h, remaining)
      guard let step = try? integrator.step(from: point, length: trial, on: &evaluator),
        step.gradient.norm > 0, step.energy < point.energy
      else {
        h = trial / 4
        if h < 1e-9 * length { return nil }
        continue
      }
      let error = step.errorEstimate ?? 0
      let factor = error > 0 ? min(5, max(0.2, 0.9 * pow(tolerance / error, 0.2))) : 5
      if error <= tolerance {
        point = PathPoint(
          step: point.step + 1, arcLength: point.arcLength + trial, coordinates: step.coordinates,
          energy: step.energy, gradient: step.gradient, kind: .integrator)
      }
      h = trial * factor
    }
    return point.coordinates
  }
}
