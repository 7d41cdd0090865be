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
  static let other = "#dddddd"
  static let halo = "#1a1a1a"

  /// A rough width of `text` in pixels at `size`: enough to lay out labels.
  static func textWidth(_ text: String, size: Double) -> Double {
    0.6 * size * Double(text.count)
  }

  static func color(of direction: PathDirection) -> String {
    direction == .backward ? backward : forward
  }
}
