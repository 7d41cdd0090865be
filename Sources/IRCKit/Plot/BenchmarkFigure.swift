import Foundation

/// Accuracy against cost for `irc bench`: the largest deviation from the exact path
/// against gradient-equivalents, log–log, one panel per saddle and one line per method
/// and Hessian source through its ladder of steps or tolerances, coarsest first (dashed,
/// hollow points: updated Hessians). Down and to the left is better; the slope of a
/// fixed-step method's line is minus its order.
public struct BenchmarkFigure: Sendable {
  /// One measured run, as the figure draws it (the benchmark itself lives in `IRCBench`).
  public struct Run: Sendable, Equatable {
    public var potential: String
    public var saddle: String
    public var method: PathMethod
    public var hessian: HessianSource?
    /// The ladder's setting (the path tolerance, else the step): larger is coarser.
    public var setting: Double
    public var gradientEquivalents: Int
    public var maxDeviation: Double

    public init(
      potential: String, saddle: String, method: PathMethod, hessian: HessianSource?,
      setting: Double, gradientEquivalents: Int, maxDeviation: Double
    ) {
      self.setting = setting
      self.potential = potential
      self.saddle = saddle
      self.method = method
      self.hessian = hessian
      self.gradientEquivalents = gradientEquivalents
      self.maxDeviation = maxDeviation
    }
  }

  public var records: [Run]

  public init(runs: [Run]) {
    self.records = runs
  }

  /// Colours per method in order of first appearance: Okabe and Ito's palette for colour
  /// vision deficiencies, its yellow darkened to read on white.
  static let palette = [
    "#000000", "#e69f00", "#56b4e9", "#009e73", "#0072b2", "#d55e00", "#cc79a7", "#b59a00",
    "#7f7f7f",
  ]
  static let panelSize = (width: 300.0, height: 250.0)
  static let panelsPerRow = 3

  /// Records that can be drawn on log axes.
  private var drawable: [Run] {
    records.filter {
      $0.gradientEquivalents > 0 && $0.maxDeviation > 0 && $0.maxDeviation.isFinite
    }
  }

  public func svg(title: String = "Accuracy against cost") -> String {
    let drawn = drawable
    var saddles: [String] = []
    var methods: [PathMethod] = []
    for record in drawn {
      let saddle = "\(record.potential) \(record.saddle)"
      if !saddles.contains(saddle) { saddles.append(saddle) }
      if !methods.contains(record.method) { methods.append(record.method) }
    }
    let costs = drawn.map { log10(Double($0.gradientEquivalents)) }
    let deviations = drawn.map { log10($0.maxDeviation) }
    let xRange = Self.decadeRange(costs)
    let yRange = Self.decadeRange(deviations)
    let columns = max(1, min(Self.panelsPerRow, saddles.count))
    let rows = max(1, (saddles.count + columns - 1) / columns)
    let left = 84.0
    let top = 70.0
    let horizontalGap = 70.0
    let verticalGap = 78.0
    let width = left + Double(columns) * (Self.panelSize.width + horizontalGap)
    var entries: [(symbol: FigureLegend.Symbol, text: String)] = methods.enumerated().map {
      (
        .line(
          color: Self.palette[$0.offset % Self.palette.count], dash: nil, halo: false, width: 2),
        $0.element.rawValue
      )
    }
    if drawn.contains(where: { $0.hessian == .updated }) {
      entries.append(
        (.line(color: PlotStyle.text, dash: "6 3", halo: false, width: 1.6), "updated Hessians"))
    }
    let legend = FigureLegend(entries: entries)
    let legendTop = top + Double(rows) * (Self.panelSize.height + verticalGap) - 10
    let height = legendTop + legend.height(width: width - left - 20) + 16
    var svg = SVGWriter(
      width: width.rounded(.up), height: height.rounded(.up), fontFamily: PlotStyle.fontFamily,
      fontSize: PlotStyle.fontSize)
    svg.element(
      "rect",
      [.number("width", width.rounded(.up)), .number("height", height), .text("fill", "#ffffff")])
    svg.text(
      title,
      [
        .number("x", left), .number("y", 26), .number("font-size", 16),
        .text("font-weight", "bold"), .text("fill", PlotStyle.text),
      ])
    svg.text(
      "largest deviation from the exact path against gradient-equivalents "
        + "(a Hessian counts 2n gradients), both branches",
      [.number("x", left), .number("y", 45), .number("font-size", 11.5), .text("fill", "#555555")])
    if saddles.isEmpty {
      svg.text("no run to draw", [.number("x", left), .number("y", top + 20)])
    }
    for (index, saddle) in saddles.enumerated() {
      let frame = PlotFrame(
        left: left + Double(index % columns) * (Self.panelSize.width + horizontalGap),
        top: top + Double(index / columns) * (Self.panelSize.height + verticalGap),
        width: Self.panelSize.width, height: Self.panelSize.height, xRange: xRange,
        yRange: yRange)
      drawPanel(
        &svg, frame: frame, title: saddle,
        records: drawn.filter { "\($0.potential) \($0.saddle)" == saddle }, methods: methods)
    }
    legend.draw(&svg, left: left, top: legendTop, width: width - left - 20)
    return svg.finish()
  }

  private func drawPanel(
    _ svg: inout SVGWriter, frame: PlotFrame, title: String, records: [Run],
    methods: [PathMethod]
  ) {
    svg.open("g", [.text("class", "panel")])
    let xTicks = Tick.decades(frame.xRange, maximumLabels: 6)
    let yTicks = Tick.decades(frame.yRange, maximumLabels: 8)
    var grid = SVGPath()
    for tick in xTicks where tick.label != nil {
      let x = frame.pixel(tick.value, frame.yRange.lowerBound).x
      grid.move(to: PlotPoint(x, frame.top))
      grid.line(to: PlotPoint(x, frame.bottom))
    }
    for tick in yTicks where tick.label != nil {
      let y = frame.pixel(frame.xRange.lowerBound, tick.value).y
      grid.move(to: PlotPoint(frame.left, y))
      grid.line(to: PlotPoint(frame.right, y))
    }
    svg.element("path", [.path(grid), .text("stroke", PlotStyle.grid), .number("stroke-width", 1)])
    var groups: [(method: PathMethod, hessian: HessianSource?, records: [Run])] = []
    for record in records {
      if let index = groups.firstIndex(where: {
        $0.method == record.method && $0.hessian == record.hessian
      }) {
        groups[index].records.append(record)
      } else {
        groups.append((record.method, record.hessian, [record]))
      }
    }
    for group in groups {
      let color = Self.palette[(methods.firstIndex(of: group.method) ?? 0) % Self.palette.count]
      // Through the ladder from its coarsest setting to its finest.
      let ladder = group.records.sorted { $0.setting > $1.setting }
      let pixels = ladder.map {
        frame.pixel(log10(Double($0.gradientEquivalents)), log10($0.maxDeviation))
      }
      var line = SVGPath()
      line.polyline(pixels)
      let name = group.method.rawValue + (group.hessian.map { " (\($0.rawValue))" } ?? "")
      svg.open("g", [.text("class", "method"), .text("data-method", name)])
      svg.element(
        "path",
        [
          .path(line), .text("fill", "none"), .text("stroke", color), .number("stroke-width", 1.6),
          .text("stroke-linejoin", "round"),
        ] + (group.hessian == .updated ? [.text("stroke-dasharray", "6 3")] : []))
      for pixel in pixels {
        svg.element(
          "circle",
          [
            .number("cx", pixel.x), .number("cy", pixel.y), .number("r", 2.8),
            .text("fill", group.hessian == .updated ? "#ffffff" : color), .text("stroke", color),
            .number("stroke-width", 1.2),
          ])
      }
      svg.close()
    }
    svg.axes(
      frame, xTicks: xTicks, yTicks: yTicks, xTitle: "gradient-equivalents",
      yTitle: "max deviation")
    svg.text(
      title,
      [
        .number("x", frame.left + frame.width / 2), .number("y", frame.top - 8),
        .text("text-anchor", "middle"), .text("font-weight", "bold"),
      ])
    svg.close()
  }

  /// Whole decades around the values (log₁₀), at least one decade wide.
  static func decadeRange(_ logs: [Double]) -> ClosedRange<Double> {
    guard let low = logs.min(), let high = logs.max() else { return 0...1 }
    let lower = floor(low - 0.05)
    let upper = max(ceil(high + 0.05), lower + 1)
    return lower...upper
  }
}
