/// The figure of a two-dimensional surface: a contour map over a range, with curves
/// (reaction-path branches, bands, connections) and marked points on it, and optionally
/// the energy and |∇V| profile of a path beside it.
///
/// The surface is sampled once, in the initialiser; `svg` then draws any number of
/// figures from it. Everything drawn is computed from the inputs alone, so the same
/// inputs give the same bytes.
public struct SurfaceFigure: Sendable {
  /// Nodes per side a grid may have: 10 resolves a smooth well roughly; 1000 is a
  /// million evaluations, finer than any screen shows (Müller–Brown: 0.3 s, 250 kB).
  public static let gridLimits = 10...1000
  /// 200 × 200 nodes: contours smooth to a pixel on a map 440 px across, drawn in a few
  /// tens of milliseconds.
  public static let defaultGrid = 200
  /// The largest side of the map's plot area in pixels.
  static let mapSize = 440.0
  /// Beyond this ratio of sides the map is not drawn to scale (the subtitle says so).
  static let maximumAspect = 3.0

  public let potential: Potential
  /// The box drawn: the `range` given, else the file's `plotRange`, else a box around its
  /// listed points.
  public let range: Potential.Box
  /// Nodes per side.
  public let grid: Int
  /// Whether one unit is as long on both axes; false only for a very elongated range.
  public let toScale: Bool
  let samples: ScalarGrid
  let levels: ContourLevels
  let mapFrame: PlotFrame

  /// The lowest energy on the map: the bottom of the colour scale.
  public var energyMinimum: Double { levels.lowest }
  /// The top of the colour scale; above it the map is grey.
  public var energyMax: Double { levels.clip }
  /// The energy between contour lines.
  public var contourStep: Double { levels.step }

  /// Samples `potential` on `grid` × `grid` nodes over `range` (default: its plot range).
  /// - Parameter energyMax: the top of the colour scale (default: see `ContourLevels`).
  /// - Throws: `PlotError` for a surface that is not two-dimensional, an empty range, a
  ///   grid outside `gridLimits`, a clip not above the lowest energy, or a surface with no
  ///   finite value on the grid.
  public init(
    potential: Potential, range: Potential.Box? = nil, grid: Int = defaultGrid,
    energyMax: Double? = nil
  ) throws(PlotError) {
    guard potential.dimension == 2 else {
      throw PlotError.notTwoDimensional(dimension: potential.dimension)
    }
    guard Self.gridLimits.contains(grid) else { throw PlotError.gridOutOfRange(grid) }
    let box = range ?? potential.region()
    guard box.lower.count == 2, box.upper.count == 2,
      box.lower.isFinite, box.upper.isFinite,
      box.upper[0] > box.lower[0], box.upper[1] > box.lower[1]
    else {
      throw PlotError.emptyRange(lower: box.lower.components, upper: box.upper.components)
    }
    self.potential = potential
    self.range = box
    self.grid = grid
    let surface = potential.surface
    samples = ScalarGrid(
      columns: grid, rows: grid, lower: PlotPoint(box.lower[0], box.lower[1]),
      upper: PlotPoint(box.upper[0], box.upper[1])
    ) { x, y in surface.energy(at: [x, y]) }
    guard let finite = samples.finiteRange else { throw PlotError.noFiniteEnergy }
    let inView = potential.stationaryPoints.filter { box.contains($0.coordinates) }
      .map { surface.energy(at: $0.coordinates) }.filter(\.isFinite)
    let lowest = min(finite.lowerBound, inView.min() ?? .infinity)
    var reference = inView.max() ?? lowest
    if !(reference > lowest + 1e-9 * max(1, abs(lowest))) {
      reference = samples.finiteMedian ?? finite.upperBound
    }
    levels = try ContourLevels(
      lowest: lowest, highest: finite.upperBound, reference: reference, energyMax: energyMax)

    let width = box.upper[0] - box.lower[0]
    let height = box.upper[1] - box.lower[1]
    var pixelWidth = Self.mapSize
    var pixelHeight = Self.mapSize
    if width >= height {
      pixelHeight = Self.mapSize * height / width
    } else {
      pixelWidth = Self.mapSize * width / height
    }
    toScale = max(width / height, height / width) <= Self.maximumAspect
    if !toScale {
      pixelWidth = max(pixelWidth, Self.mapSize / Self.maximumAspect)
      pixelHeight = max(pixelHeight, Self.mapSize / Self.maximumAspect)
    }
    mapFrame = PlotFrame(
      left: Self.margin.left, top: Self.margin.top, width: pixelWidth, height: pixelHeight,
      xRange: box.lower[0]...box.upper[0], yRange: box.lower[1]...box.upper[1])
  }

  /// Room left of the map for the y axis, above it for the title.
  static let margin = (left: 78.0, top: 62.0)

  /// Where a point of the surface (two coordinates) is drawn, in pixels from the figure's
  /// top-left corner.
  public func pixel(for point: Vector) -> (x: Double, y: Double) {
    precondition(point.count == 2, "a point of the map has two coordinates")
    let pixel = mapFrame.pixel(point[0], point[1])
    return (pixel.x, pixel.y)
  }

  /// The figure as an SVG document.
  /// - Parameters:
  ///   - curves: drawn on the map in order, over the contours.
  ///   - markers: marked and labelled besides the file's listed stationary points (a
  ///     marker of the same kind within 2 px of a listed point is left out).
  ///   - profile: drawn right of the map.
  ///   - title: the heading; default the potential's title or name.
  public func svg(
    curves: [PlotCurve] = [], markers: [PlotMarker] = [], profile: ProfileSeries? = nil,
    title: String? = nil
  ) -> String {
    let map = MapPanel(
      grid: samples, levels: levels, frame: mapFrame,
      xTitle: axisTitle(potential.coordinateNames[0]),
      yTitle: axisTitle(potential.coordinateNames[1]),
      energyTitle: potential.units.energyLabel("E"))
    var profilePanel: ProfilePanel?
    if let profile {
      profilePanel = ProfilePanel(
        series: profile, left: map.right + 84, top: mapFrame.top, width: 300,
        height: max(mapFrame.height, 320),
        arcLengthTitle: potential.units.lengthLabel("arc length s"),
        energyTitle: map.energyTitle)
    }
    let contentRight = (profilePanel?.gradientFrame.right ?? map.right) + 24
    let contentBottom = max(mapFrame.bottom, profilePanel?.gradientFrame.bottom ?? 0)
    let shownMarkers = allMarkers(markers).filter { marker in
      let pixel = mapFrame.pixel(marker.coordinates[0], marker.coordinates[1])
      return pixel.x >= mapFrame.left - 0.5 && pixel.x <= mapFrame.right + 0.5
        && pixel.y >= mapFrame.top - 0.5 && pixel.y <= mapFrame.bottom + 0.5
    }
    let legend = FigureLegend(
      curves: curves.map { ($0.label ?? $0.role.legendText, $0.role) },
      markerKinds: Set(shownMarkers.map(\.kind)), tolerance: profile?.gradientTolerance != nil)
    let legendTop = contentBottom + 60
    let heading = title ?? potential.title ?? potential.name
    let width = max(
      contentRight, Self.margin.left + legend.width(maximum: 10_000) + 20,
      Self.margin.left + PlotStyle.textWidth(heading, size: 16) + 20,
      Self.margin.left + PlotStyle.textWidth(subtitle, size: 11.5) + 20)
    let legendHeight = legend.height(width: width - Self.margin.left - 20)
    var svg = SVGWriter(
      width: width.rounded(.up), height: (legendTop + legendHeight + 16).rounded(.up),
      fontFamily: PlotStyle.fontFamily, fontSize: PlotStyle.fontSize)
    svg.comment("irc: \(potential.name), \(grid)×\(grid) grid")
    svg.element(
      "rect",
      [
        .number("width", width.rounded(.up)), .number("height", legendTop + legendHeight + 16),
        .text("fill", "#ffffff"),
      ])
    svg.text(
      heading,
      [
        .number("x", Self.margin.left), .number("y", 24), .number("font-size", 16),
        .text("font-weight", "bold"), .text("fill", PlotStyle.text),
      ])
    svg.text(
      subtitle,
      [
        .number("x", Self.margin.left), .number("y", 44), .number("font-size", 11.5),
        .text("fill", "#555555"),
      ])
    map.draw(&svg, curves: curves, markers: shownMarkers)
    profilePanel?.draw(&svg)
    legend.draw(&svg, left: Self.margin.left, top: legendTop, width: width - Self.margin.left - 20)
    return svg.finish()
  }

  private var subtitle: String {
    let unit = potential.units.energy.map { " \($0)" } ?? ""
    var text =
      "\(potential.name) · contours every \(NiceScale.compact(levels.step, digits: 4))\(unit)"
      + " from the lowest value \(NiceScale.compact(levels.lowest, digits: 5)) to "
      + "\(NiceScale.compact(levels.clip, digits: 5)); grey above"
    if !toScale { text += " · axes not to scale" }
    return text
  }

  private func axisTitle(_ name: String) -> String {
    potential.units.lengthLabel(name)
  }

  /// The listed points, then those of `extra` not already marked.
  private func allMarkers(_ extra: [PlotMarker]) -> [PlotMarker] {
    var markers = potential.stationaryPoints.map(PlotMarker.init)
      .filter { $0.coordinates.count == 2 }
    for marker in extra where marker.coordinates.count == 2 {
      let pixel = pixel(for: marker.coordinates)
      let duplicate = markers.contains { listed in
        let other = self.pixel(for: listed.coordinates)
        return listed.kind == marker.kind
          && ((pixel.x - other.x) * (pixel.x - other.x) + (pixel.y - other.y) * (pixel.y - other.y))
            <= 4
      }
      if !duplicate { markers.append(marker) }
    }
    return markers
  }
}

/// The profile alone, for a path on a surface of any dimension.
public struct ProfileFigure: Sendable {
  public var series: ProfileSeries
  public var title: String
  public var units: Units

  public init(series: ProfileSeries, title: String, units: Units = .arbitrary) {
    self.series = series
    self.title = title
    self.units = units
  }

  /// A profile for `potential`'s units, titled by it.
  public init(series: ProfileSeries, potential: Potential) {
    self.init(
      series: series, title: potential.title ?? potential.name, units: potential.units)
  }

  public func svg() -> String {
    let panel = ProfilePanel(
      series: series, left: 80, top: 50, width: 420, height: 420,
      arcLengthTitle: units.lengthLabel("arc length s"), energyTitle: units.energyLabel("E"))
    let directions = Set(series.points.map(\.direction))
    let branches: [(String, PlotCurve.Role)] = [
      (PlotCurve.Role.backwardBranch.legendText, .backwardBranch),
      (PlotCurve.Role.forwardBranch.legendText, .forwardBranch),
    ].filter { directions.contains($0.1 == .forwardBranch ? .forward : .backward) }
    let legend = FigureLegend(
      curves: branches, markerKinds: [], tolerance: series.gradientTolerance != nil)
    let width = 540.0
    let legendTop = panel.gradientFrame.bottom + 60
    let height = legendTop + legend.height(width: width - 100) + 16
    var svg = SVGWriter(
      width: width, height: height.rounded(.up), fontFamily: PlotStyle.fontFamily,
      fontSize: PlotStyle.fontSize)
    svg.element(
      "rect", [.number("width", width), .number("height", height), .text("fill", "#ffffff")])
    svg.text(
      title,
      [
        .number("x", 80), .number("y", 26), .number("font-size", 16), .text("font-weight", "bold"),
        .text("fill", PlotStyle.text),
      ])
    panel.draw(&svg)
    legend.draw(&svg, left: 80, top: legendTop, width: width - 100)
    return svg.finish()
  }
}
