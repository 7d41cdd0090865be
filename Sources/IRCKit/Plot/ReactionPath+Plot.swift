extension PlotCurve {
  /// The two branches of `path`, backward then forward, each from the saddle down, with an
  /// arrow showing the direction of descent.
  public static func branches(of path: ReactionPath) -> [PlotCurve] {
    [path.backward, path.forward].map { branch in
      PlotCurve(
        points: branch.points.map(\.coordinates),
        role: branch.direction == .forward ? .forwardBranch : .backwardBranch, arrow: true)
    }
  }
}

extension PlotMarker {
  /// The points of a trace worth marking besides the file's listed ones: its saddle, and
  /// each branch's end, labelled by the listed point it matches, else by its termination
  /// (an asymptotic end, or one that stopped short, is marked as `other`). A figure leaves
  /// out those that coincide with a listed point.
  public static func markers(for report: TraceReport) -> [PlotMarker] {
    var markers = [
      PlotMarker(
        coordinates: report.path.saddle.coordinates, label: report.saddleLabel ?? "saddle",
        kind: .saddle)
    ]
    for branch in [report.path.backward, report.path.forward] {
      if let label = report.match(branch) {
        markers.append(
          PlotMarker(coordinates: branch.end.coordinates, label: label, kind: .minimum))
      } else {
        markers.append(
          PlotMarker(
            coordinates: branch.end.coordinates,
            label: "\(branch.direction.rawValue) end (\(branch.termination.name))", kind: .other))
      }
    }
    return markers
  }
}

extension ProfileSeries {
  /// The whole path from the end of the backward branch through the saddle to the end of
  /// the forward branch, against signed arc length.
  /// - Parameters:
  ///   - gradientTolerance: drawn as a line on the |∇V| plot.
  ///   - labels: written beside the saddle and the branch ends, by direction.
  public init(
    path: ReactionPath, gradientTolerance: Double?, labels: [PathDirection: String] = [:]
  ) {
    let ordered = path.orderedPoints
    var points = ordered.map { point in
      Point(
        arcLength: point.arcLength, energy: point.point.energy,
        gradientNorm: point.point.gradientNorm, direction: point.direction,
        label: point.direction == .saddle ? labels[.saddle] : nil)
    }
    if let first = points.indices.first, points[first].direction == .backward {
      points[first].label = labels[.backward]
    }
    if let last = points.indices.last, points[last].direction == .forward {
      points[last].label = labels[.forward]
    }
    self.init(points: points, gradientTolerance: gradientTolerance)
  }

  /// The profile of a trace: its tolerance, the saddle and the ends labelled by the listed
  /// points they match.
  public init(report: TraceReport) {
    var labels: [PathDirection: String] = [:]
    labels[.saddle] = report.saddleLabel
    labels[.backward] = report.match(report.path.backward)
    labels[.forward] = report.match(report.path.forward)
    self.init(
      path: report.path, gradientTolerance: report.settings.gradientTolerance, labels: labels)
  }
}
