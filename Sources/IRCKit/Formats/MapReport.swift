/// Everything one `map` run found, named after the file's listed points: the source of its
/// JSON document and of the table the command prints.
public struct MapReport: Sendable {
  public var potentialName: String
  public var region: Potential.Box
  /// Starts per axis.
  public var grid: Int
  /// The nodes (labelled where they coincide with a listed point) and the edges.
  public var map: SurfaceMap.Result

  /// Maps `potential` over `region` from `grid` × `grid` starts with its yardsticks
  /// `scale` (`Potential.scale`, derived once), and names the points found.
  public init(_ potential: Potential, region: Potential.Box, grid: Int, scale: SurfaceScale)
    throws(OptionError)
  {
    potentialName = potential.name
    self.region = region
    self.grid = grid
    map = try SurfaceMap(region: region, grid: grid).build(potential, scale: scale)
  }

  /// A node's label, else `#index`.
  public func name(_ index: Int) -> String {
    map.nodes[index].label ?? "#\(index)"
  }

  /// E(saddle) − E(end) of each end of `edge`: the barrier from that side; nil where a
  /// branch reached no minimum.
  public func barriers(_ edge: SurfaceMap.Edge) -> [Double?] {
    let saddle = map.nodes[edge.saddle].point
    return edge.ends.map { $0.map { saddle.energy - map.nodes[$0].point.energy } }
  }

  public var json: JSONValue {
    .object([
      .init("potential", .string(potentialName)),
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
              ] + node.point.jsonMembers)
          })),
      .init("edges", .array(map.edges.map(edgeJSON))),
      .init("gradientEvaluations", .number(Double(map.counts.gradients))),
      .init("hessianEvaluations", .number(Double(map.counts.hessians))),
    ])
  }

  private func edgeJSON(_ edge: SurfaceMap.Edge) -> JSONValue {
    .object([
      .init("saddle", .number(Double(edge.saddle))),
      .init("ends", .array(edge.ends.map { $0.map { .number(Double($0)) } ?? .null })),
      .init("terminations", .array(edge.terminations.map { .string($0.name) })),
      .init("barriers", .array(barriers(edge).map { $0.map(JSONValue.number) ?? .null })),
    ])
  }
}

extension SurfaceMap {
  /// Maps the surface of `potential` with its yardsticks and names the nodes after its
  /// listed points.
  public func build(_ potential: Potential, scale: SurfaceScale) throws(OptionError) -> Result {
    try build(on: potential.surface, yardsticks: potential.yardsticks(scale))
      .labelled(by: potential, within: scale.matchTolerance)
  }
}
