/// A rectangle of the page that shows a box of data: the one place where data
/// coordinates become pixels (y grows downwards on the page, upwards in the data).
struct PlotFrame: Sendable, Equatable {
  var left: Double
  var top: Double
  var width: Double
  var height: Double
  var xRange: ClosedRange<Double>
  var yRange: ClosedRange<Double>

  var right: Double { left + width }
  var bottom: Double { top + height }

  /// The pixel of the data point (x, y).
  func pixel(_ x: Double, _ y: Double) -> PlotPoint {
    PlotPoint(
      left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * width,
      bottom - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height)
  }

  func pixel(_ point: PlotPoint) -> PlotPoint { pixel(point.x, point.y) }

  /// Whether a value lies in the range, give or take 10⁻⁹ of its span: a tick at k·step
  /// on the range's end may miss it by a rounding.
  func containsX(_ x: Double) -> Bool { Self.within(x, xRange) }
  func containsY(_ y: Double) -> Bool { Self.within(y, yRange) }

  private static func within(_ value: Double, _ range: ClosedRange<Double>) -> Bool {
    let slack = 1e-9 * (range.upperBound - range.lowerBound)
    return value >= range.lowerBound - slack && value <= range.upperBound + slack
  }

  /// The frame's rectangle as attributes of a `<rect>`.
  var rectAttributes: [SVGWriter.Attribute] {
    [
      .number("x", left), .number("y", top), .number("width", width),
      .number("height", height),
    ]
  }
}
