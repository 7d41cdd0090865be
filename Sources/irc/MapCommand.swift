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
    let region: Potential.Box
    if let range {
      region = range
    } else if let plotRange = potential.plotRange {
      region = plotRange
    } else {
      throw CommandError(
        message:
          "\(PotentialLocator.argument(of: arguments)) has no plotRange; give --range x0,y0,x1,y1")
    }
    let start = Date()
    let scale = try Yardsticks.scale(potential, file: file, given: gradientScale, spec: spec)
    let map = try SurfaceMap(region: region, grid: grid).build(potential, scale: scale)
    let seconds = Date().timeIntervalSince(start)
    func name(_ index: Int) -> String {
      map.nodes[index].label ?? "#\(index)"
    }
    console.log("irc map: \(potential.name) (\(file))\n")
    console.log(
      "  region \(region.lower.components) to \(region.upper.components), \(grid) × \(grid) starts, "
        + "\(NumberFormat.fixed(seconds * 1000, 1)) ms, \(map.counts)\n\n")
    console.log(
      TraceLog.pad("#", 4) + "  " + TraceLog.pad("kind", 8, right: false)
        + TraceLog.pad("label", 9, right: false)
        + TraceLog.pad("coordinates", 36, right: false) + TraceLog.pad("energy", 18, right: false)
        + "Hessian eigenvalues\n")
    for (index, node) in map.nodes.enumerated() {
      console.log(
        TraceLog.pad(String(index), 4) + "  " + TraceLog.pad(node.kind.rawValue, 8, right: false)
          + TraceLog.pad(node.label ?? "-", 9, right: false)
          + TraceLog.pad(
            "("
              + node.point.coordinates.map { NumberFormat.significant($0, 9) }.joined(
                separator: ", ") + ")",
            36, right: false)
          + TraceLog.pad(NumberFormat.significant(node.point.energy, 12), 18, right: false)
          + TraceLog.eigenvalues(node.point.hessianEigenvalues) + "\n")
    }
    console.log("\nconnections (barrier = E(saddle) − E(minimum), each way):\n")
    for edge in map.edges {
      let saddle = map.nodes[edge.saddle].point
      let ends = zip(edge.ends, edge.terminations).map { end, termination -> String in
        guard let end else { return "(\(termination.name))" }
        return
          "\(name(end)) [\(NumberFormat.significant(saddle.energy - map.nodes[end].point.energy, 8))]"
      }
      console.log("  \(name(edge.saddle)): \(ends.joined(separator: " ↔ "))\n")
    }
    if figure.svgPath != nil {
      figure.range = region
      let surface = try figure.surfaceFigure(potential)
      let markers = map.nodes.enumerated().map { index, node in
        PlotMarker(
          coordinates: node.point.coordinates, label: node.label ?? "#\(index)",
          kind: node.kind == .minimum ? .minimum : .saddle)
      }
      let curves = map.edges.flatMap { edge in
        edge.path.branches.map { branch in
          PlotCurve(points: branch.points.map(\.coordinates), role: .connection)
        }
      }
      try figure.stage(
        surface.svg(
          curves: curves, markers: markers, title: "\(potential.name): minima, saddles and IRCs"),
        in: files)
    }
    try files.commit(console: console)
    if json {
      let document = JSONValue.object([
        .init("potential", .string(potential.name)),
        .init(
          "region",
          .object([
            .init("lower", .numbers(region.lower.components)),
            .init("upper", .numbers(region.upper.components)),
          ])),
        .init("grid", .number(Double(grid))),
        .init(
          "nodes",
          .array(
            map.nodes.map { node in
              .object(
                [
                  .init("label", node.label.map(JSONValue.string) ?? .null),
                  .init("kind", .string(node.kind.rawValue)),
                ]
                  + SaddleCommand.pointMembers(node.point))
            })),
        .init(
          "edges",
          .array(
            map.edges.map { edge in
              let saddle = map.nodes[edge.saddle].point
              return .object([
                .init("saddle", .number(Double(edge.saddle))),
                .init("ends", .array(edge.ends.map { $0.map { .number(Double($0)) } ?? .null })),
                .init("terminations", .array(edge.terminations.map { .string($0.name) })),
                .init(
                  "barriers",
                  .array(
                    edge.ends.map {
                      $0.map { .number(saddle.energy - map.nodes[$0].point.energy) } ?? .null
                    })),
              ])
            })),
        .init("gradientEvaluations", .number(Double(map.counts.gradients))),
        .init("hessianEvaluations", .number(Double(map.counts.hessians))),
      ])
      console.out(document.serialized() + "\n")
    }
    return .success
  }
}
