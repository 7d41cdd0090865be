import Foundation

/// Every minimum and first-order saddle of a region, and which minima each saddle joins.
///
/// Multistart: from every point of a grid over the region a minimisation and a P-RFO saddle
/// search (which climbs out of minimum basins along the softest mode), both verified by
/// their Hessian index; results within 10⁻⁶ of the region's diagonal are one point. Then
/// every saddle's IRC is traced (`adaptive`, to 10⁻⁴ of the saddle's length scale), and
/// each end joined to the minimum it reaches; a minimum the grid missed but an IRC found is
/// added. Starts and traces run on all cores.
public struct SurfaceMap: Sendable {
  public struct Node: Sendable, Equatable {
    /// The listed label, if the potential file names this point.
    public var label: String?
    public var kind: StationaryKind
    public var point: StationaryPoint
  }

  /// A saddle and the two ends of its IRC.
  public struct Edge: Sendable, Equatable {
    /// The saddle's node index.
    public var saddle: Int
    /// The node each branch reaches (forward, backward); nil for a branch that did not end
    /// at a minimum (asymptotic, or failed), with its termination alongside.
    public var ends: [Int?]
    public var terminations: [Termination]
    /// The traced IRC.
    public var path: ReactionPath
  }

  public struct Result: Sendable {
    /// Minima by ascending energy, then saddles by ascending energy.
    public var nodes: [Node]
    public var edges: [Edge]
    public var starts: Int
    public var counts: EvaluationCounts
  }

  public var region: Potential.Box
  /// Starts per axis.
  public var grid: Int
  /// Starts per axis a map may have: 100 × 100 starts take about 2 s on Müller–Brown
  /// (release build, 2 cores) and hold every result found in a few megabytes.
  public static let gridLimits = 2...100

  public init(region: Potential.Box, grid: Int) throws(OptionError) {
    guard Self.gridLimits.contains(grid) else {
      throw OptionError(
        option: "grid", value: Double(grid),
        expected: "from \(Self.gridLimits.lowerBound) to \(Self.gridLimits.upperBound)")
    }
    guard region.lower.count == 2 else {
      throw OptionError(
        option: "range", value: Double(region.lower.count), expected: "a two-dimensional region")
    }
    self.region = region
    self.grid = grid
  }

  /// Maps `surface` with its yardsticks (`Potential.yardsticks`, derived once). The nodes
  /// carry no labels: `Result.labelled(by:)` names them after a file's listed points.
  public func build(on surface: any Surface, yardsticks: SurfaceYardsticks) throws(OptionError)
    -> Result
  {
    let scale = yardsticks.scale
    let merge = 1e-6 * scale.regionDiagonal
    let minimizer = try Minimizer.scaled(to: scale)
    let saddleSearch = try SaddleSearchMethod.prfo.search(scale: scale)
    let starts = region.cellCenters(grid)
    let found = ParallelMap.map(starts) {
      start -> (StationaryPoint?, StationaryPoint?, EvaluationCounts) in
      var evaluator = Evaluator(surface)
      let minimum = try? minimizer.minimize(from: start, on: &evaluator).saddle
      let saddle = try? saddleSearch.search(from: start, on: &evaluator).saddle
      return (minimum, saddle, evaluator.counts)
    }
    var counts = found.reduce(EvaluationCounts()) { $0 + $1.2 }
    var minima: [StationaryPoint] = []
    var saddles: [StationaryPoint] = []
    func add(_ point: StationaryPoint, to list: inout [StationaryPoint]) {
      guard region.contains(point.coordinates),
        !list.contains(where: { $0.coordinates.distance(to: point.coordinates) <= merge })
      else { return }
      list.append(point)
    }
    for (minimum, saddle, _) in found {
      if let minimum { add(minimum, to: &minima) }
      if let saddle { add(saddle, to: &saddles) }
    }
    saddles.sort { $0.energy < $1.energy }
    let traces = Self.traces(of: saddles, on: surface, yardsticks: yardsticks, minimizer)
    for (_, ends, traceCounts) in traces {
      counts = counts + traceCounts
      for end in ends.compactMap({ $0 }) { add(end, to: &minima) }
    }
    minima.sort { $0.energy < $1.energy }
    var nodes = minima.map { Node(label: nil, kind: .minimum, point: $0) }
    nodes += saddles.map { Node(label: nil, kind: .saddle, point: $0) }
    var edges: [Edge] = []
    for (offset, trace) in traces.enumerated() {
      guard let path = trace.0 else { continue }
      let ends = trace.1.map { end -> Int? in
        guard let end else { return nil }
        return minima.firstIndex { $0.coordinates.distance(to: end.coordinates) <= merge }
      }
      edges.append(
        Edge(
          saddle: minima.count + offset, ends: ends, terminations: path.branches.map(\.termination),
          path: path))
    }
    return Result(nodes: nodes, edges: edges, starts: starts.count, counts: counts)
  }

  /// Each saddle's IRC (`adaptive`), in parallel, with each converged end polished onto
  /// its minimum to compare with the grid's.
  static func traces(
    of saddles: [StationaryPoint], on surface: any Surface, yardsticks: SurfaceYardsticks,
    _ minimizer: Minimizer
  ) -> [(ReactionPath?, [StationaryPoint?], EvaluationCounts)] {
    ParallelMap.map(saddles) { saddle -> (ReactionPath?, [StationaryPoint?], EvaluationCounts) in
      guard
        let settings = try? TraceSettings(
          saddle: saddle, yardsticks: yardsticks, overrides: .init(method: .adaptive)),
        let tracer = try? settings.tracer(),
        let path = try? tracer.trace(from: saddle, on: surface)
      else { return (nil, [], EvaluationCounts()) }
      var evaluator = Evaluator(surface)
      let ends = path.branches.map { branch -> StationaryPoint? in
        guard branch.termination == .converged else { return nil }
        return try? minimizer.minimize(from: branch.end.coordinates, on: &evaluator).saddle
      }
      return (path, ends, path.counts + evaluator.counts)
    }
  }
}

extension SurfaceMap.Result {
  /// The nodes named after the listed points of `potential` they coincide with (within
  /// `tolerance`, the scale's `matchTolerance`).
  public func labelled(by potential: Potential, within tolerance: Double) -> Self {
    var labelled = self
    for index in nodes.indices {
      labelled.nodes[index].label =
        potential.match(nodes[index].point.coordinates, kind: nodes[index].kind, within: tolerance)?
        .label
    }
    return labelled
  }
}
