import Foundation

/// The trace settings in effect and where each came from: the command line, the potential
/// file's `defaults`, or derived from the surface.
public struct TraceSettings: Sendable, Equatable {
  public var stepLength: Double
  public var stepLengthSource: SettingSource
  public var gradientTolerance: Double
  public var gradientToleranceSource: SettingSource
  public var maxSteps: Int
  public var maxStepsSource: SettingSource
  public var scale: SurfaceScale
  public var method: PathMethod
  /// For Hessian-based methods: where their Hessians come from.
  public var hessian: HessianSource
  public var hessianSource: SettingSource
  /// For `adaptive` and `surrogate`: the largest local path error allowed per step.
  public var pathTolerance: Double?
  public var pathToleranceSource: SettingSource
  /// G/|λ₁|: how far off the saddle its linear gradient reaches the typical gradient, the
  /// length scale of the reaction (0.285 on Müller–Brown S1).
  public var lengthScale: Double

  /// What the user asked for; nil means "use the default".
  public struct Overrides: Sendable, Equatable {
    public var stepLength: Double?
    public var gradientTolerance: Double?
    public var maxSteps: Int?
    public var method: PathMethod
    public var hessian: HessianSource?
    public var pathTolerance: Double?

    public init(
      stepLength: Double? = nil, gradientTolerance: Double? = nil, maxSteps: Int? = nil,
      method: PathMethod = .euler, hessian: HessianSource? = nil, pathTolerance: Double? = nil
    ) {
      self.stepLength = stepLength
      self.gradientTolerance = gradientTolerance
      self.maxSteps = maxSteps
      self.method = method
      self.hessian = hessian
      self.pathTolerance = pathTolerance
    }
  }

  /// Derived step: 1/30 of G/|λ₁|, the distance off the saddle at which its linear gradient
  /// |λ₁|·d reaches the surface's typical gradient G, i.e. the length over which the path
  /// leaves the saddle's quadratic region. 30 steps there give Euler a path error of a few
  /// per cent of that length. (Müller–Brown: 0.0093; the file says 0.01.)
  public static let derivedStepFraction = 1.0 / 30
  /// Derived gradient tolerance: 10⁻⁵·G. At a minimum with curvature λ this stops within
  /// 10⁻⁵G/λ of it; the final Newton polish converges quadratically, so tighter costs
  /// about one more step.
  public static let derivedToleranceFraction = 1e-5
  /// Derived step limit: enough steps to cross the region twenty times, at least 1000.
  public static let derivedStepsPerDiagonal = 20.0
  /// Derived path tolerance: 10⁻⁴ of the length scale G/|λ₁| (2.9·10⁻⁵ on Müller–Brown):
  /// a path drawn on the scale of the reaction is exact to the eye and to four digits.
  public static let derivedPathToleranceFraction = 1e-4

  /// Resolves each setting: command line first, then the file's `defaults`, then derived
  /// from the surface scale and the saddle's Hessian.
  public init(potential: Potential, saddle: StationaryPoint, overrides: Overrides = Overrides()) {
    scale = potential.scale(including: saddle.coordinates)
    lengthScale = scale.gradient / max(abs(saddle.eigensystem.lowest), Double.leastNormalMagnitude)
    method = overrides.method
    // EulerPC is defined with updated Hessians (one gradient a step); the others with
    // exact ones.
    if let hessian = overrides.hessian {
      (self.hessian, hessianSource) = (hessian, .commandLine)
    } else {
      (self.hessian, hessianSource) = (overrides.method == .eulerpc ? .updated : .exact, .derived)
    }
    if overrides.method.isAdaptive {
      if let tolerance = overrides.pathTolerance {
        (pathTolerance, pathToleranceSource) = (tolerance, .commandLine)
      } else {
        (pathTolerance, pathToleranceSource) = (
          Self.derivedPathToleranceFraction * lengthScale, .derived
        )
      }
    } else {
      (pathTolerance, pathToleranceSource) = (nil, .derived)
    }
    let file = potential.defaults
    if let step = overrides.stepLength {
      (stepLength, stepLengthSource) = (step, .commandLine)
    } else if let step = file.stepLength {
      (stepLength, stepLengthSource) = (step, .file)
    } else {
      let curvature = max(abs(saddle.eigensystem.lowest), Double.leastNormalMagnitude)
      (stepLength, stepLengthSource) = (
        Self.derivedStepFraction * scale.gradient / curvature, .derived
      )
    }
    if let tolerance = overrides.gradientTolerance {
      (gradientTolerance, gradientToleranceSource) = (tolerance, .commandLine)
    } else if let tolerance = file.gradientTolerance {
      (gradientTolerance, gradientToleranceSource) = (tolerance, .file)
    } else {
      (gradientTolerance, gradientToleranceSource) = (
        Self.derivedToleranceFraction * scale.gradient, .derived
      )
    }
    if let steps = overrides.maxSteps {
      (maxSteps, maxStepsSource) = (steps, .commandLine)
    } else if let steps = file.maxSteps {
      (maxSteps, maxStepsSource) = (steps, .file)
    } else {
      let crossings = Self.derivedStepsPerDiagonal * scale.regionDiagonal / stepLength
      (maxSteps, maxStepsSource) = (
        Int(min(max(1000, crossings.rounded(.up)), 10_000_000)), .derived
      )
    }
  }

  public func options() throws(OptionError) -> TraceOptions {
    try tracer().options
  }

  /// The tracer these settings describe.
  public func tracer() throws(OptionError) -> IRCTracer {
    try method.tracer(
      stepLength: stepLength, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
      hessian: hessian, pathTolerance: pathTolerance, lengthScale: lengthScale)
  }
}
