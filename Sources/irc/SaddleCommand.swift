import IRCKit

/// `irc saddle`: refine a first-order saddle from a nearby start.
enum SaddleCommand: Command {
  static let spec = CommandSpec(
    name: "saddle",
    abstract: "Refine a first-order saddle from a nearby start.",
    discussion: """
      Partitioned rational-function optimisation (Baker 1986) on the exact Hessian, with a
      step limit of 5 % of the plot range's shortest side, until |∇V| ≤ 1e-10·G (G the
      surface's gradient scale). The result is verified: exactly one negative Hessian
      eigenvalue. A start from which the search fails or lands on a minimum or a
      higher-order saddle is reported as such (exit 2), never as a saddle.
      """,
    usage: "irc saddle [<potential>] --from <x,y> [--json]",
    positionals: [
      PositionalSpec(
        name: "potential",
        help:
          "A built-in name or a path to a potential file (default: \(PotentialLocator.defaultName))"
      )
    ],
    options: [
      .option("--from", "x,y", "The start of the search (required)"),
      .flag("--json", "Write the result as one JSON document on stdout"),
    ])

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    let start = try StartPoint(arguments, spec: spec, requireFrom: true)
    let json = arguments.has("--json")
    console.logToStandardError = json
    let (potential, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    let coordinates = start.coordinates ?? []
    console.log("irc saddle: \(potential.name) (\(file))\n")
    console.log("  start              \(TraceLog.coordinates(potential, Vector(coordinates)))\n")
    let refined: StartPoint.Refined
    do {
      refined = try start.refine(on: potential, spec: spec, failure: .goalNotReached)
    } catch let error as CommandError {
      if json {
        console.out(
          JSONValue.object([
            .init("potential", .string(potential.name)),
            .init("start", .numbers(coordinates)),
            .init("converged", .bool(false)),
            .init("error", .string(error.message)),
          ]).serialized() + "\n")
      }
      throw error
    }
    let saddle = refined.result.saddle
    let scale = potential.scale(including: saddle.coordinates)
    let match = potential.match(
      saddle.coordinates, kind: .saddle, within: 1e-5 * scale.regionDiagonal)
    console.log(
      "  converged          \(refined.result.iterations) iterations, |∇V| = \(NumberFormat.significant(saddle.gradientNorm, 3))\n"
    )
    console.log("  saddle             \(TraceLog.coordinates(potential, saddle.coordinates))\n")
    console.log("  energy             \(NumberFormat.significant(saddle.energy, 15))\n")
    console.log(
      "  Hessian            eigenvalues \(TraceLog.eigenvalues(saddle.hessianEigenvalues))\n")
    console.log("  matches            \(match?.label ?? "no listed saddle")\n")
    console.log("  evaluations        \(refined.result.counts)\n")
    if json {
      console.out(
        JSONValue.object([
          .init("potential", .string(potential.name)),
          .init("start", .numbers(coordinates)),
          .init("coordinates", .numbers(saddle.coordinates.components)),
          .init("energy", .number(saddle.energy)),
          .init("gradNorm", .number(saddle.gradientNorm)),
          .init("hessianEigenvalues", .numbers(saddle.hessianEigenvalues)),
          .init("converged", .bool(true)),
          .init("iterations", .number(Double(refined.result.iterations))),
          .init("gradientEvaluations", .number(Double(refined.result.counts.gradients))),
          .init("hessianEvaluations", .number(Double(refined.result.counts.hessians))),
          .init("matches", match.map { JSONValue.string($0.label) } ?? .null),
        ]).serialized() + "\n")
    }
    return .success
  }
}
