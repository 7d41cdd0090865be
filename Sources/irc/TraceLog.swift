import IRCKit

/// The human-readable trace log: settings, a line per step, a summary per branch.
enum TraceLog {
  static func pad(_ text: String, _ width: Int, right: Bool = true) -> String {
    let padding = String(repeating: " ", count: max(0, width - text.count))
    return right ? padding + text : text + padding
  }

  static func coordinates(_ potential: Potential, _ point: Vector) -> String {
    zip(potential.coordinateNames, point.components)
      .map { "\($0) = \(NumberFormat.significant($1, 12))" }.joined(separator: ", ")
  }

  static func eigenvalues(_ values: [Double]) -> String {
    values.map { NumberFormat.significant($0, 6) }.joined(separator: ", ")
  }

  static func header(
    potential: Potential, file: String, refinement: StartPoint.Refined,
    settings: TraceSettings, transitionVector: Vector
  ) -> String {
    let saddle = refinement.result.saddle
    let units =
      potential.energyUnit == "arbitrary"
      ? "" : " (energy in \(potential.energyUnit), length in \(potential.lengthUnit))"
    var text = "irc trace: \(potential.name)" + (potential.title.map { " — \($0)" } ?? "") + "\n"
    func row(_ label: String, _ value: String) {
      text += "  " + pad(label, 19, right: false) + value + "\n"
    }
    row("potential file", file + units)
    row(
      "saddle",
      "\(refinement.origin): \(refinement.result.iterations) iterations, "
        + "|∇V| = \(NumberFormat.significant(saddle.gradientNorm, 3))")
    row(
      "",
      coordinates(potential, saddle.coordinates)
        + ", E = \(NumberFormat.significant(saddle.energy, 15))")
    row("", "Hessian eigenvalues " + eigenvalues(saddle.hessianEigenvalues))
    row(
      "transition vector",
      "(" + transitionVector.map { NumberFormat.significant($0, 6) }.joined(separator: ", ")
        + "); forward descends along it")
    var method = settings.method.rawValue
    if settings.method.usesHessians {
      method += " (\(settings.hessian.rawValue) Hessians, \(settings.hessianSource.rawValue))"
    }
    row("method", method)
    if let tolerance = settings.pathTolerance {
      row(
        "path tolerance",
        "\(NumberFormat.significant(tolerance, 6)) per step (\(settings.pathToleranceSource.rawValue))"
      )
    }
    row(
      settings.method.isAdaptive ? "first step" : "step length",
      "\(NumberFormat.significant(settings.stepLength, 6)) (\(settings.stepLengthSource.rawValue))")
    row(
      "gradient tolerance",
      "\(NumberFormat.significant(settings.gradientTolerance, 6)) (\(settings.gradientToleranceSource.rawValue))"
    )
    row("max steps", "\(settings.maxSteps) per branch (\(settings.maxStepsSource.rawValue))")
    let scaleSource =
      settings.scale.gradientSource == .file
      ? "potential file"
      : potential.molecule != nil
        ? "ℓ·|λ₁| at the start, ℓ = half the shortest interatomic distance in q"
        : "median |∇V| over the \(potential.plotRange == nil ? "region of the listed points" : "plot range")"
    row(
      "gradient scale G", "\(NumberFormat.significant(settings.scale.gradient, 6)) (\(scaleSource))"
    )
    text +=
      "\n" + pad("branch", 9, right: false) + pad("step", 6) + pad("s", 12) + pad("E", 20)
      + pad("|∇V|", 11)
      + "\n"
    return text
  }

  static func stepLine(_ direction: PathDirection, _ point: PathPoint) -> String {
    let signed = direction.sign * point.arcLength
    var line =
      pad(direction.rawValue, 9, right: false) + pad(String(point.step), 6)
      + pad(NumberFormat.fixed(signed == 0 ? 0 : signed, 6), 12)
      + pad(NumberFormat.significant(point.energy, 13, keepZeros: true), 20)
      + pad(NumberFormat.scientific(point.gradientNorm, 3), 11)
    switch point.kind {
    case .displacement: line += "  displacement"
    case .quadratic: line += "  quadratic"
    case .newton: line += "  newton"
    case .saddle, .integrator: break
    }
    return line + "\n"
  }

  static func summary(_ report: TraceReport) -> String {
    var text = "\n"
    let path = report.path
    if path.departureCounts.gradients > 0 {
      text +=
        "departure: along the path's curvature c = ("
        + path.departureCurvature.map { NumberFormat.significant($0, 6) }.joined(separator: ", ")
        + ") at the saddle, from \(path.departureCounts.gradients) gradients shared by both branches\n"
    }
    for branch in report.path.branches {
      let end = branch.end
      let label = pad(branch.direction.rawValue + ":", 10, right: false)
      let indent = String(repeating: " ", count: 10)
      let signed = branch.direction.sign * branch.arcLength
      text +=
        label + "\(branch.termination.name) after \(branch.steps) steps, s = "
        + NumberFormat.fixed(signed == 0 ? 0 : signed, 6) + "\n"
      if let reason = branch.termination.reason { text += indent + "reason: \(reason)\n" }
      text += indent + coordinates(report.potential, end.coordinates) + "\n"
      text +=
        indent + "E = \(NumberFormat.significant(end.energy, 15)), |∇V| = "
        + NumberFormat.significant(end.gradientNorm, 3)
      if let match = report.match(branch) {
        text += ", matches \(match)"
      } else if branch.termination == .asymptotic {
        text += ", not a minimum (lowest Hessian eigenvalue ≈ 0)"
      } else {
        text += ", matches no listed minimum"
      }
      text += "\n"
      if let values = branch.endEigenvalues {
        text += indent + "Hessian eigenvalues " + eigenvalues(values) + "\n"
      }
      var cost = "\(branch.counts)"
      var notes: [String] = []
      if branch.rejectedSteps > 0 { notes.append("\(branch.rejectedSteps) rejected") }
      let quadratic = branch.points.filter { $0.kind == .quadratic }.count
      if quadratic > 0 { notes.append("\(quadratic) quadratic-model steps") }
      if branch.newtonSteps > 0 { notes.append("\(branch.newtonSteps) Newton polish") }
      if !notes.isEmpty { cost += " (" + notes.joined(separator: ", ") + ")" }
      text += indent + cost + "\n"
    }
    text +=
      "total:    \(path.counts) after the saddle\n"
    return text
  }
}
