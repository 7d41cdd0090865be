/// How figures look: one place for fonts, colours and line widths.
enum PlotStyle {
  static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
  static let fontSize = 12.0
  static let tickFontSize = 11.0
  static let text = "#222222"
  static let axis = "#333333"
  static let grid = "#e4e4e4"
  static let forward = "#ff8c1a"
  static let backward = "#ff4fa3"
  static let band = "#ffffff"
  static let connection = "#ffffff"
  static let halo = "#1a1a1a"

  /// A rough width of `text` in pixels at `size`: enough to lay out labels.
  static func textWidth(_ text: String, size: Double) -> Double {
    0.6 * size * Double(text.count)
  }

  static func color(of direction: PathDirection) -> String {
    direction == .backward ? backward : forward
  }
}

extension PlotCurve.Role {
  /// How a curve of this role is stroked: on the map and in the legend alike.
  var stroke: (color: String, dash: String?, width: Double) {
    switch self {
    case .forwardBranch: return (PlotStyle.forward, nil, 2)
    case .backwardBranch: return (PlotStyle.backward, nil, 2)
    case .band: return (PlotStyle.band, nil, 2)
    case .connection: return (PlotStyle.connection, "6 4", 1.6)
    }
  }
}
