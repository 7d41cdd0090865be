import IRCKit

/// `irc validate`: check a potential file and that its listed points are what they claim.
enum ValidateCommand: Command {
  static let spec = CommandSpec(
    name: "validate",
    abstract: "Check a potential file and that each listed stationary point is what it claims.",
    discussion: """
      Each listed point must be stationary (the Newton step −H⁻¹∇V to the exact point at
      most 1e-5 of the plot range's diagonal), have the Hessian index of its kind (0 for a
      minimum, 1 for a saddle), and, if it gives an energy, match V there to 1e-5·G·diagonal.
      """,
    usage: "irc validate [<potential>]",
    positionals: [.potential],
    options: [])

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    let (loaded, file) = try PotentialLocator.load(
      arguments.positionals.first ?? PotentialLocator.defaultName)
    // A molecule is checked in mass-weighted coordinates, its index over the internal modes.
    let potential = loaded.massWeighted() ?? loaded
    let scale = potential.scale()
    console.out(
      "irc validate: \(file)\n  \(potential.model.kindName), \(potential.dimension) coordinates, "
        + "gradient scale \(NumberFormat.significant(scale.gradient, 6))\n")
    var failures = 0
    for point in potential.stationaryPoints {
      var evaluator = Evaluator(potential.surface)
      let actual: StationaryPoint
      do {
        actual = try StationaryPoint(at: point.coordinates, on: &evaluator)
      } catch {
        failures += 1
        console.out("  \(point.label): FAIL: \(error)\n")
        continue
      }
      let distance = actual.eigensystem.apply({ -1 / $0 }, to: actual.gradient).norm
      var problems: [String] = []
      if distance > scale.matchTolerance {
        problems.append(
          "not stationary: the exact point is \(NumberFormat.significant(distance, 3)) away")
      }
      let analysis = potential.massWeighting.map {
        HessianAnalysis(at: point.coordinates, on: $0)
      }
      let index = analysis?.index ?? actual.index
      if index != point.kind.index {
        problems.append(
          "Hessian index \(index), but a \(point.kind) has index \(point.kind.index)")
      }
      if let energy = point.energy,
        abs(energy - actual.energy) > scale.gradient * scale.matchTolerance
      {
        problems.append(
          "energy \(NumberFormat.roundTrip(energy)) listed, \(NumberFormat.roundTrip(actual.energy)) computed"
        )
      }
      let status = problems.isEmpty ? "ok" : "FAIL: " + problems.joined(separator: "; ")
      if !problems.isEmpty { failures += 1 }
      console.out(
        "  \(TraceLog.pad(point.label, 8, right: false)) \(TraceLog.pad(point.kind.rawValue, 8, right: false)) "
          + "|∇V| = \(NumberFormat.significant(actual.gradientNorm, 3)), "
          + "\(analysis == nil ? "" : "internal ")eigenvalues "
          + "\(TraceLog.eigenvalues(analysis?.eigenvalues ?? actual.hessianEigenvalues)): \(status)\n"
      )
    }
    if failures > 0 {
      throw CommandError(
        message:
          "\(failures) listed point\(failures == 1 ? " is" : "s are") not what the file claims")
    }
    console.out("  all \(potential.stationaryPoints.count) listed points verified\n")
    return .success
  }
}
