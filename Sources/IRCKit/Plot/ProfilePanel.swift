import Foundation

/// Energy and log₁₀|∇V| against arc length, one above the other on a shared s axis: the
/// energy rises to the saddle and falls to each end; |∇V| rises off the saddle and falls
/// below the tolerance (a dashed line) at each end, whose points are marked.
struct ProfilePanel: Sendable {
  let series: ProfileSeries
  /// The energy plot; the gradient plot sits below it with the same width and s range.
  let energyFrame: PlotFrame
  let gradientFrame: PlotFrame
  let arcLengthTitle: String
  let energyTitle: String

  /// Lays the two plots out in a box whose plot areas start at (`left`, `top`).
  init(
    series: ProfileSeries, left: Double, top: Double, width: Double, height: Double,
    arcLengthTitle: String, energyTitle: String
  ) {
    self.series = series
    self.arcLengthTitle = arcLengthTitle
    self.energyTitle = energyTitle
    let points = series.points.filter { $0.arcLength.isFinite }
    let arcLengths = points.map(\.arcLength)
    var sRange = Self.padded(arcLengths, fraction: 0.03, minimumSpan: 1)
    if points.isEmpty { sRange = 0...1 }
    let energies = points.map(\.energy).filter(\.isFinite)
    let energyRange = Self.padded(energies, fraction: 0.08, minimumSpan: 1)
    var logs = points.map(\.gradientNorm).filter { $0 > 0 && $0.isFinite }.map(log10)
    if let tolerance = series.gradientTolerance, tolerance > 0, tolerance.isFinite {
      logs.append(log10(tolerance))
    }
    var logRange = Self.padded(logs, fraction: 0.05, minimumSpan: 1)
    logRange = floor(logRange.lowerBound)...ceil(logRange.upperBound)
    let gap = 26.0
    let plotHeight = (height - gap) / 2
    energyFrame = PlotFrame(
      left: left, top: top, width: width, height: plotHeight, xRange: sRange,
      yRange: energyRange)
    gradientFrame = PlotFrame(
      left: left, top: top + plotHeight + gap, width: width, height: plotHeight, xRange: sRange,
      yRange: logRange)
  }

  /// The range of `values` widened by `fraction` of its span on each side; a range of
  /// one value (or none) gets `minimumSpan` around it.
  static func padded(_ values: [Double], fraction: Double, minimumSpan: Double)
    -> ClosedRange<Double>
  {
    let finite = values.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else { return 0...minimumSpan }
    guard high > low else {
      let half = max(abs(low) * 0.05, 0.5 * minimumSpan)
      return (low - half)...(high + half)
    }
    let pad = fraction * (high - low)
    return (low - pad)...(high + pad)
  }

  func draw(_ svg: inout SVGWriter) {
    svg.open("g", [.text("class", "profile")])
    let sTicks = Tick.linear(energyFrame.xRange, target: 5)
    drawGrid(&svg, energyFrame, xTicks: sTicks, yTicks: Tick.linear(energyFrame.yRange, target: 5))
    let decadeTicks = Tick.decades(gradientFrame.yRange, maximumLabels: 6)
    drawGrid(&svg, gradientFrame, xTicks: sTicks, yTicks: decadeTicks)
    if let tolerance = series.gradientTolerance, tolerance > 0, tolerance.isFinite {
      let y = gradientFrame.pixel(0, log10(tolerance)).y
      var line = SVGPath()
      line.move(to: PlotPoint(gradientFrame.left, y))
      line.line(to: PlotPoint(gradientFrame.right, y))
      svg.element(
        "path",
        [
          .path(line), .text("class", "tolerance"), .text("stroke", PlotStyle.text),
          .number("stroke-width", 1), .text("stroke-dasharray", "5 3"),
        ])
      let label = "tolerance " + NiceScale.compact(tolerance, digits: 3)
      let anchor = toleranceLabelPlace(y: y, width: PlotStyle.textWidth(label, size: 11))
      svg.text(
        label,
        [
          .number("x", anchor.x), .number("y", anchor.y), .text("text-anchor", anchor.anchor),
          .number("font-size", PlotStyle.tickFontSize), .text("fill", PlotStyle.text),
        ])
    }
    drawCurve(&svg, energyFrame) { $0.energy }
    drawCurve(&svg, gradientFrame) { $0.gradientNorm > 0 ? log10($0.gradientNorm) : .nan }
    drawPoints(&svg, energyFrame) { $0.energy }
    drawPoints(&svg, gradientFrame) { $0.gradientNorm > 0 ? log10($0.gradientNorm) : .nan }
    svg.axes(
      energyFrame, xTicks: sTicks, yTicks: Tick.linear(energyFrame.yRange, target: 5),
      xTitle: "", yTitle: energyTitle, xLabels: false)
    svg.axes(
      gradientFrame, xTicks: sTicks, yTicks: decadeTicks, xTitle: arcLengthTitle,
      yTitle: "|∇V|")
    svg.close()
  }

  /// Where the tolerance's label goes: above the line (below it if the line is near the
  /// top), at the first of right, left, or a quarter in from either side where no point of
  /// the series falls inside the label's box.
  private func toleranceLabelPlace(y: Double, width: Double) -> (
    x: Double, y: Double, anchor: String
  ) {
    let frame = gradientFrame
    let baseline = y - 4 < frame.top + 12 ? y + 13 : y - 4
    let vertices = series.points.map {
      frame.pixel($0.arcLength, $0.gradientNorm > 0 ? log10($0.gradientNorm) : .nan)
    }
    // The drawn line, sampled every 2 px: a steep segment has no vertex near the label.
    var pixels: [PlotPoint] = []
    for (from, to) in zip(vertices, vertices.dropFirst()) where from.isFinite && to.isFinite {
      let count = min(1000, Int(from.distance(to: to) / 2) + 1)
      for step in 0...count {
        let t = Double(step) / Double(count)
        pixels.append(PlotPoint(from.x + t * (to.x - from.x), from.y + t * (to.y - from.y)))
      }
    }
    let candidates: [(x: Double, anchor: String, left: Double)] = [
      (frame.right - 6, "end", frame.right - 6 - width),
      (frame.left + 6, "start", frame.left + 6),
      (frame.left + 0.75 * frame.width, "middle", frame.left + 0.75 * frame.width - width / 2),
      (frame.left + 0.25 * frame.width, "middle", frame.left + 0.25 * frame.width - width / 2),
    ]
    for candidate in candidates {
      let clear = !pixels.contains { pixel in
        pixel.x >= candidate.left - 4 && pixel.x <= candidate.left + width + 4
          && pixel.y >= baseline - 13 && pixel.y <= baseline + 4
      }
      if clear { return (candidate.x, baseline, candidate.anchor) }
    }
    return (candidates[0].x, baseline, candidates[0].anchor)
  }

  /// Light grid lines at the ticks, and a dotted line at s = 0 (the saddle).
  private func drawGrid(_ svg: inout SVGWriter, _ frame: PlotFrame, xTicks: [Tick], yTicks: [Tick])
  {
    var lines = SVGPath()
    for tick in xTicks where frame.containsX(tick.value) {
      let x = frame.pixel(tick.value, 0).x
      lines.move(to: PlotPoint(x, frame.top))
      lines.line(to: PlotPoint(x, frame.bottom))
    }
    for tick in yTicks where frame.containsY(tick.value) && tick.label != nil {
      let y = frame.pixel(0, tick.value).y
      lines.move(to: PlotPoint(frame.left, y))
      lines.line(to: PlotPoint(frame.right, y))
    }
    svg.element(
      "path", [.path(lines), .text("stroke", PlotStyle.grid), .number("stroke-width", 1)])
    if frame.containsX(0) && series.points.contains(where: { $0.direction == .saddle }) {
      var zero = SVGPath()
      let x = frame.pixel(0, 0).x
      zero.move(to: PlotPoint(x, frame.top))
      zero.line(to: PlotPoint(x, frame.bottom))
      svg.element(
        "path",
        [
          .path(zero), .text("stroke", "#999999"), .number("stroke-width", 1),
          .text("stroke-dasharray", "2 3"),
        ])
    }
  }

  /// The series as lines coloured by branch: a segment takes the colour of its end away
  /// from the saddle.
  private func drawCurve(
    _ svg: inout SVGWriter, _ frame: PlotFrame, value: (ProfileSeries.Point) -> Double
  ) {
    let points = series.points
    guard points.count >= 2 else { return }
    var runs: [(color: String, path: SVGPath)] = []
    for index in 1..<points.count {
      let from = points[index - 1]
      let to = points[index]
      let direction = to.direction == .saddle ? from.direction : to.direction
      let color = PlotStyle.color(of: direction)
      let start = frame.pixel(from.arcLength, value(from))
      let end = frame.pixel(to.arcLength, value(to))
      if runs.last?.color != color {
        runs.append((color, SVGPath()))
        runs[runs.count - 1].path.move(to: start)
      }
      runs[runs.count - 1].path.line(to: end)
    }
    for run in runs {
      svg.element(
        "path",
        [
          .path(run.path), .text("class", "series"), .text("fill", "none"),
          .text("stroke", run.color), .number("stroke-width", 1.8),
          .text("stroke-linejoin", "round"),
        ])
    }
  }

  /// Circles at the two ends, a diamond at the saddle, and the labels of labelled points.
  private func drawPoints(
    _ svg: inout SVGWriter, _ frame: PlotFrame, value: (ProfileSeries.Point) -> Double
  ) {
    let points = series.points
    guard let first = points.first, let last = points.last else { return }
    var marked: [ProfileSeries.Point] = [first]
    if points.count > 1 { marked.append(last) }
    marked += points.dropFirst().dropLast().filter { $0.direction == .saddle || $0.label != nil }
    for point in marked {
      let pixel = frame.pixel(point.arcLength, value(point))
      guard pixel.isFinite else { continue }
      let kind: PlotMarker.Kind = point.direction == .saddle ? .saddle : .minimum
      let shape = MapPanel.markerShape(kind)
      svg.element(
        shape.name,
        shape.attributes(pixel) + [
          .text("class", point.direction == .saddle ? "saddle" : "endpoint"),
          .text(
            "fill", point.direction == .saddle ? "#ffffff" : PlotStyle.color(of: point.direction)),
          .text("stroke", PlotStyle.halo), .number("stroke-width", 1.2),
        ])
      if let label = point.label, frame == energyFrame {
        let nearTop = pixel.y < frame.top + 16
        svg.text(
          label,
          [
            .number("x", pixel.x), .number("y", pixel.y + (nearTop ? 18 : -9)),
            .text(
              "text-anchor",
              pixel.x > frame.right - 20 ? "end" : pixel.x < frame.left + 20 ? "start" : "middle"),
            .number("font-size", PlotStyle.tickFontSize), .text("fill", PlotStyle.text),
          ])
      }
    }
  }
}
