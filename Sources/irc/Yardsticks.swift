import IRCKit

/// The surface's yardsticks and the trace settings derived from them, with their errors
/// told the way a user can act on: a value from the command line is a usage error (exit 64)
/// naming the option and its range; one from the file, or derived, is an unusable input
/// (exit 1) naming the file and what to set.
enum Yardsticks {
  /// `potential.scale`, with `--gradient-scale` (`given`) first.
  static func scale(
    _ potential: Potential, file: String, including start: Vector? = nil, given: Double?,
    spec: CommandSpec
  ) throws -> SurfaceScale {
    do {
      return try potential.scale(including: start, gradientScale: given)
    } catch {
      throw Self.error(error, file: file, spec: spec)
    }
  }

  /// The trace settings for `saddle`, each checked against the range the surface allows.
  static func settings(
    _ potential: Potential, file: String, saddle: StationaryPoint, scale: SurfaceScale,
    overrides: TraceSettings.Overrides, spec: CommandSpec
  ) throws -> TraceSettings {
    do {
      return try TraceSettings(
        potential: potential, saddle: saddle, scale: scale, overrides: overrides)
    } catch {
      throw Self.error(error, file: file, spec: spec)
    }
  }

  static func error(_ error: ScaleError, file: String, spec: CommandSpec) -> any Error {
    switch error {
    case .gradientScale(_, .commandLine, _):
      return UsageError(message: "--gradient-scale: \(error)", command: spec)
    case .gradientScale(_, .file, _):
      return CommandError(
        message: "\(file): defaults.gradientScale: \(error); set it within that range")
    case .gradientScale, .noFiniteGradient:
      return CommandError(
        message: "\(file): \(error); set defaults.gradientScale in the file or give "
          + "--gradient-scale <G>: a typical |∇V| over the region")
    case .region(_, .given):
      return UsageError(message: "--range: \(error)", command: spec)
    case .region(_, .plotRange):
      return CommandError(message: "\(file): plotRange: \(error); correct plotRange")
    case .region(_, .listedPoints):
      return CommandError(
        message: "\(file): \(error); give the file a plotRange: the region worth searching")
    }
  }

  static func error(_ error: SettingError, file: String, spec: CommandSpec) -> any Error {
    switch error {
    case .scale(let scale):
      return Self.error(scale, file: file, spec: spec)
    case .lengthScale:
      return CommandError(
        message: "\(file): \(error): the saddle is too flat or too sharp for the gradient scale "
          + "G; set defaults.gradientScale or give --gradient-scale <G>")
    case .outOfRange(let setting, _, _, _, let source):
      let (option, field) = names(setting)
      switch source {
      case .commandLine:
        return UsageError(message: "\(option): \(error)", command: spec)
      case .file:
        return CommandError(message: "\(file): \(field): \(error); correct it or give \(option)")
      case .derived:
        return CommandError(
          message: "\(file): \(error); give \(option)"
            + (field.isEmpty ? "" : " or set \(field)")
            + (setting == .stepLength || setting == .pathTolerance
              ? ", or set defaults.gradientScale (the length scale is G/|λ₁|)" : ""))
      }
    }
  }

  /// The command-line option and the file's field of a setting.
  static func names(_ setting: TraceSetting) -> (option: String, field: String) {
    switch setting {
    case .stepLength: ("--step", "defaults.stepLength")
    case .gradientTolerance: ("--gtol", "defaults.gradientTolerance")
    case .pathTolerance: ("--path-tol", "")
    case .maxSteps: ("--max-steps", "defaults.maxSteps")
    }
  }
}
