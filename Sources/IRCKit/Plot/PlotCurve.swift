/// A curve to draw on a surface map, in the surface's coordinates: a branch of a reaction
/// path, a band of images, a connection between stationary points.
public struct PlotCurve: Sendable, Equatable {
  /// What the curve is; decides its colour, line and legend entry.
  public enum Role: String, Sendable, Equatable {
    /// The IRC branch that descends along the transition vector.
    case forwardBranch
    /// The IRC branch that descends against it.
    case backwardBranch
    /// A chain of images (a nudged elastic band): a line with a dot at each image.
    case band
    /// A link between two stationary points (a reaction network's edge): dashed.
    case connection

    /// The legend's words for it.
    public var legendText: String {
      switch self {
      case .forwardBranch: return "forward branch"
      case .backwardBranch: return "backward branch"
      case .band: return "band"
      case .connection: return "connection"
      }
    }
  }

  /// The points in order, each with the surface's dimension (a map uses the first two).
  public var points: [Vector]
  public var role: Role
  /// Draw an arrowhead near the start, pointing along the curve: the direction of descent
  /// from a saddle.
  public var arrow: Bool
  /// The legend's text instead of the role's.
  public var label: String?

  public init(points: [Vector], role: Role, arrow: Bool = false, label: String? = nil) {
    self.points = points
    self.role = role
    self.arrow = arrow
    self.label = label
  }
}
