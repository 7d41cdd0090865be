/// What a figure cannot draw.
public enum PlotError: Error, Equatable, CustomStringConvertible {
  /// A map needs a surface of two coordinates.
  case notTwoDimensional(dimension: Int)
  /// The range to draw has a side that is not positive, or is not finite.
  case emptyRange(lower: [Double], upper: [Double])
  /// The grid's number of nodes per side is outside `SurfaceFigure.gridLimits`.
  case gridOutOfRange(Int)
  /// The energy clip is not above the lowest energy on the map.
  case energyMaxTooLow(energyMax: Double, lowest: Double)
  /// The surface is not finite anywhere on the grid.
  case noFiniteEnergy

  public var description: String {
    switch self {
    case .notTwoDimensional(let dimension):
      return "a map needs a surface of 2 coordinates; this one has \(dimension)"
    case .emptyRange(let lower, let upper):
      let corners = [lower, upper].map { corner in
        "(" + corner.map { NumberFormat.significant($0, 6) }.joined(separator: ", ") + ")"
      }
      return "the range from \(corners[0]) to \(corners[1]) is empty: "
        + "each upper bound must exceed its lower"
    case .gridOutOfRange(let nodes):
      return "a grid of \(nodes) nodes per side is outside "
        + "\(SurfaceFigure.gridLimits.lowerBound)…\(SurfaceFigure.gridLimits.upperBound)"
    case .energyMaxTooLow(let energyMax, let lowest):
      return "the energy clip \(NumberFormat.significant(energyMax, 6)) is not above the "
        + "lowest energy on the map, \(NumberFormat.significant(lowest, 6))"
    case .noFiniteEnergy:
      return "the surface has no finite energy anywhere on the map"
    }
  }
}
