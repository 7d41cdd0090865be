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
  /// For a molecule, `lengthScale` (ℓ) as the length of the gradient's noise curvature at
  /// an end (`TraceOptions.gradientNoiseLength`); nil for an abstract surface.
  public var gradientNoiseLength: Double?

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

  /// Derived step: 1/30 of G/|λ₁| (at most of the region's diagonal), the distance off the saddle at which its linear gradient
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

  /// The most steps a branch may take, from any source. Every point is kept (and written
  /// as XYZ, CSV and JSON text): two branches of a million steps peaked at 1.1 GB in two
  /// dimensions, so 10⁵ (about 110 MB) is the limit; 10⁵ steps cross a region 10⁵ times
  /// the step, more than any method needs.
  public static let maxStepsLimit = 100_000
  /// In n dimensions a point grows with n: at most this many steps × coordinates per
  /// branch (33,333 steps in 60 dimensions), which keeps a run under 1 GB in any dimension.
  public static let stepCoordinateLimit = 2_000_000

  /// The most steps a branch may take on a surface of `dimension` coordinates.
  public static func maxStepsLimit(dimension: Int) -> Int {
    min(maxStepsLimit, max(1, stepCoordinateLimit / max(1, dimension)))
  }
  /// The shortest step, as a fraction of the length scale L = G/|λ₁|: 10⁵ steps per L,
  /// far more than any method needs for any accuracy, within `maxStepsLimit` steps.
  public static let minimumStepFraction = 1e-5
  /// The shortest step, as a fraction of the saddle's largest coordinate: the step is then
  /// 10⁸ units of the coordinates' last place (2⁻⁵²), and the departure's difference step of
  /// 10⁻³ of it still 10⁵: finite differences there measure the surface, not round-off.
  public static let coordinateRoundOffFraction = 1e-8
  /// The first step lowers the energy by ½|λ₁|h²; it must exceed the round-off of E‡
  /// (ε|E‡|) this many times, or the step control sees noise and ends `energy-rise`.
  public static let energyRoundOffMargin = 1e4
  /// Gradient tolerances span 10⁻¹² G (the Newton polish reaches about 10⁻¹⁵ G on the
  /// built-ins, so this is reachable) to 0.1·G (a branch must first rise above the
  /// tolerance off the saddle, and a path's gradient reaches about G).
  public static let gradientToleranceFractions = 1e-12...0.1
  /// Path tolerances span 10⁻¹² L (the reference paths of `irc bench` use 10⁻¹¹) to 0.1·L
  /// (a coarser tolerance no longer resolves the reaction's length scale).
  public static let pathToleranceFractions = 1e-12...0.1

  /// Resolves each setting: command line first, then the file's `defaults`, then derived
  /// from the surface scale and the saddle's Hessian.
  public init(potential: Potential, saddle: StationaryPoint, overrides: Overrides = Overrides())
    throws(SettingError)
  {
    let scale: SurfaceScale
    do {
      scale = try potential.scale(including: saddle.coordinates)
    } catch {
      throw .scale(error)
    }
    try self.init(potential: potential, saddle: saddle, scale: scale, overrides: overrides)
  }

  /// Resolves each setting against a scale already derived (once per run), and checks each
  /// against the range this saddle allows (`SettingError`).
  public init(
    potential: Potential, saddle: StationaryPoint, scale: SurfaceScale,
    overrides: Overrides = Overrides()
  ) throws(SettingError) {
    try self.init(saddle: saddle, yardsticks: potential.yardsticks(scale), overrides: overrides)
  }

  /// Resolves each setting: command line first, then the file's choices in `yardsticks`,
  /// then derived from its scale and the saddle's Hessian; each is checked against the
  /// range this saddle allows (`SettingError`).
  public init(
    saddle: StationaryPoint, yardsticks: SurfaceYardsticks, overrides: Overrides = Overrides()
  ) throws(SettingError) {
    let scale = yardsticks.scale
    self.scale = scale
    let curvature = abs(saddle.eigensystem.lowest)
    lengthScale = scale.gradient / curvature
    guard SurfaceScale.usableRange.contains(lengthScale) else {
      throw .lengthScale(lengthScale, curvature: curvature, gradientScale: scale.gradient)
    }
    gradientNoiseLength = yardsticks.isMolecular ? lengthScale : nil
    method = overrides.method
    // EulerPC is defined with updated Hessians (one gradient a step); the others with
    // exact ones.
    if let hessian = overrides.hessian {
      (self.hessian, hessianSource) = (hessian, .commandLine)
    } else {
      (self.hessian, hessianSource) = (overrides.method == .eulerpc ? .updated : .exact, .derived)
    }
    let file = yardsticks
    (stepLength, stepLengthSource) = Self.pick(
      overrides.stepLength, file.stepLength,
      Self.derivedStepFraction * Self.stepScale(lengthScale, regionDiagonal: scale.regionDiagonal))
    try Self.check(
      .stepLength, stepLength, stepLengthSource,
      Self.stepRange(saddle, lengthScale: lengthScale, regionDiagonal: scale.regionDiagonal))
    (gradientTolerance, gradientToleranceSource) = Self.pick(
      overrides.gradientTolerance, file.gradientTolerance,
      Self.derivedToleranceFraction * scale.gradient)
    try Self.check(
      .gradientTolerance, gradientTolerance, gradientToleranceSource,
      Self.scaled(Self.gradientToleranceFractions, by: scale.gradient))
    if overrides.method.isAdaptive {
      let tolerance: Double
      (tolerance, pathToleranceSource) = Self.pick(
        overrides.pathTolerance, nil, Self.derivedPathToleranceFraction * lengthScale)
      try Self.check(
        .pathTolerance, tolerance, pathToleranceSource,
        Self.scaled(Self.pathToleranceFractions, by: lengthScale))
      pathTolerance = tolerance
    } else {
      (pathTolerance, pathToleranceSource) = (nil, .derived)
    }
    let crossings = Self.derivedStepsPerDiagonal * scale.regionDiagonal / stepLength
    let limit = Double(Self.maxStepsLimit(dimension: saddle.coordinates.count))
    let derivedSteps = min(max(1000, crossings.rounded(.up)), limit)
    let steps: Double
    (steps, maxStepsSource) = Self.pick(
      overrides.maxSteps.map(Double.init), file.maxSteps.map(Double.init), derivedSteps)
    try Self.check(.maxSteps, steps, maxStepsSource, (1, limit))
    maxSteps = Int(steps)
  }

  /// The command line's value, else the file's, else the derived one, with its source.
  private static func pick(_ given: Double?, _ file: Double?, _ derived: Double)
    -> (Double, SettingSource)
  {
    if let given { return (given, .commandLine) }
    if let file { return (file, .file) }
    return (derived, .derived)
  }

  private static func scaled(_ fractions: ClosedRange<Double>, by yardstick: Double) -> (
    Double, Double
  ) {
    (fractions.lowerBound * yardstick, fractions.upperBound * yardstick)
  }

  /// The steps this saddle allows: from the longest of the three round-off limits
  /// (`minimumStepFraction`, `coordinateRoundOffFraction`, `energyRoundOffMargin`) to the
  /// region's diagonal, beyond which one step crosses the whole region.
  public static func stepRange(
    _ saddle: StationaryPoint, lengthScale: Double, regionDiagonal: Double
  ) -> (Double, Double) {
    let coordinates = saddle.coordinates.components.map(abs).max() ?? 0
    let curvature = abs(saddle.eigensystem.lowest)
    let energy = (2 * energyRoundOffMargin * Double.ulpOfOne * abs(saddle.energy) / curvature)
      .squareRoot()
    let lowest = max(
      minimumStepFraction * stepScale(lengthScale, regionDiagonal: regionDiagonal),
      coordinateRoundOffFraction * coordinates, energy)
    return (lowest, regionDiagonal)
  }

  /// The length the step is a fraction of: L = G/|λ₁|, but at most the region's diagonal.
  /// A soft saddle (a torsion: |λ₁| a thousandth of the stiff curvatures, so G/|λ₁| is
  /// longer than the whole region) would otherwise derive a step that crosses the region at
  /// once, and refuse every step short enough to follow the path.
  public static func stepScale(_ lengthScale: Double, regionDiagonal: Double) -> Double {
    min(lengthScale, regionDiagonal)
  }

  /// Fails closed: a NaN is outside every range.
  private static func check(
    _ setting: TraceSetting, _ value: Double, _ source: SettingSource, _ range: (Double, Double)
  ) throws(SettingError) {
    guard range.0 <= value, value <= range.1 else {
      throw .outOfRange(setting, value: value, lowest: range.0, highest: range.1, source: source)
    }
  }

  public func options() throws(OptionError) -> TraceOptions {
    try tracer().options
  }

  /// The tracer these settings describe. Its length scale (the graded start's s_c, the
  /// adaptive departure's ℓ) is capped like the step (`stepScale`): on a soft saddle a
  /// graded start over 0.1·G/|λ₁|, longer than the whole path, crept off the saddle in
  /// steps of 10⁻⁵ of h and ran out of steps there.
  public func tracer() throws(OptionError) -> IRCTracer {
    var tracer = try method.tracer(
      stepLength: stepLength, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
      hessian: hessian, pathTolerance: pathTolerance,
      lengthScale: Self.stepScale(lengthScale, regionDiagonal: scale.regionDiagonal))
    tracer.options.gradientNoiseLength = gradientNoiseLength
    return tracer
  }
}

/// A trace setting, for errors that must say which one is out of range.
public enum TraceSetting: String, Sendable, Equatable {
  case stepLength, gradientTolerance, pathTolerance, maxSteps

  /// The setting's name in a sentence.
  public var label: String {
    switch self {
    case .stepLength: "step length"
    case .gradientTolerance: "gradient tolerance"
    case .pathTolerance: "path tolerance"
    case .maxSteps: "max steps"
    }
  }
}

/// A trace setting that this surface and saddle cannot use.
public enum SettingError: Error, Equatable, CustomStringConvertible {
  /// The surface's yardsticks are unusable.
  case scale(ScaleError)
  /// L = G/|λ₁| is outside `SurfaceScale.usableRange`.
  case lengthScale(Double, curvature: Double, gradientScale: Double)
  /// A setting outside the range the surface allows (`lowest > highest` when round-off
  /// leaves no usable value at all).
  case outOfRange(
    TraceSetting, value: Double, lowest: Double, highest: Double, source: SettingSource)

  public var description: String {
    switch self {
    case .scale(let error):
      return error.description
    case .lengthScale(let length, let curvature, let gradient):
      return
        "the saddle's length scale G/|λ₁| = \(Self.format(gradient))/\(Self.format(curvature)) = "
        + "\(Self.format(length)) is outside the usable range "
        + "\(SurfaceScale.usableRange.lowerBound) to \(SurfaceScale.usableRange.upperBound)"
    case .outOfRange(let setting, let value, let lowest, let highest, let source):
      let range =
        lowest <= highest
        ? "from \(Self.format(lowest)) to \(Self.format(highest))"
        : "at least \(Self.format(lowest)) above round-off and at most \(Self.format(highest)): no "
          + "value is usable"
      return "the \(source == .derived ? "derived " : "")\(setting.label) \(Self.format(value)) is "
        + "outside the range this surface and saddle allow, \(range)"
    }
  }

  static func format(_ value: Double) -> String { NumberFormat.significant(value, 4) }
}
