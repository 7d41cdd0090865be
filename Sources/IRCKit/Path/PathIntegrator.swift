/// What one integrator step produced: the new point, not yet accepted.
public struct PathStep: Sendable, Equatable {
  public var coordinates: Vector
  public var energy: Double
  public var gradient: Vector
  /// The arc length the step covers along the path.
  public var arcLength: Double

  public init(coordinates: Vector, energy: Double, gradient: Vector, arcLength: Double) {
    self.coordinates = coordinates
    self.energy = energy
    self.gradient = gradient
    self.arcLength = arcLength
  }
}

/// A method for the steepest-descent path dq/ds = −g/|g|: it only knows how to take one
/// step. The `IRCTracer` owns the loop, the first displacement, the log, step-length
/// control and the decision to stop.
///
/// An integrator may keep state between the steps of one branch (a Hessian update, the
/// previous point); the tracer makes a fresh one for each branch.
public protocol PathIntegrator: Sendable {
  /// The name the command line and outputs use (`euler`).
  var name: String { get }

  /// One step of arc length `length` downhill from `point`.
  mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(NonFiniteEvaluation) -> PathStep
}
