import Foundation
import Testing

@testable import IRCKit

/// Whole figures: valid XML, finite numbers, the right pixels, size, and their errors.
struct PlotFigureTests {
  /// The plot area's rectangle: the first `<rect>` of the first axes group.
  static func plotArea(_ elements: [ParsedElement]) throws -> (
    x: Double, y: Double, width: Double, height: Double
  ) {
    let frame = try #require(elements.first { $0.name == "rect" && $0.classes.contains("axes") })
    return (
      try number(frame, "x"), try number(frame, "y"), try number(frame, "width"),
      try number(frame, "height")
    )
  }

  /// The Müller–Brown S1 trace drawn over its map, with its profile: well-formed, no
  /// non-finite number, under 500 kB at a 200 × 200 grid, and each branch's line passes
  /// through the pixels that the plot area's rectangle and the plot range put its points
  /// at (the corners of the range are the rectangle's corners).
  @Test func mullerBrownTraceIsDrawnWhereItsPointsAre() throws {
    let potential = try builtIn("muller-brown")
    let report = try plotTestReport(potential, "S1")
    let figure = try SurfaceFigure(potential: potential, grid: 200)
    let svg = figure.svg(
      curves: PlotCurve.branches(of: report.path), markers: PlotMarker.markers(for: report),
      profile: ProfileSeries(report: report))
    #expect(svg.utf8.count < 500_000)
    let elements = try #require(parseSVG(svg))
    #expect(!containsNonFinite(elements))

    let area = try Self.plotArea(elements)
    let range = try #require(potential.plotRange)
    func expected(_ point: Vector) -> PlotPoint {
      PlotPoint(
        area.x + (point[0] - range.lower[0]) / (range.upper[0] - range.lower[0]) * area.width,
        area.y + area.height - (point[1] - range.lower[1]) / (range.upper[1] - range.lower[1])
          * area.height)
    }
    let corner = figure.pixel(for: range.lower)
    #expect(
      isClose(corner.x, area.x, absolute: 0.05)
        && isClose(corner.y, (area.y + area.height), absolute: 0.05))

    for (role, branch) in [
      ("forwardBranch", report.path.forward), ("backwardBranch", report.path.backward),
    ] {
      let lines = elements.filter {
        $0.name == "path" && $0.classes.contains(role) && $0.attributes["fill"] == "none"
      }
      #expect(lines.count == 2)  // the halo and the line
      let line = try #require(lines.last)
      let drawn = parsePathData(try #require(line.attributes["d"]))
      #expect(drawn.count == 1)
      let vertices = try #require(drawn.first)
      // Every point of the branch within 0.05 px (the rounding) of a vertex, in order;
      // points closer than 0.1 px to the previous one may share its vertex.
      var index = 0
      for point in branch.points {
        let target = expected(point.coordinates)
        while index < vertices.count && vertices[index].distance(to: target) > 0.08 {
          index += 1
        }
        #expect(index < vertices.count, "\(role) point \(point.step) is not on the drawn line")
      }
      #expect(vertices[0].distance(to: expected(report.path.saddle.coordinates)) < 0.08)
      let arrows = elements.filter {
        $0.name == "path" && $0.classes.contains(role) && $0.attributes["fill"] != "none"
      }
      #expect(arrows.count == 1)
    }

    // Each listed point marked once, by kind, where it is.
    let markers = elements.filter { $0.classes.contains("marker") }
    #expect(markers.filter { $0.classes.contains("minimum") }.count == 3)
    #expect(markers.filter { $0.classes.contains("saddle") }.count == 2)
    let ma = try #require(potential.point(labelled: "MA"))
    let drawnMA = try #require(
      markers.first { marker in
        guard let cx = Double(marker.attributes["cx"] ?? ""),
          let cy = Double(marker.attributes["cy"] ?? "")
        else { return false }
        return PlotPoint(cx, cy).distance(to: expected(ma.coordinates)) < 0.08
      })
    #expect(drawnMA.name == "circle")
    let labels = elements.filter { $0.name == "text" }.map(\.text)
    for label in ["MA", "MB", "MC", "S1", "S2", "x", "y"] { #expect(labels.contains(label)) }
  }

  /// The profile: the tolerance line at its |∇V|, both ends marked on both plots, the
  /// saddle too.
  @Test func profileMarksTheToleranceAndTheEnds() throws {
    let potential = try builtIn("muller-brown")
    let report = try plotTestReport(potential, "S2")
    let series = ProfileSeries(report: report)
    #expect(series.points.count == report.path.orderedPoints.count)
    #expect(
      zip(series.points, series.points.dropFirst()).allSatisfy { $0.arcLength < $1.arcLength })
    #expect(series.points.first?.label == "MB" && series.points.last?.label == "MC")
    #expect(series.points.first { $0.direction == .saddle }?.label == "S2")

    let svg = ProfileFigure(series: series, potential: potential).svg()
    let elements = try #require(parseSVG(svg))
    #expect(!containsNonFinite(elements))
    #expect(elements.filter { $0.classes.contains("endpoint") }.count == 4)
    #expect(elements.filter { $0.name == "path" && $0.classes.contains("saddle") }.count == 2)
    let tolerance = try #require(elements.first { $0.classes.contains("tolerance") })
    let data = try #require(tolerance.attributes["d"])
    let line = try #require(parsePathData(data).first)
    let panel = ProfilePanel(
      series: series, left: 80, top: 50, width: 420, height: 420, arcLengthTitle: "",
      energyTitle: "")
    let y = panel.gradientFrame.pixel(0, log10(report.settings.gradientTolerance)).y
    #expect(line.allSatisfy { abs($0.y - y) < 0.06 })
    // |∇V| rises off the saddle above the tolerance and ends below it on both branches.
    let norms = series.points.map(\.gradientNorm)
    #expect(norms.max()! > 100 * report.settings.gradientTolerance)
    #expect(norms.first! < report.settings.gradientTolerance)
    #expect(norms.last! < report.settings.gradientTolerance)
  }

  /// Non-finite and non-positive values in a series are left out of the drawing, never
  /// written: the figure stays valid.
  @Test func nonFiniteProfileValuesAreLeftOut() throws {
    let series = ProfileSeries(
      points: [
        .init(arcLength: -1, energy: -3, gradientNorm: 0, direction: .backward),
        .init(arcLength: 0, energy: .nan, gradientNorm: 1, direction: .saddle, label: "<TS&>"),
        .init(arcLength: 1, energy: .infinity, gradientNorm: .nan, direction: .forward),
      ], gradientTolerance: 1e-3)
    let elements = try #require(parseSVG(ProfileFigure(series: series, title: "a & b").svg()))
    #expect(!containsNonFinite(elements))
  }

  @Test func mapErrorsAreTyped() throws {
    let mullerBrown = try builtIn("muller-brown")
    var threeD = mullerBrown
    threeD.coordinateNames = ["x", "y", "z"]
    #expect(throws: PlotError.notTwoDimensional(dimension: 3)) {
      try SurfaceFigure(potential: threeD)
    }
    #expect(throws: PlotError.gridOutOfRange(5)) {
      try SurfaceFigure(potential: mullerBrown, grid: 5)
    }
    let flat = Potential.Box(lower: [0, 1], upper: [1, 1])
    #expect(throws: PlotError.emptyRange(lower: [0, 1], upper: [1, 1])) {
      try SurfaceFigure(potential: mullerBrown, range: flat)
    }
    #expect(throws: PlotError.energyMaxTooLow(energyMax: -200, lowest: -146.69951720995402)) {
      try SurfaceFigure(potential: mullerBrown, grid: 20, energyMax: -200)
    }
    // A surface with no finite value anywhere in the range has nothing to colour.
    let nowhere = try Potential(
      decoding: """
        {"format": "irc-potential/1", "name": "nowhere", "kind": "expression",
         "coordinates": ["x", "y"], "parameters": {"energy": "log(-1 - x^2 - y^2)"},
         "plotRange": {"lower": [-1, -1], "upper": [1, 1]}}
        """, file: "nowhere.json")
    #expect(throws: PlotError.noFiniteEnergy) {
      try SurfaceFigure(potential: nowhere, grid: 20)
    }
    #expect(
      PlotError.notTwoDimensional(dimension: 3).description
        == "a map needs a surface of 2 coordinates; this one has 3")
  }

  /// Every shipped two-dimensional potential draws a valid map with its points marked.
  @Test func everyShippedSurfaceDrawsAValidMap() throws {
    for name in try shippedPotentialNames() {
      let potential = try builtIn(name)
      guard potential.dimension == 2 else { continue }
      let svg = try SurfaceFigure(potential: potential, grid: 60).svg()
      let elements = try #require(parseSVG(svg), "\(name)")
      #expect(!containsNonFinite(elements), "\(name)")
      let inView = potential.stationaryPoints.filter {
        potential.plotRange?.contains($0.coordinates) ?? true
      }
      #expect(elements.filter { $0.classes.contains("marker") }.count == inView.count, "\(name)")
    }
  }

  /// Accuracy against cost: one line per method and Hessian source in each saddle's
  /// panel, through its points in ladder order; runs without a deviation to draw on a log
  /// axis are left out.
  @Test func benchmarkFigureDrawsOneLinePerMethod() throws {
    func record(
      _ saddle: String, _ method: PathMethod, _ hessian: HessianSource?, _ step: Double,
      _ cost: Int, _ deviation: Double
    ) -> BenchmarkFigure.Run {
      BenchmarkFigure.Run(
        potential: "muller-brown", saddle: saddle, method: method, hessian: hessian,
        setting: step, gradientEquivalents: cost, maxDeviation: deviation)
    }
    let records = [
      record("S1", .euler, nil, 0.04, 200, 1e-2), record("S1", .euler, nil, 0.02, 400, 5e-3),
      record("S1", .euler, nil, 0.01, 800, 2.5e-3), record("S1", .lqa, .exact, 0.02, 300, 1e-4),
      record("S1", .lqa, .updated, 0.02, 250, 3e-4), record("S2", .euler, nil, 0.02, 300, 0),
      record("S2", .euler, nil, 0.01, 600, 1e-3), record("S2", .rk4, nil, 0.01, 900, .nan),
    ]
    let elements = try #require(parseSVG(BenchmarkFigure(runs: records).svg()))
    #expect(!containsNonFinite(elements))
    let panels = elements.filter { $0.name == "g" && $0.attributes["class"] == "panel" }
    #expect(panels.count == 2)
    let lines = elements.filter { $0.name == "g" && $0.attributes["class"] == "method" }
    #expect(
      lines.compactMap { $0.attributes["data-method"] } == [
        "euler", "lqa (exact)", "lqa (updated)", "euler",
      ])
    let circles = elements.filter { $0.name == "circle" && $0.classes.contains("method") }
    #expect(circles.count == 6)
  }

  @Test func branchesAndMarkersFromATrace() throws {
    let potential = try builtIn("muller-brown")
    let report = try plotTestReport(potential, "S1")
    let curves = PlotCurve.branches(of: report.path)
    #expect(curves.map(\.role) == [.backwardBranch, .forwardBranch])
    #expect(curves.allSatisfy { $0.arrow && $0.points.first == report.path.saddle.coordinates })
    let markers = PlotMarker.markers(for: report)
    #expect(markers.map(\.label) == ["S1", "MA", "MC"])
    #expect(markers.map(\.kind) == [.saddle, .minimum, .minimum])
  }

  /// A band of images from MA over S1 to MC and a map's connection: the band's profile is
  /// centred on its highest image, the band drawn with a dot per image, the connection
  /// dashed.
  @Test func bandsAndConnectionsAreDrawn() throws {
    let potential = try builtIn("muller-brown")
    let surface = potential.surface
    let labels = ["MA", "S1", "MC"]
    let corners = try labels.map { try #require(potential.point(labelled: $0)).coordinates }
    var images: [Vector] = []
    for (from, to) in zip(corners, corners.dropFirst()) {
      for step in 0..<4 { images.append(from + (Double(step) / 4) * (to - from)) }
    }
    images.append(corners[2])
    let series = ProfileSeries(
      images: images.map { ($0, surface.energy(at: $0), surface.gradient(at: $0).norm) },
      labels: [0: "MA", 8: "MC"])
    let top = try #require(series.points.firstIndex { $0.direction == .saddle })
    #expect(top == 4)
    #expect(series.points[top].arcLength == 0)
    #expect(series.points[..<top].allSatisfy { $0.direction == .backward && $0.arcLength < 0 })
    #expect(series.points[(top + 1)...].allSatisfy { $0.direction == .forward && $0.arcLength > 0 })
    let length = images[top].distance(to: images[top + 1])
    #expect(isClose(series.points[top + 1].arcLength, length, absolute: 1e-12))

    let svg = try SurfaceFigure(potential: potential, grid: 40).svg(
      curves: [
        PlotCurve(points: images, role: .band),
        PlotCurve(points: [corners[0], corners[2]], role: .connection),
      ], profile: series)
    let elements = try #require(parseSVG(svg))
    #expect(!containsNonFinite(elements))
    #expect(elements.filter { $0.name == "circle" && $0.classes.contains("band") }.count == 9)
    let dashed = elements.filter {
      $0.classes.contains("connection") && $0.attributes["stroke-dasharray"] != nil
    }
    #expect(dashed.count == 1)
    let legend = elements.filter { $0.name == "text" && $0.classes.contains("legend") }.map(\.text)
    #expect(legend.contains("band") && legend.contains("connection"))
  }
}
