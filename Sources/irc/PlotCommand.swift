import Foundation
import IRCKit

/// `irc plot`: the contour map of a surface as an SVG figure.
enum PlotCommand: Command {
  static let spec = CommandSpec(
    name: "plot",
    abstract: "Draw a two-dimensional surface as an SVG contour map.",
    discussion: """
      Samples the surface on a grid over its plot range and draws filled contour bands
      (viridis, from the lowest value on the map to a clip) with contour lines, a colour
      bar, axes named by the potential file, and its listed stationary points marked by
      kind. The map is drawn to scale (one unit as long on both axes) unless one side of
      the range is more than three times the other. The same figure options draw the map
      under a path with 'trace --svg'.
      """,
    usage: "irc plot [<potential>] --svg <file> " + FigureOptions.usage,
    positionals: [.potential],
    options: FigureOptions.options(svgHelp: "Write the map to this file (required)"))

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    let figure = try FigureOptions(arguments, spec: spec, requireSVG: true)
    let files = try OutputTransaction([("--svg", figure.svgPath)], spec: spec)
    let (potential, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    try files.refuseOverwriting([("potential file", file)], spec: spec)
    try EngineRun.refuse(potential, in: "plot")
    let start = ContinuousClock.now
    let map = try figure.surfaceFigure(potential)
    let svg = map.svg()
    let elapsed = ContinuousClock.now - start
    console.out("irc plot: \(potential.name) (\(file))\n")
    console.out(figure.describe(map))
    let milliseconds =
      Double(elapsed.components.attoseconds) * 1e-15
      + Double(elapsed.components.seconds) * 1e3
    console.out(
      "  drawn in           \(NumberFormat.fixed(milliseconds, 1)) ms (sampling the grid and "
        + "writing the SVG)\n")
    try figure.stage(svg, in: files)
    try files.commit(console: console)
    return .success
  }
}

/// The figure options shared by `plot`, `trace`, `saddle`, `neb` and `map`: `--svg`,
/// `--range`, `--grid` and `--energy-max`, parsed and checked before anything is computed.
///
/// A command adds `FigureOptions.options(svgHelp:)` to its spec's options, builds
/// `FigureOptions(arguments, spec: spec)` with its other options, names `svgPath` among
/// its `OutputTransaction`'s outputs before computing, calls `check(_:spec:)` once the
/// potential is loaded, then `render(_:curves:markers:profile:title:)` and
/// `stage(_:in:)`.
struct FigureOptions {
  /// Where to write the figure; nil when no figure was asked for.
  var svgPath: String?
  /// The box to draw instead of the file's plot range.
  var range: Potential.Box?
  /// Nodes per side of the sampling grid.
  var grid: Int
  /// The top of the colour scale instead of the default.
  var energyMax: Double?
  /// The map options given on the command line.
  private var given: [String] = []
  /// The potential as the user named it, for errors about it.
  private var potentialArgument: String

  static let usage = "[--range <x0,y0,x1,y1>] [--grid <n>] [--energy-max <e>]"

  /// The option specs, `--svg` first with a help text that says what the command draws;
  /// without `mapOptions` only `--svg` (for `bench`, whose figure is no map).
  static func options(svgHelp: String, mapOptions: Bool = true) -> [OptionSpec] {
    let svg = OptionSpec.option("--svg", "file", svgHelp + " (a name ending in .svg)")
    guard mapOptions else { return [svg] }
    return [
      svg,
      .option(
        "--range", "x0,y0,x1,y1",
        "The box to draw: lower-left and upper-right corners (default: the file's plotRange)"),
      .option(
        "--grid", "n",
        "Sample the surface on n × n nodes, \(SurfaceFigure.gridLimits.lowerBound)–"
          + "\(SurfaceFigure.gridLimits.upperBound) (default: \(SurfaceFigure.defaultGrid))"),
      .option(
        "--energy-max", "e",
        "Top of the colour scale; higher energies are grey (default: the lowest energy on the "
          + "map plus 1.5 times the rise to the highest listed point in view)"),
    ]
  }

  /// Parses and checks the options; `requireSVG` for a command whose only output is the
  /// figure. Without `--svg`, the other figure options are refused: they would do nothing.
  init(_ arguments: ParsedArguments, spec: CommandSpec, requireSVG: Bool = false)
    throws(UsageError)
  {
    potentialArgument = PotentialLocator.argument(of: arguments)
    svgPath = arguments.values["--svg"]
    if requireSVG && svgPath == nil {
      throw UsageError(message: "missing --svg <file>: where to write the figure", command: spec)
    }
    given = ["--range", "--grid", "--energy-max"].filter { arguments.values[$0] != nil }
    if svgPath == nil {
      for name in given {
        throw UsageError(
          message: "\(name) applies to the figure; give --svg <file> too", command: spec)
      }
    }
    try Self.checkSuffix(svgPath, spec: spec)
    range = try Self.box(arguments, spec: spec)
    grid = try arguments.integer("--grid", minimum: 1, spec: spec) ?? SurfaceFigure.defaultGrid
    guard SurfaceFigure.gridLimits.contains(grid) else {
      throw UsageError(
        message: "--grid expects a whole number from \(SurfaceFigure.gridLimits.lowerBound) to "
          + "\(SurfaceFigure.gridLimits.upperBound), got \(grid)",
        command: spec)
    }
    energyMax = try arguments.number("--energy-max", positive: false, spec: spec)
  }

  /// The figure of `map`, whose own `--range` and `--grid` choose the region searched: the
  /// figure draws that region on the default grid, and only `--energy-max` is its own.
  init(mapFigure arguments: ParsedArguments, region: Potential.Box?, spec: CommandSpec)
    throws(UsageError)
  {
    potentialArgument = PotentialLocator.argument(of: arguments)
    svgPath = arguments.values["--svg"]
    try Self.checkSuffix(svgPath, spec: spec)
    energyMax = try arguments.number("--energy-max", positive: false, spec: spec)
    if svgPath == nil && energyMax != nil {
      throw UsageError(
        message: "--energy-max applies to the figure; give --svg <file> too", command: spec)
    }
    range = region
    grid = SurfaceFigure.defaultGrid
  }

  private static func checkSuffix(_ svgPath: String?, spec: CommandSpec) throws(UsageError) {
    if let svgPath, !svgPath.lowercased().hasSuffix(".svg") {
      throw UsageError(
        message: "--svg expects a file name ending in .svg, got '\(svgPath)'", command: spec)
    }
  }

  /// `--range x0,y0,x1,y1`: the lower-left and upper-right corners of a box, checked.
  static func box(_ arguments: ParsedArguments, spec: CommandSpec) throws(UsageError)
    -> Potential.Box?
  {
    guard let corners = try arguments.point("--range", spec: spec) else { return nil }
    guard corners.count == 4 else {
      throw UsageError(
        message: "--range expects four numbers x0,y0,x1,y1 (two corners), got \(corners.count)",
        command: spec)
    }
    guard corners[2] > corners[0], corners[3] > corners[1] else {
      throw UsageError(
        message: "--range x0,y0,x1,y1 needs x1 > x0 and y1 > y0, got "
          + arguments.values["--range", default: ""],
        command: spec)
    }
    let box = Potential.Box(lower: [corners[0], corners[1]], upper: [corners[2], corners[3]])
    do {
      try SurfaceScale.check(box, source: .given)
    } catch {
      throw UsageError(message: "--range: \(error)", command: spec)
    }
    return box
  }

  /// Refuses `--svg`, before anything is computed, for a result whose figure is a map
  /// alone (a saddle search) on a surface that has no map: the same error (exit 1) the map
  /// itself would give.
  func checkMapExists(_ potential: Potential) throws(CommandError) {
    guard svgPath != nil, potential.dimension != 2 else { return }
    throw CommandError(
      message:
        "cannot draw \(potentialArgument): \(PlotError.notTwoDimensional(dimension: potential.dimension))"
    )
  }

  /// The map of `potential` with these options; a surface that cannot be mapped (not
  /// two-dimensional, a clip below its lowest energy, …) is an unusable input (exit 1).
  func surfaceFigure(_ potential: Potential) throws(CommandError) -> SurfaceFigure {
    do {
      return try SurfaceFigure(
        potential: potential, range: range, grid: grid, energyMax: energyMax)
    } catch {
      throw CommandError(message: "cannot draw \(potentialArgument): \(error)")
    }
  }

  /// Refuses the map's options for a surface that has no map (not two-dimensional): its
  /// figure is the profile alone. Call it right after loading the potential.
  func check(_ potential: Potential, spec: CommandSpec) throws(UsageError) {
    guard svgPath != nil, potential.dimension != 2 else { return }
    for name in ["--range", "--grid", "--energy-max"] where given.contains(name) {
      throw UsageError(
        message: "\(name) applies to the map, and \(potentialArgument) has "
          + "\(potential.dimension) coordinates, not 2: its figure is the profile alone",
        command: spec)
    }
  }

  /// The figure of a result: for a two-dimensional surface the map with `curves`,
  /// `markers` and `profile` beside it; for any other dimension the profile alone, or,
  /// without a profile, the map's error (exit 1).
  /// `title` replaces the potential's title as the heading.
  func render(
    _ potential: Potential, curves: [PlotCurve] = [], markers: [PlotMarker] = [],
    profile: ProfileSeries? = nil, title: String? = nil
  ) throws(CommandError) -> String {
    if potential.dimension != 2, let profile {
      var figure = ProfileFigure(series: profile, potential: potential)
      if let title { figure.title = title }
      return figure.svg()
    }
    return try surfaceFigure(potential).svg(
      curves: curves, markers: markers, profile: profile, title: title)
  }

  /// One line for the log: what the map shows.
  func describe(_ figure: SurfaceFigure) -> String {
    let box = figure.range
    let corners = [box.lower[0], box.lower[1], box.upper[0], box.upper[1]]
      .map { NumberFormat.significant($0, 12) }.joined(separator: ",")
    return "  map                \(figure.grid)×\(figure.grid) grid over \(corners)"
      + (range == nil ? " (plot range)" : " (--range)") + "\n"
      + "  colour scale       \(NumberFormat.significant(figure.energyMinimum, 6)) to "
      + "\(NumberFormat.significant(figure.energyMax, 6))"
      + (energyMax == nil ? " (derived)" : " (--energy-max)")
      + ", contours every \(NumberFormat.significant(figure.contourStep, 4))\n"
  }

  /// Stages the figure in the run's output set, written when the set is committed.
  func stage(_ svg: String, in files: OutputTransaction) throws(CommandError) {
    try files.stage(svg, for: "--svg", summary: "(\(svg.utf8.count / 1024) kB)")
  }
}
