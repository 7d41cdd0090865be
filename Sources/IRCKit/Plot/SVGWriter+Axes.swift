extension SVGWriter {
  /// The frame's border, the ticks and their labels on the bottom and left (or right)
  /// sides, and the axis titles.
  mutating func axes(
    _ frame: PlotFrame, xTicks: [Tick], yTicks: [Tick], xTitle: String, yTitle: String,
    yOnRight: Bool = false, xLabels: Bool = true
  ) {
    open("g", [.text("class", "axes"), .text("fill", PlotStyle.text)])
    element(
      "rect",
      frame.rectAttributes + [
        .text("fill", "none"), .text("stroke", PlotStyle.axis), .number("stroke-width", 1),
      ])
    var marks = SVGPath()
    for tick in xTicks where frame.containsX(tick.value) {
      let x = frame.pixel(tick.value, frame.yRange.lowerBound).x
      marks.move(to: PlotPoint(x, frame.bottom))
      marks.line(to: PlotPoint(x, frame.bottom + (tick.label == nil ? 3 : 5)))
    }
    for tick in yTicks where frame.containsY(tick.value) {
      let y = frame.pixel(frame.xRange.lowerBound, tick.value).y
      let edge = yOnRight ? frame.right : frame.left
      let length = (tick.label == nil ? 3.0 : 5) * (yOnRight ? 1 : -1)
      marks.move(to: PlotPoint(edge, y))
      marks.line(to: PlotPoint(edge + length, y))
    }
    element(
      "path", [.path(marks), .text("stroke", PlotStyle.axis), .number("stroke-width", 1)])
    if xLabels {
      for tick in xTicks where frame.containsX(tick.value) {
        guard let label = tick.label else { continue }
        let x = frame.pixel(tick.value, frame.yRange.lowerBound).x
        tickLabel(
          label, at: PlotPoint(x, frame.bottom + 18), anchor: "middle")
      }
      text(
        xTitle,
        [
          .number("x", frame.left + frame.width / 2), .number("y", frame.bottom + 36),
          .text("text-anchor", "middle"),
        ])
    }
    var widest = 0.0
    for tick in yTicks where frame.containsY(tick.value) {
      guard let label = tick.label else { continue }
      let y = frame.pixel(frame.xRange.lowerBound, tick.value).y
      let x = yOnRight ? frame.right + 8 : frame.left - 8
      tickLabel(label, at: PlotPoint(x, y + 4), anchor: yOnRight ? "start" : "end")
      switch label {
      case .text(let text):
        widest = max(widest, PlotStyle.textWidth(text, size: PlotStyle.tickFontSize))
      case .power(let exponent):
        widest = max(widest, PlotStyle.textWidth("10\(exponent)", size: PlotStyle.tickFontSize))
      }
    }
    let titleX = yOnRight ? frame.right + 22 + widest : frame.left - 16 - widest
    let titleY = frame.top + frame.height / 2
    text(
      yTitle,
      [
        .number("x", titleX), .number("y", titleY), .text("text-anchor", "middle"),
        .text(
          "transform",
          "rotate(-90 \(Self.plain(titleX)) \(Self.plain(titleY)))"),
      ])
    close()
  }

  /// A tick label: plain text, or 10 with a raised exponent.
  mutating func tickLabel(_ label: Tick.Label, at point: PlotPoint, anchor: String) {
    let attributes: [Attribute] = [
      .number("x", point.x), .number("y", point.y), .text("text-anchor", anchor),
      .number("font-size", PlotStyle.tickFontSize),
    ]
    switch label {
    case .text(let content):
      text(content, attributes)
    case .power(let exponent):
      let power = exponent < 0 ? "\u{2212}\(-exponent)" : "\(exponent)"
      text(
        runs: [("10", []), (power, [.text("dy", "-0.45em"), .text("font-size", "0.75em")])],
        attributes)
    }
  }

  /// A number for use inside a text attribute (a transform), fixed point, 1 decimal.
  static func plain(_ value: Double) -> String {
    guard isWritable(value) else { return "0" }
    var bytes: [UInt8] = []
    appendFixed(value, decimals: 1, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}
