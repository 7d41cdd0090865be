/// A traced path as trajectory files (`Trajectory`, the one XYZ and CSV writer).
extension ReactionPath {
  /// The ordered path as trajectory frames: backward branch reversed, saddle, forward.
  public var trajectory: Trajectory {
    Trajectory(
      frames: orderedPoints.map { entry in
        Trajectory.Frame(
          arcLength: entry.arcLength, coordinates: entry.point.coordinates,
          energy: entry.point.energy, gradientNorm: entry.point.gradientNorm,
          step: entry.point.step, segment: .path(entry.direction))
      })
  }

  /// The ordered path as extended-XYZ text (`Trajectory.xyz(potential:)`).
  public func xyz(potential: Potential) -> String {
    trajectory.xyz(potential: potential)
  }
}
