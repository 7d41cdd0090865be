/// One branch of an IRC: from the saddle (point 0) down to where it stopped.
public struct Branch: Sendable, Equatable {
  public var direction: PathDirection
  /// The saddle first, then every accepted point in order.
  public var points: [PathPoint]
  public var termination: Termination
  /// Evaluations spent on this branch (the saddle's own are not included).
  public var counts: EvaluationCounts
  /// Integrator steps that step-length control rejected (their evaluations are counted).
  public var rejectedSteps: Int
  /// The Hessian eigenvalues at the endpoint, when the stopping test computed them.
  public var endEigenvalues: [Double]?
  /// |H⁻¹∇V| at the endpoint, with `endEigenvalues`: how far the Newton estimate puts the
  /// stationary point, i.e. how precisely the end locates it.
  public var endNewtonDistance: Double?

  public var end: PathPoint { points[points.count - 1] }
  /// Accepted steps after the saddle.
  public var steps: Int { points.count - 1 }
  public var arcLength: Double { end.arcLength }
  /// Steps of the final Newton polish.
  public var newtonSteps: Int { points.filter { $0.kind == .newton }.count }
}

/// A point of the whole path in output order, with its signed arc length.
public struct OrderedPathPoint: Sendable, Equatable {
  public var direction: PathDirection
  /// Negative on the backward branch, 0 at the saddle, positive forward.
  public var arcLength: Double
  public var point: PathPoint
}

/// A traced IRC: the saddle, its transition vector and both branches.
public struct ReactionPath: Sendable, Equatable {
  public var saddle: StationaryPoint
  /// The unit transition vector; `forward` descends along it.
  public var transitionVector: Vector
  /// The path's curvature vector at the saddle used by the departure (zero if straight).
  public var departureCurvature: Vector
  /// Gradients spent on the departure's curvature, shared by both branches.
  public var departureCounts: EvaluationCounts
  public var forward: Branch
  public var backward: Branch

  public var branches: [Branch] { [forward, backward] }

  /// From the end of the backward branch, through the saddle, to the end of the forward
  /// branch: the order of XYZ frames and CSV rows.
  public var orderedPoints: [OrderedPathPoint] {
    var ordered: [OrderedPathPoint] = []
    ordered.reserveCapacity(forward.points.count + backward.points.count - 1)
    for point in backward.points.dropFirst().reversed() {
      ordered.append(
        OrderedPathPoint(direction: .backward, arcLength: -point.arcLength, point: point))
    }
    ordered.append(OrderedPathPoint(direction: .saddle, arcLength: 0, point: forward.points[0]))
    for point in forward.points.dropFirst() {
      ordered.append(
        OrderedPathPoint(direction: .forward, arcLength: point.arcLength, point: point))
    }
    return ordered
  }

  /// Every evaluation of the trace after the saddle: both branches and the departure.
  public var counts: EvaluationCounts { forward.counts + backward.counts + departureCounts }

  /// Every branch reached its goal (a minimum, or an asymptotic valley).
  public var reachedGoal: Bool { branches.allSatisfy { $0.termination.reachedGoal } }
}
