/// Which part of a reaction path a point belongs to.
public enum PathDirection: String, Sendable, Equatable, CaseIterable {
  /// Descending against the transition vector; arc length is negative in the ordered path.
  case backward
  /// The saddle itself, s = 0.
  case saddle
  /// Descending along the transition vector (its largest-magnitude component positive).
  case forward

  /// +1 forward, −1 backward, 0 at the saddle.
  public var sign: Double {
    switch self {
    case .backward: return -1
    case .saddle: return 0
    case .forward: return 1
    }
  }
}

/// How a point of a branch was reached.
public enum PathStepKind: String, Sendable, Equatable {
  /// The saddle (step 0).
  case saddle
  /// The first displacement off the saddle along the transition vector.
  case displacement
  /// A step of the path integrator.
  case integrator
  /// A step along the flow of the local quadratic model (Page–McIver), taken where the
  /// explicit integrator step overshoots: in stiff valleys and near a minimum.
  case quadratic
  /// A Newton step of the final polish onto a minimum (positive-definite Hessian, minimum
  /// within one step).
  case newton
}

/// One point of a traced branch.
public struct PathPoint: Sendable, Equatable {
  /// 0 at the saddle, counting up along the branch.
  public var step: Int
  /// Arc length from the saddle along the branch (non-negative).
  public var arcLength: Double
  public var coordinates: Vector
  public var energy: Double
  public var gradient: Vector
  public var kind: PathStepKind

  public init(
    step: Int, arcLength: Double, coordinates: Vector, energy: Double, gradient: Vector,
    kind: PathStepKind
  ) {
    self.step = step
    self.arcLength = arcLength
    self.coordinates = coordinates
    self.energy = energy
    self.gradient = gradient
    self.kind = kind
  }

  public var gradientNorm: Double { gradient.norm }
}
