/// The CSV path log of `shared/reference/outputs.md`.
extension ReactionPath {
  /// The ordered path as CSV (`Trajectory.csv(coordinateNames:shown:)`).
  public func csv(coordinateNames: [String]) -> String {
    trajectory.csv(coordinateNames: coordinateNames)
  }
}
