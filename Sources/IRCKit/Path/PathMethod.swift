import Foundation

/// The IRC integrators by the names the command line uses.
public enum PathMethod: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
  /// Explicit Euler: one gradient per step, first order.
  case euler
  /// Classical fourth-order Runge–Kutta: four gradients per step.
  case rk4
  /// Gonzalez–Schlegel constrained minimisation on a hypersphere: second order.
  case gs2
  /// Page–McIver local quadratic approximation: one gradient and one Hessian per step.
  case lqa
  /// Hratchian–Schlegel Hessian-based predictor–corrector (LQA predictor, DWI corrector).
  case hpc
  /// Hratchian–Frisch–Schlegel Euler predictor–corrector (DWI corrector, updated Hessians).
  case eulerpc
  /// Dormand–Prince 5(4) with step-size control to a path tolerance.
  case adaptive

  public var description: String { rawValue }

  /// Whether the method uses Hessians along the path (and so takes `--hessian`).
  public var usesHessians: Bool {
    switch self {
    case .gs2, .lqa, .hpc, .eulerpc: return true
    case .euler, .rk4, .adaptive: return false
    }
  }

  /// Whether the method controls its step from an error estimate (`--path-tol`).
  public var isAdaptive: Bool { self == .adaptive }

  /// The order of the global path error the method is designed for.
  public var order: Int {
    switch self {
    case .euler: return 1
    case .gs2, .lqa, .eulerpc: return 2
    case .hpc: return 3
    case .rk4: return 4
    case .adaptive: return 5
    }
  }

  /// A fresh integrator for one branch.
  public func makeIntegrator(saddle: StationaryPoint, hessian: HessianSource) -> any PathIntegrator {
    switch self {
    case .euler: return EulerIntegrator()
    case .rk4: return RungeKuttaIntegrator(.rk4)
    case .gs2: return GonzalezSchlegelIntegrator(saddle: saddle, hessian: hessian)
    case .lqa: return LocalQuadraticIntegrator(saddle: saddle, hessian: hessian)
    case .hpc: return PredictorCorrectorIntegrator(predictor: .lqa, saddle: saddle, hessian: hessian)
    case .eulerpc:
      return PredictorCorrectorIntegrator(predictor: .euler, saddle: saddle, hessian: hessian)
    case .adaptive: return RungeKuttaIntegrator(.dormandPrince)
    }
  }

  /// The tracer for this method with the given settings. `pathTolerance` applies to
  /// `adaptive` only: its departure δ from the saddle is then min(h, ∛T·ℓ), ℓ the
  /// surface's length scale, so that the departure's O(δ³) error stays near T, and steps
  /// may grow to 20h.
  public func tracer(
    stepLength: Double, gradientTolerance: Double, maxSteps: Int, hessian: HessianSource,
    pathTolerance: Double? = nil, lengthScale: Double? = nil,
    departure: TraceOptions.Departure = .curved
  ) throws(OptionError) -> IRCTracer {
    var options = try TraceOptions(
      stepLength: stepLength, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
      departure: departure)
    if isAdaptive, let pathTolerance {
      let scale = lengthScale ?? stepLength
      options = try TraceOptions(
        stepLength: stepLength, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
        initialDisplacement: min(stepLength, cbrt(pathTolerance) * scale),
        departure: departure, pathTolerance: pathTolerance, controlOrder: 4,
        maximumStepLength: 20 * stepLength)
    }
    let method = self
    return IRCTracer(options: options) { saddle in
      method.makeIntegrator(saddle: saddle, hessian: hessian)
    }
  }
}
