extension Potential.Box {
  /// A point uniform in the box, from a seeded generator (so that a sample can be replayed).
  public func randomPoint(using generator: inout SeededGenerator) -> Vector {
    Vector(lower.indices.map { Double.random(in: lower[$0]...upper[$0], using: &generator) })
  }
}
