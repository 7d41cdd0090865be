/// The map of a two-dimensional surface: filled contour bands under contour lines, the
/// colour bar, axes, and on top the curves and marked points.
struct MapPanel: Sendable {
  let grid: ScalarGrid
  let levels: ContourLevels
  /// The plot area; its data box is the grid's box.
  let frame: PlotFrame
  let xTitle: String
  let yTitle: String
  let energyTitle: String

  /// The colour bar's left edge and width, right of the map.
  var colorBarLeft: Double { frame.right + 18 }
  static let colorBarWidth = 14.0
  /// The right edge of everything the panel draws (colour-bar labels and title included).
  var right: Double { colorBarLeft + Self.colorBarWidth + 70 }

  func draw(_ svg: inout SVGWriter, curves: [PlotCurve], markers: [PlotMarker]) {
    svg.open("defs")
    svg.open("clipPath", [.text("id", "map-area")])
    svg.element("rect", frame.rectAttributes)
    svg.close()
    svg.close()
    svg.open("g", [.text("clip-path", "url(#map-area)")])
    drawBands(&svg)
    for curve in curves { draw(curve, &svg) }
    svg.close()
    svg.axes(
      frame, xTicks: Tick.linear(frame.xRange, target: 6),
      yTicks: Tick.linear(frame.yRange, target: 6), xTitle: xTitle, yTitle: yTitle)
    drawMarkers(markers, &svg)
    drawColorBar(&svg)
  }

  /// Paints from the bottom up: the lowest band's colour everywhere, then for each level
  /// the region above it in the next band's colour, stroked along its edge (the contour
  /// line). Each region lies inside the one before, so every band shows its own colour
  /// and adjacent bands share no seam for antialiasing to bleed through.
  private func drawBands(_ svg: inout SVGWriter) {
    svg.open("g", [.text("class", "bands")])
    svg.element(
      "rect", frame.rectAttributes + [.text("fill", levels.bandColor(0).hex)])
    for (index, level) in levels.levels.enumerated() {
      var path = SVGPath()
      for polygon in MarchingSquares.region(grid, above: level) {
        path.polyline(polygon.map(frame.pixel), closed: true)
      }
      let fill =
        index + 1 < levels.levels.count
        ? levels.bandColor(index + 1).hex : ContourLevels.clippedColor
      svg.element(
        "path",
        [
          .path(path), .text("fill", fill), .text("stroke", "#000000"),
          .number("stroke-opacity", 0.3, decimals: 2), .number("stroke-width", 0.6),
        ])
    }
    svg.close()
  }

  private func draw(_ curve: PlotCurve, _ svg: inout SVGWriter) {
    let pixels = curve.points.map { point -> PlotPoint in
      point.count >= 2 ? frame.pixel(point[0], point[1]) : PlotPoint(.nan, .nan)
    }
    var path = SVGPath()
    path.polyline(pixels)
    let (color, dash, width) = curve.role.stroke
    svg.open("g", [.text("class", "curve \(curve.role.rawValue)")])
    let common: [SVGWriter.Attribute] = [
      .text("fill", "none"), .text("stroke-linejoin", "round"), .text("stroke-linecap", "round"),
    ]
    svg.element(
      "path",
      [
        .path(path), .text("stroke", PlotStyle.halo), .number("stroke-opacity", 0.55, decimals: 2),
        .number("stroke-width", width + 2.4),
      ] + common)
    svg.element(
      "path",
      [.path(path), .text("stroke", color), .number("stroke-width", width)] + common
        + (dash.map { [.text("stroke-dasharray", $0)] } ?? []))
    if curve.role == .band {
      for pixel in pixels {
        svg.element(
          "circle",
          [
            .number("cx", pixel.x), .number("cy", pixel.y), .number("r", 3), .text("fill", color),
            .text("stroke", PlotStyle.halo), .number("stroke-width", 1),
          ])
      }
    }
    if curve.arrow, let head = Self.arrowhead(along: pixels) {
      var triangle = SVGPath()
      triangle.polyline(head, closed: true)
      svg.element(
        "path",
        [
          .path(triangle), .text("fill", color), .text("stroke", PlotStyle.halo),
          .number("stroke-width", 0.8), .text("stroke-linejoin", "round"),
        ])
    }
    svg.close()
  }

  /// A triangle whose tip lies on the polyline 40 % of the way along it (at most 45 px
  /// from the start), pointing along it: the direction of descent from the saddle.
  static func arrowhead(along pixels: [PlotPoint]) -> [PlotPoint]? {
    let points = pixels.filter(\.isFinite)
    guard points.count >= 2 else { return nil }
    var lengths = [0.0]
    for index in 1..<points.count {
      lengths.append(lengths[index - 1] + points[index].distance(to: points[index - 1]))
    }
    let total = lengths[lengths.count - 1]
    guard total >= 12 else { return nil }
    let target = min(0.4 * total, 45)
    guard let after = lengths.firstIndex(where: { $0 >= target }), after > 0 else { return nil }
    let span = lengths[after] - lengths[after - 1]
    let weight = span > 0 ? (target - lengths[after - 1]) / span : 0
    let from = points[after - 1]
    let to = points[after]
    let tip = PlotPoint(from.x + weight * (to.x - from.x), from.y + weight * (to.y - from.y))
    // The direction over the last few pixels before the tip, so a kink does not skew it.
    var back = after - 1
    while back > 0 && points[back].distance(to: tip) < 6 { back -= 1 }
    let tail = points[back]
    let distance = tail.distance(to: tip)
    guard distance > 0 else { return nil }
    let ux = (tip.x - tail.x) / distance
    let uy = (tip.y - tail.y) / distance
    let length = 11.0
    let halfWidth = 5.0
    let baseX = tip.x - length * ux
    let baseY = tip.y - length * uy
    return [
      tip, PlotPoint(baseX - halfWidth * uy, baseY + halfWidth * ux),
      PlotPoint(baseX + halfWidth * uy, baseY - halfWidth * ux),
    ]
  }

  private func drawMarkers(_ markers: [PlotMarker], _ svg: inout SVGWriter) {
    svg.open("g", [.text("class", "markers")])
    for marker in markers {
      guard marker.coordinates.count >= 2 else { continue }
      let pixel = frame.pixel(marker.coordinates[0], marker.coordinates[1])
      guard pixel.isFinite, pixel.x >= frame.left - 0.5, pixel.x <= frame.right + 0.5,
        pixel.y >= frame.top - 0.5, pixel.y <= frame.bottom + 0.5
      else { continue }
      svg.element(
        Self.markerShape(marker.kind).name,
        Self.markerShape(marker.kind).attributes(pixel) + [
          .text("class", "marker \(marker.kind.rawValue)"), .text("fill", "#ffffff"),
          .text("stroke", PlotStyle.halo), .number("stroke-width", 1.3),
        ])
      let onRight = pixel.x > frame.right - 40
      let below = pixel.y < frame.top + 18
      svg.text(
        marker.label,
        [
          .number("x", pixel.x + (onRight ? -8 : 8)), .number("y", pixel.y + (below ? 17 : -7)),
          .text("text-anchor", onRight ? "end" : "start"), .text("font-weight", "bold"),
          .text("fill", "#ffffff"), .text("stroke", PlotStyle.halo), .number("stroke-width", 3),
          .text("stroke-linejoin", "round"), .text("paint-order", "stroke"),
        ])
    }
    svg.close()
  }

  /// The element and attributes of a marker's shape, centred on a pixel.
  static func markerShape(_ kind: PlotMarker.Kind) -> (
    name: String, attributes: (PlotPoint) -> [SVGWriter.Attribute]
  ) {
    switch kind {
    case .minimum:
      return ("circle", { [.number("cx", $0.x), .number("cy", $0.y), .number("r", 4.5)] })
    case .saddle:
      return (
        "path",
        { center in
          var diamond = SVGPath()
          diamond.polyline(
            [
              PlotPoint(center.x, center.y - 6), PlotPoint(center.x + 6, center.y),
              PlotPoint(center.x, center.y + 6), PlotPoint(center.x - 6, center.y),
            ], closed: true)
          return [.path(diamond)]
        }
      )
    case .other:
      return (
        "rect",
        {
          [
            .number("x", $0.x - 4), .number("y", $0.y - 4), .number("width", 8),
            .number("height", 8),
          ]
        }
      )
    }
  }

  /// The colour bar: one block per band, a line at each level, ticks at nice energies, and
  /// a grey cap for the clipped region above the scale.
  private func drawColorBar(_ svg: inout SVGWriter) {
    let cap = 12.0
    let bar = PlotFrame(
      left: colorBarLeft, top: frame.top + cap, width: Self.colorBarWidth,
      height: frame.height - cap, xRange: 0...1, yRange: levels.lowest...levels.clip)
    svg.open("g", [.text("class", "colorbar")])
    var lower = levels.lowest
    for (index, level) in levels.levels.enumerated() {
      let top = bar.pixel(0, level).y
      let bottom = bar.pixel(0, lower).y
      svg.element(
        "rect",
        [
          .number("x", bar.left), .number("y", top), .number("width", bar.width),
          .number("height", bottom - top, decimals: 2), .text("fill", levels.bandColor(index).hex),
        ])
      lower = level
    }
    var capPath = SVGPath()
    capPath.polyline(
      [
        PlotPoint(bar.left, bar.top), PlotPoint(bar.left + bar.width / 2, frame.top),
        PlotPoint(bar.right, bar.top),
      ], closed: true)
    svg.element(
      "path",
      [
        .path(capPath), .text("fill", ContourLevels.clippedColor), .text("stroke", PlotStyle.axis),
        .number("stroke-width", 0.8),
      ])
    var lines = SVGPath()
    for level in levels.levels.dropLast() {
      let y = bar.pixel(0, level).y
      lines.move(to: PlotPoint(bar.left, y))
      lines.line(to: PlotPoint(bar.right, y))
    }
    svg.element(
      "path",
      [
        .path(lines), .text("stroke", "#000000"), .number("stroke-opacity", 0.3, decimals: 2),
        .number("stroke-width", 0.6),
      ])
    var ticks = Tick.linear(levels.lowest...levels.clip, target: 8)
    // Label the clip itself unless a nice tick sits (almost) on it.
    if let last = ticks.last, bar.pixel(0, last.value).y - bar.top > 12 {
      ticks.append(
        Tick(value: levels.clip, label: .text(NiceScale.compact(levels.clip, digits: 4))))
    }
    svg.axes(
      bar, xTicks: [], yTicks: ticks, xTitle: "", yTitle: energyTitle, yOnRight: true,
      xLabels: false)
    svg.close()
  }
}
