/// What an algorithm needs of a potential file besides its surface: the yardsticks (the
/// region, the gradient scale G, and from them the match radius, the trust radius and every
/// derived tolerance) and the file's own choices of step, gradient tolerance and step
/// limit. The names, units, listed points and plot box of `Potential` stay with the file.
public struct SurfaceYardsticks: Sendable, Equatable {
  /// The region and G (`SurfaceScale`): `matchTolerance`, `searchStepLimit`, … derive
  /// from it.
  public var scale: SurfaceScale
  /// The file's `defaults.stepLength`, nil to derive it from the saddle.
  public var stepLength: Double?
  /// The file's `defaults.gradientTolerance`, nil to derive it from G.
  public var gradientTolerance: Double?
  /// The file's `defaults.maxSteps`, nil to derive it from the region.
  public var maxSteps: Int?
  /// The surface is a molecule's: its gradient is exact only to the convergence of its
  /// rigid-body projection, so an end's tiny negative curvature may be the gradient's noise
  /// (`TraceOptions.gradientNoiseLength`).
  public var isMolecular: Bool

  public init(
    scale: SurfaceScale, stepLength: Double? = nil, gradientTolerance: Double? = nil,
    maxSteps: Int? = nil, isMolecular: Bool = false
  ) {
    self.scale = scale
    self.isMolecular = isMolecular
    self.stepLength = stepLength
    self.gradientTolerance = gradientTolerance
    self.maxSteps = maxSteps
  }
}

extension Potential {
  /// The yardsticks of this file: `scale` (`Potential.scale`, derived once per run) and
  /// the file's `defaults`.
  public func yardsticks(_ scale: SurfaceScale) -> SurfaceYardsticks {
    SurfaceYardsticks(
      scale: scale, stepLength: defaults.stepLength,
      gradientTolerance: defaults.gradientTolerance, maxSteps: defaults.maxSteps,
      isMolecular: molecule != nil)
  }
}
