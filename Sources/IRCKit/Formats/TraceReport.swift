/// Everything one `trace` run found, with the known points its ends coincide with: the
/// source of the JSON summary and of the human-readable one.
public struct TraceReport: Sendable {
  public var potential: Potential
  public var settings: TraceSettings
  public var refinement: SaddleRefiner.Result
  public var path: ReactionPath

  public init(
    potential: Potential, settings: TraceSettings, refinement: SaddleRefiner.Result,
    path: ReactionPath
  ) {
    self.potential = potential
    self.settings = settings
    self.refinement = refinement
    self.path = path
  }

  /// The integrator the path was traced with: the settings' own, so the report cannot name
  /// another. JSON writes its raw value (`euler`, `rk4`, …).
  public var method: PathMethod { settings.method }

  /// Within which a point coincides with a listed one (`SurfaceScale.matchTolerance`).
  public var matchTolerance: Double { settings.scale.matchTolerance }

  /// The label of the listed saddle the refined saddle coincides with.
  public var saddleLabel: String? {
    potential.match(path.saddle.coordinates, kind: .saddle, within: matchTolerance)?.label
  }

  /// The label of the listed minimum a branch's end coincides with; never one for an
  /// asymptotic end, which is not a minimum. A converged end is as precise as its Newton
  /// estimate, so the tolerance widens to ten times that distance when it is larger (a
  /// loose `--gtol`).
  public func match(_ branch: Branch) -> String? {
    guard branch.termination != .asymptotic else { return nil }
    var tolerance = matchTolerance
    if branch.termination == .converged, let newton = branch.endNewtonDistance {
      tolerance = max(tolerance, 10 * newton)
    }
    return potential.match(branch.end.coordinates, kind: .minimum, within: tolerance)?.label
  }

  public var json: JSONValue {
    let saddle = path.saddle
    return .object([
      .init("potential", .string(potential.name)),
      .init("method", .string(method.rawValue)),
      .init(
        "units",
        .object([
          .init("energy", .string(potential.units.energyName)),
          .init("length", .string(potential.units.lengthName)),
        ])),
      .init(
        "settings",
        .object([
          .init("stepLength", .number(settings.stepLength)),
          .init("gradientTolerance", .number(settings.gradientTolerance)),
          .init("maxSteps", .number(Double(settings.maxSteps))),
          .init("gradientScale", .number(settings.scale.gradient)),
          .init("gradientScaleEvaluations", .number(Double(settings.scale.gradientEvaluations))),
        ])),
      .init(
        "saddle",
        .object([
          .init("label", saddleLabel.map(JSONValue.string) ?? .null),
          .init("coordinates", .numbers(saddle.coordinates.components)),
          .init("energy", .number(saddle.energy)),
          .init("gradNorm", .number(saddle.gradientNorm)),
          .init("hessianEigenvalues", .numbers(saddle.hessianEigenvalues)),
          .init("transitionVector", .numbers(path.transitionVector.components)),
          .init("iterations", .number(Double(refinement.iterations))),
          .init("gradientEvaluations", .number(Double(refinement.counts.gradients))),
          .init("hessianEvaluations", .number(Double(refinement.counts.hessians))),
        ])),
      .init(
        "departure",
        .object([
          .init("curvature", .numbers(path.departureCurvature.components)),
          .init("gradientEvaluations", .number(Double(path.departureCounts.gradients))),
        ])),
      .init("branches", .array(path.branches.map(branchJSON))),
      .init(
        "total",
        .object([
          .init("gradientEvaluations", .number(Double(path.counts.gradients))),
          .init("hessianEvaluations", .number(Double(path.counts.hessians))),
        ])),
    ])
  }

  private func branchJSON(_ branch: Branch) -> JSONValue {
    let end = branch.end
    return .object([
      .init("direction", .string(branch.direction.rawValue)),
      .init("termination", .string(branch.termination.name)),
      .init("reason", branch.termination.reason.map(JSONValue.string) ?? .null),
      .init("steps", .number(Double(branch.steps))),
      .init("arcLength", .number(branch.arcLength)),
      .init("gradientEvaluations", .number(Double(branch.counts.gradients))),
      .init("hessianEvaluations", .number(Double(branch.counts.hessians))),
      .init("rejectedSteps", .number(Double(branch.rejectedSteps))),
      .init("newtonSteps", .number(Double(branch.newtonSteps))),
      .init(
        "end",
        .object([
          .init("coordinates", .numbers(end.coordinates.components)),
          .init("energy", .number(end.energy)),
          .init("gradNorm", .number(end.gradientNorm)),
          .init("hessianEigenvalues", branch.endEigenvalues.map(JSONValue.numbers) ?? .null),
          .init("matches", match(branch).map(JSONValue.string) ?? .null),
        ])),
    ])
  }
}

extension JSONValue {
  /// An array of numbers.
  public static func numbers(_ values: [Double]) -> JSONValue {
    .array(values.map(JSONValue.number))
  }
}
