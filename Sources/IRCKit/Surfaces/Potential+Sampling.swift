extension Potential.Box {
  /// A point uniform in the box, from a seeded generator (so that a sample can be replayed).
  public func randomPoint(using generator: inout SeededGenerator) -> Vector {
    Vector(lower.indices.map { Double.random(in: lower[$0]...upper[$0], using: &generator) })
  }

  /// The centres of an n × n grid of equal cells over a two-dimensional box, row by row
  /// from the lower-left: the starts of the map and of the saddle-search benchmark.
  public func cellCenters(_ n: Int) -> [Vector] {
    (0..<(n * n)).map { index in
      Vector([
        lower[0] + sides[0] * (Double(index % n) + 0.5) / Double(n),
        lower[1] + sides[1] * (Double(index / n) + 0.5) / Double(n),
      ])
    }
  }
}
