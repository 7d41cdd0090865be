import IRCBench
import IRCKit

/// `irc bench --surfaces`: what a surface written as a formula costs beside a built-in
/// kind, measured by default on Müller–Brown written both ways (`muller-brown`, a
/// `gaussian-sum`, and `muller-brown-formula`, an `expression`) over the same seeded points
/// of its plot range; any two surfaces of one dimension can be compared.
enum SurfaceTimingReport {
  static let baselineName = "muller-brown"
  static let candidateName = "muller-brown-formula"

  /// Loads both surfaces (by default Müller–Brown written both ways) and times them over
  /// the baseline's plot range.
  static func measure(
    baseline baselineName: String = baselineName, candidate candidateName: String = candidateName,
    _ timing: SurfaceTiming = SurfaceTiming()
  ) throws(CommandError) -> SurfaceTiming.Comparison {
    let baseline = try PotentialLocator.load(baselineName).potential
    let candidate = try PotentialLocator.load(candidateName).potential
    guard baseline.dimension == candidate.dimension else {
      throw CommandError(
        message: "cannot compare \(candidate.name) (\(candidate.dimension) coordinates) with "
          + "\(baseline.name) (\(baseline.dimension)): the timing evaluates both at the same points"
      )
    }
    let region =
      baseline.plotRange
      ?? Potential.Box(
        lower: Vector(repeating: -1, count: baseline.dimension),
        upper: Vector(repeating: 1, count: baseline.dimension))
    return timing.compare(
      baseline: baseline.surface, named: "\(baseline.name) (\(baseline.model.kindName))",
      candidate: candidate.surface, named: "\(candidate.name) (\(candidate.model.kindName))",
      over: region)
  }

  /// A table: ns per call of each evaluation, the ratios, and how far the two disagree.
  static func text(_ comparison: SurfaceTiming.Comparison) -> String {
    let c = comparison
    func row(_ label: String, _ baseline: Double, _ candidate: Double) -> String {
      TraceLog.pad(label, 20, right: false) + TraceLog.pad(NumberFormat.fixed(baseline, 1), 12)
        + TraceLog.pad(NumberFormat.fixed(candidate, 1), 12)
        + TraceLog.pad(NumberFormat.fixed(candidate / baseline, 2) + "×", 9) + "\n"
    }
    let difference = c.relativeDifference
    let largest = max(difference.energy, difference.gradient, difference.hessian)
    let agreement =
      "largest relative difference: energy \(NumberFormat.scientific(difference.energy, 1)), "
      + "gradient \(NumberFormat.scientific(difference.gradient, 1)), "
      + "Hessian \(NumberFormat.scientific(difference.hessian, 1))"
      + (largest < 1e-12 ? " (the same surface to rounding)" : " (different surfaces)") + "\n"
    return "surface timing: \(c.candidateName) against \(c.baselineName)\n"
      + "  \(c.points) seeded points of the plot range (seed \(c.seed)), median of "
      + "\(c.repeats) repeats, ns per call\n\n"
      + TraceLog.pad("evaluation", 20, right: false) + TraceLog.pad("baseline", 12)
      + TraceLog.pad("candidate", 12) + TraceLog.pad("ratio", 9) + "\n"
      + row("energy + gradient", c.baseline.energyAndGradient, c.candidate.energyAndGradient)
      + row("Hessian", c.baseline.hessian, c.candidate.hessian)
      + "\n" + agreement
  }

  /// The same as one JSON object.
  static func json(_ comparison: SurfaceTiming.Comparison) -> JSONValue {
    let c = comparison
    func times(_ times: SurfaceTiming.Times) -> JSONValue {
      [
        "energyAndGradientNanoseconds": .number(times.energyAndGradient),
        "hessianNanoseconds": .number(times.hessian),
      ]
    }
    return [
      "baseline": .string(c.baselineName),
      "candidate": .string(c.candidateName),
      "points": .number(Double(c.points)),
      "repeats": .number(Double(c.repeats)),
      "seed": .number(Double(c.seed)),
      "baselineTimes": times(c.baseline),
      "candidateTimes": times(c.candidate),
      "energyAndGradientRatio": .number(c.energyAndGradientRatio),
      "hessianRatio": .number(c.hessianRatio),
      "relativeDifference": [
        "energy": .number(c.relativeDifference.energy),
        "gradient": .number(c.relativeDifference.gradient),
        "hessian": .number(c.relativeDifference.hessian),
      ],
    ]
  }
}
