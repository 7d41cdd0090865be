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
  /// The path of a Gaussian-process surrogate, checked by one real gradient per step and
  /// controlled to a path tolerance.
  case surrogate

  public var description: String { rawValue }

  /// Whether the method uses Hessians along the path (and so takes `--hessian`).
  public var usesHessians: Bool {
    switch self {
    case .gs2, .lqa, .hpc, .eulerpc: return true
    case .euler, .rk4, .adaptive, .surrogate: return false
    }
  }

  /// Whether the method controls its step from an error estimate (`--path-tol`).
  public var isAdaptive: Bool { self == .adaptive || self == .surrogate }

  /// The order of the global path error, as measured by `irc bench` (fixed arc length,
  /// steps h, h/2, h/4). The predictor–correctors are second order like their LQA or
  /// Euler predictor: the corrector follows the distance-weighted interpolant, whose own
  /// error is O(h³) per step (Hratchian and Schlegel 2004 expected better; measured
  /// 1.7–2.1 on Müller–Brown S1 and S2).
  public var order: Int {
    switch self {
    case .euler: return 1
    case .gs2, .lqa, .hpc, .eulerpc: return 2
    case .rk4: return 4
    case .adaptive, .surrogate: return 5
    }
  }

  /// The graded start of fixed-step methods of order two and more spans this fraction of
  /// the surface's length scale G/|λ₁| (Euler, first order anyway, starts ungraded).
  public static let gradedStartFraction = 0.1

  /// The surrogate's kernel length scale, as a multiple of the surface's length scale
  /// G/|λ₁|.
  public static let kernelLengthFactor = 1.0

  /// A fresh integrator for one branch; `lengthScale` sets the surrogate's kernel and
  /// `pathTolerance` its internal accuracy.
  public func makeIntegrator(
    departure: SaddleDeparture, hessian: HessianSource, lengthScale: Double = 1,
    pathTolerance: Double = 1e-4, hessianRefresh: Double? = nil
  ) -> any PathIntegrator {
    let saddle = departure.saddle
    switch self {
    case .euler: return EulerIntegrator()
    case .rk4: return RungeKuttaIntegrator(.rk4)
    case .gs2: return GonzalezSchlegelIntegrator(saddle: saddle, hessian: hessian)
    case .lqa: return LocalQuadraticIntegrator(saddle: saddle, hessian: hessian)
    case .hpc:
      return PredictorCorrectorIntegrator(
        predictor: .lqa, saddle: saddle, hessian: hessian, refreshDistance: hessianRefresh)
    case .eulerpc:
      return PredictorCorrectorIntegrator(
        predictor: .euler, saddle: saddle, hessian: hessian, refreshDistance: hessianRefresh)
    case .adaptive: return RungeKuttaIntegrator(.dormandPrince)
    case .surrogate:
      return SurrogateIntegrator(
        departure: departure, lengthScale: Self.kernelLengthFactor * lengthScale,
        tolerance: pathTolerance)
    }
  }

  /// The tracer for this method with the given settings. `pathTolerance` applies to
  /// `adaptive` only: its departure δ from the saddle is then min(h, ∛T·ℓ), ℓ the
  /// surface's length scale, so that the departure's O(δ³) error stays near T, and steps
  /// may grow to 20h.
  public func tracer(
    stepLength: Double, gradientTolerance: Double, maxSteps: Int, hessian: HessianSource,
    pathTolerance: Double? = nil, lengthScale: Double? = nil,
    departure: TraceOptions.Departure = .curved, hessianRefresh: Double? = nil
  ) throws(OptionError) -> IRCTracer {
    var options = try TraceOptions(
      stepLength: stepLength, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
      departure: departure,
      gradedStart: self == .euler ? nil : lengthScale.map { Self.gradedStartFraction * $0 })
    if isAdaptive, let pathTolerance {
      let scale = lengthScale ?? stepLength
      // The surrogate's error is not a power of h; a gentler controller (as for a
      // second-order estimate) and steps of at most half a kernel length, beyond which a
      // Gaussian process extrapolates poorly, waste fewer evaluations on rejections.
      let surrogate = self == .surrogate
      options = try TraceOptions(
        stepLength: stepLength, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
        initialDisplacement: min(stepLength, cbrt(pathTolerance) * scale),
        departure: departure, pathTolerance: pathTolerance, controlOrder: surrogate ? 2 : 4,
        maximumStepLength: surrogate
          ? max(stepLength, 0.5 * Self.kernelLengthFactor * scale) : 20 * stepLength)
    }
    let method = self
    let scale = lengthScale ?? stepLength
    let tolerance = pathTolerance ?? 1e-4
    if self == .surrogate {
      // Wide enough that the two gradients behind the departure's curvature are useful
      // observations for the surrogate, close enough for T[v,v] to 1 %.
      options.curvatureDifferenceStep = 0.1 * scale
      // A departure shortened below the model's resolution leaves the surrogate with
      // nearly coincident observations (measured: Neria–Fischer–Karplus at T = 5e-7 then
      // ends `energy-rise`); its error estimate is heuristic anyway, so it keeps
      // cbrt(T)·ℓ.
      options.controlsDeparture = false
    }
    return IRCTracer(options: options) { departure in
      method.makeIntegrator(
        departure: departure, hessian: hessian, lengthScale: scale, pathTolerance: tolerance,
        hessianRefresh: hessianRefresh)
    }
  }
}
