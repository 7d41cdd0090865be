/// The minimum-energy path from one minimum to another through the saddles a band found:
/// the IRC of each saddle, chained end to end.
///
/// References:
/// - K. Fukui, Acc. Chem. Res. 14, 363 (1981): with unit masses the IRC is the
///   minimum-energy path, the curve a converged nudged elastic band approximates.
///
/// A band of N images can only approximate that curve to the accuracy its spacing allows:
/// at an image the tangent is a difference of neighbours, off the true tangent by an angle
/// ε = O(hκ), and the image settles ε|∇V|/λ⊥ off the path (0.04 on Müller–Brown with 12
/// images). Once the band has located the saddles, each one's IRC is traced to a path
/// tolerance instead, and the band is re-seated on the result.
public struct MinimumEnergyPath: Sendable {
  /// A point of the path with its arc length from the start.
  public struct Point: Sendable, Equatable {
    public var coordinates: Vector
    public var energy: Double
    public var gradient: Vector
    public var arcLength: Double
    /// The unit direction of travel, where the gradient defines it.
    public var tangent: Vector?
  }

  public var points: [Point]
  /// Whether the chain of IRCs joins the start to the end.
  public var complete: Bool
  /// The saddles in the order the path crosses them.
  public var saddles: [StationaryPoint]
  /// The traces' evaluations.
  public var counts: EvaluationCounts
  /// The first engine failure that ended a trace's branch (the path then stops there).
  public var stopped: EngineFailure?

  /// How each saddle's IRC is traced: the method asked of `TraceSettings` and the tracer
  /// built from the settings. The default, `adaptive` to its path tolerance, suits surfaces
  /// whose gradients cost nothing; an engine's caller passes its own (fewer calls, Hessians
  /// updated rather than evaluated), as its `trace` command would run.
  public struct Tracing: Sendable {
    public var overrides: TraceSettings.Overrides
    public var tracer: @Sendable (TraceSettings) throws -> IRCTracer

    public init(
      overrides: TraceSettings.Overrides,
      tracer: @escaping @Sendable (TraceSettings) throws -> IRCTracer
    ) {
      self.overrides = overrides
      self.tracer = tracer
    }

    public static let adaptive = Tracing(overrides: .init(method: .adaptive)) {
      try $0.tracer()
    }
  }

  /// Chains the IRCs of `saddles` from `start` towards `end`; ends coincide when they are
  /// within `tolerance`, after `rigid` (a point moved rigidly onto a reference) when given:
  /// a molecule's IRC reaches its minima turned as a whole against the band's ends, and the
  /// path then runs in the IRC's frame. `yardsticks` are the surface's
  /// (`Potential.yardsticks`, derived once).
  public static func assemble(
    from start: Vector, to end: Vector, saddles candidates: [StationaryPoint],
    on surface: any Surface, yardsticks: SurfaceYardsticks, tolerance: Double,
    tracing: Tracing = .adaptive, rigid: (@Sendable (Vector, Vector) -> Vector)? = nil
  ) -> MinimumEnergyPath {
    func coincide(_ point: Vector, _ reference: Vector) -> Bool {
      point.distance(to: reference) <= tolerance
        || (rigid.map { $0(point, reference).distance(to: reference) <= tolerance } ?? false)
    }
    var counts = EvaluationCounts()
    var traces: [(saddle: StationaryPoint, path: ReactionPath)] = []
    var stopped: EngineFailure?
    for saddle in candidates where stopped == nil {
      guard
        let settings = try? TraceSettings(
          saddle: saddle, yardsticks: yardsticks, overrides: tracing.overrides),
        let tracer = try? tracing.tracer(settings)
      else { continue }
      let path: ReactionPath
      do {
        path = try tracer.trace(from: saddle, on: surface)
      } catch {
        if case .evaluation(.engine(let failure)) = error { stopped = failure }
        continue
      }
      counts = counts + path.counts
      traces.append((saddle, path))
      for branch in path.branches {
        if case .engineFailed(let failure) = branch.termination, stopped == nil {
          stopped = failure
        }
      }
    }
    var points: [Point] = []
    var crossed: [StationaryPoint] = []
    var current = start
    var used = Set<Int>()
    func append(_ branchPoints: [PathPoint], sign: Double) {
      for point in branchPoints {
        let length =
          points.last.map { $0.arcLength + $0.coordinates.distance(to: point.coordinates) } ?? 0
        let usable = point.kind != .newton && point.kind != .saddle && point.gradientNorm > 0
        points.append(
          Point(
            coordinates: point.coordinates, energy: point.energy, gradient: point.gradient,
            arcLength: length, tangent: usable ? (sign / point.gradientNorm) * point.gradient : nil)
        )
      }
    }
    while !coincide(current, end) {
      guard
        let (index, inbound) = traces.indices.lazy.compactMap({ index -> (Int, Branch)? in
          guard !used.contains(index) else { return nil }
          let branch = traces[index].path.branches.first {
            $0.termination == .converged && coincide($0.end.coordinates, current)
          }
          return branch.map { (index, $0) }
        }).first
      else { break }
      used.insert(index)
      let trace = traces[index]
      let outbound = inbound.direction == .forward ? trace.path.backward : trace.path.forward
      // Down the inbound branch reversed (climbing to the saddle), then down the outbound.
      append(Array(inbound.points.reversed()), sign: 1)
      append(Array(outbound.points.dropFirst()), sign: -1)
      crossed.append(trace.saddle)
      guard outbound.termination == .converged else { break }
      current = outbound.end.coordinates
    }
    // Tangents at the saddles: along the path, from the neighbours.
    for index in points.indices
    where points[index].tangent == nil && index > 0 && index + 1 < points.count {
      points[index].tangent =
        (points[index + 1].coordinates - points[index - 1].coordinates).normalized
    }
    return MinimumEnergyPath(
      points: points, complete: !points.isEmpty && coincide(current, end),
      saddles: crossed, counts: counts, stopped: stopped)
  }

  public var length: Double { points.last?.arcLength ?? 0 }

  /// The point at arc length `s`, by cubic Hermite interpolation between samples where both
  /// have tangents, linear otherwise.
  public func point(at s: Double) -> Vector {
    guard let first = points.first else { return [] }
    guard s > 0 else { return first.coordinates }
    guard let index = points.indices.dropFirst().first(where: { points[$0].arcLength >= s }) else {
      return points[points.count - 1].coordinates
    }
    let a = points[index - 1]
    let b = points[index]
    let h = b.arcLength - a.arcLength
    guard h > 0 else { return b.coordinates }
    return CubicHermite.point(
      (s - a.arcLength) / h, from: a.coordinates, tangent: a.tangent, to: b.coordinates,
      tangent: b.tangent, length: h)
  }
}
