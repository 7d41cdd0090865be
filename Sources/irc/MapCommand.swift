import Foundation
import IRCKit

/// `irc map`: every minimum and saddle of a region and how they connect.
enum MapCommand: Command {
  static let spec = CommandSpec(
    name: "map",
    abstract: "Find every minimum and first-order saddle in a region and the minima each joins.",
    discussion: """
      From every point of an n × n grid over the region: a minimisation and a P-RFO saddle
      search, each verified by its Hessian index; points within 1e-6 of the region's diagonal
      are merged. Then each saddle's IRC is traced ('adaptive') to the minima it joins. All
      cores are used. Prints the points and the connections with both barrier heights.
      """,
    usage:
      "irc map [<potential>] [--range <x0,y0,x1,y1>] [--grid <n>] [--gradient-scale <G>] [--json] [--svg <file>] [--energy-max <e>]",
    positionals: [.potential],
    options: [
      .option("--range", "x0,y0,x1,y1", "The region (default: the file's plotRange)"),
      .option(
        "--grid", "n",
        "Starts per axis, \(SurfaceMap.gridLimits.lowerBound)–\(SurfaceMap.gridLimits.upperBound) "
          + "(default: 12)"),
      Arguments.gradientScaleOption,
      .flag("--json", "Write the graph (nodes, edges) as one JSON document on stdout"),
      .option(
        "--svg", "file",
        "Draw the surface over the region with every point found and the IRCs joining them "
          + "(a name ending in .svg)"),
      .option(
        "--energy-max", "e",
        "Top of the figure's colour scale; higher energies are grey (default: derived)"),
    ])

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    let grid = try arguments.integer("--grid", in: SurfaceMap.gridLimits, spec: spec) ?? 12
    let gradientScale = try arguments.gradientScale(spec: spec)
    let range = try FigureOptions.box(arguments, spec: spec)
    let json = arguments.has("--json")
    console.logToStandardError = json
    var figure = try FigureOptions(mapFigure: arguments, region: range, spec: spec)
    let files = try OutputTransaction([("--svg", figure.svgPath)], spec: spec)
    let (potential, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    try files.refuseOverwriting([("potential file", file)], spec: spec)
    try EngineRun.refuse(potential, in: "map")
    let region = try Self.region(potential, given: range, arguments)
    let start = Date()
    let scale = try Yardsticks.scale(potential, file: file, given: gradientScale, spec: spec)
    let report = try MapReport(potential, region: region, grid: grid, scale: scale)
    let seconds = Date().timeIntervalSince(start)
    console.log("irc map: \(potential.name) (\(file))\n")
    console.log(
      "  region \(region.lower.components) to \(region.upper.components), \(grid) × \(grid) starts, "
        + "\(NumberFormat.fixed(seconds * 1000, 1)) ms, \(report.map.counts)\n\n")
    console.log(Self.table(report))
    if figure.svgPath != nil {
      figure.range = region
      try figure.stage(Self.figure(report, figure.surfaceFigure(potential)), in: files)
    }
    try files.commit(console: console)
    if json { console.out(report.json.serialized() + "\n") }
    return .success
  }

  /// The region to map: `--range`, else the file's plot range; a two-dimensional surface
  /// of no molecule only.
  static func region(
    _ potential: Potential, given range: Potential.Box?, _ arguments: ParsedArguments
  )
    throws -> Potential.Box
  {
    if let molecule = potential.molecule {
      throw CommandError(
        message: "\(potential.name) is a surface of \(molecule.atomCount) atoms "
          + "(\(potential.dimension) Cartesian coordinates); the map searches a two-dimensional "
          + "region. For a molecule use 'irc saddle' or 'irc neb' with XYZ starts, and "
          + "'irc trace --svg' for its profile")
    }
    guard potential.dimension == 2 else {
      throw CommandError(
        message: "\(PotentialLocator.argument(of: arguments)) has \(potential.dimension) "
          + "coordinates; the map searches a two-dimensional region")
    }
    guard let region = range ?? potential.plotRange else {
      throw CommandError(
        message:
          "\(PotentialLocator.argument(of: arguments)) has no plotRange; give --range x0,y0,x1,y1")
    }
    return region
  }

  /// The points found, then the connections with both barriers.
  static func table(_ report: MapReport) -> String {
    var text =
      TraceLog.pad("#", 4) + "  " + TraceLog.pad("kind", 8, right: false)
      + TraceLog.pad("label", 9, right: false)
      + TraceLog.pad("coordinates", 36, right: false) + TraceLog.pad("energy", 18, right: false)
      + "Hessian eigenvalues\n"
    for (index, node) in report.map.nodes.enumerated() {
      let coordinates = node.point.coordinates.map { NumberFormat.significant($0, 9) }
      text +=
        TraceLog.pad(String(index), 4) + "  " + TraceLog.pad(node.kind.rawValue, 8, right: false)
        + TraceLog.pad(node.label ?? "-", 9, right: false)
        + TraceLog.pad("(" + coordinates.joined(separator: ", ") + ")", 36, right: false)
        + TraceLog.pad(NumberFormat.significant(node.point.energy, 12), 18, right: false)
        + TraceLog.eigenvalues(node.point.hessianEigenvalues) + "\n"
    }
    text += "\nconnections (barrier = E(saddle) − E(minimum), each way):\n"
    for edge in report.map.edges {
      let ends = zip(zip(edge.ends, report.barriers(edge)), edge.terminations).map {
        end, termination -> String in
        guard let index = end.0, let barrier = end.1 else { return "(\(termination.name))" }
        return "\(report.name(index)) [\(NumberFormat.significant(barrier, 8))]"
      }
      text += "  \(report.name(edge.saddle)): \(ends.joined(separator: " ↔ "))\n"
    }
    return text
  }

  /// The surface with every point found and the IRCs joining them.
  static func figure(_ report: MapReport, _ surface: SurfaceFigure) throws -> String {
    let markers = report.map.nodes.indices.map { index in
      let node = report.map.nodes[index]
      return PlotMarker(
        coordinates: node.point.coordinates, label: report.name(index),
        kind: node.kind == .minimum ? .minimum : .saddle)
    }
    let curves = report.map.edges.flatMap { edge in
      edge.path.branches.map { branch in
        PlotCurve(points: branch.points.map(\.coordinates), role: .connection)
      }
    }
    return try surface.svg(
      curves: curves, markers: markers, title: "\(report.potentialName): minima, saddles and IRCs")
  }
}
