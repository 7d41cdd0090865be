/// What one integrator step produced: the new point, not yet accepted.
public struct PathStep: Sendable, Equatable {
  public var coordinates: Vector
  public var energy: Double
  public var gradient: Vector
  /// The arc length the step covers along the path.
  public var arcLength: Double
  /// An estimate of the step's local position error, from methods that make one (an
  /// embedded pair); the tracer's error control uses it when a path tolerance is set.
  public var errorEstimate: Double?
  /// How far the energy and gradient were carried by a Taylor step from where they were
  /// evaluated (predictor–corrector methods evaluate at the predicted point and report
  /// the corrected one); 0 when they were evaluated at `coordinates` itself.
  public var transported: Double
  /// h·ρ, ρ an estimate of the direction field's largest rate of change (its Lipschitz
  /// constant) from two stages of the step: an explicit method is unstable, and its error
  /// estimate unreliable, once this passes its stability bound (3.3 for DOPRI5).
  public var stiffness: Double?
  /// How the point was reached: `.integrator`, or `.newton` for a (quasi-)Newton step onto
  /// a minimum, whose error estimate is then the distance still left to it.
  public var kind: PathStepKind
  /// A Hessian the step evaluated (a Hessian-based method's periodic re-evaluation), with
  /// where and at which gradient: the tracker's own updated Hessian restarts from it, so
  /// that the polish near a minimum works on the freshest Hessian the branch has.
  public var evaluatedHessian: EvaluatedHessian?

  public init(
    coordinates: Vector, energy: Double, gradient: Vector, arcLength: Double,
    errorEstimate: Double? = nil, transported: Double = 0, stiffness: Double? = nil,
    kind: PathStepKind = .integrator
  ) {
    self.stiffness = stiffness
    self.kind = kind
    self.coordinates = coordinates
    self.energy = energy
    self.gradient = gradient
    self.arcLength = arcLength
    self.errorEstimate = errorEstimate
    self.transported = transported
  }
}

/// A method for the steepest-descent path dq/ds = −g/|g|: it only knows how to take one
/// step. The `IRCTracer` owns the loop, the first displacement, the log, step-length
/// control and the decision to stop.
///
/// An integrator may keep state between the steps of one branch (a Hessian update, a
/// history); the tracer makes a fresh one for each branch, and tells it which steps it
/// accepted. Points it did not produce (the departure from the saddle, a Newton polish)
/// arrive as the `point` of the next `step`, so state must follow `point`, not assume it.
public protocol PathIntegrator: Sendable {
  /// The name the command line and outputs use (`euler`).
  var name: String { get }

  /// One step of arc length `length` downhill from `point`.
  mutating func step(
    from point: PathPoint, length: Double, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> PathStep

  /// The tracer accepted the step just returned.
  mutating func accept(_ step: PathStep)

  /// Whether the integrator finds its own way into a minimum (a surrogate does); if not,
  /// the tracer takes over near one with the quadratic model's flow and a Newton polish.
  var followsMinima: Bool { get }

  /// The integrator for the other branch, carrying over what this one learnt (a
  /// surrogate's observations), or nil for a fresh one.
  func continuation() -> (any PathIntegrator)?
}

extension PathIntegrator {
  public mutating func accept(_ step: PathStep) {}
  public var followsMinima: Bool { false }
  public func continuation() -> (any PathIntegrator)? { nil }
}

/// A Hessian evaluated at a point, with the gradient there: where updates can start.
public struct EvaluatedHessian: Sendable, Equatable {
  public var coordinates: Vector
  public var gradient: Vector
  public var hessian: Matrix
}

/// The Hessian a Hessian-based integrator works with at each point: evaluated, or updated
/// from the saddle's along the branch.
struct HessianTracker: Sendable {
  let source: HessianSource
  let update: HessianUpdate
  /// With updated Hessians: once the points asked about have moved this far (arc length
  /// summed step by step) since the last evaluated Hessian, the next one is evaluated
  /// instead of updated. Nil: never.
  let refreshDistance: Double?
  private var anchor: (coordinates: Vector, gradient: Vector, hessian: Matrix)
  /// The distance covered since the last evaluated Hessian.
  private var travelled = 0.0
  /// The last Hessian this tracker evaluated; `evaluations` counts them.
  private(set) var lastEvaluated: EvaluatedHessian?
  private(set) var evaluations = 0

  init(
    source: HessianSource, saddle: StationaryPoint, update: HessianUpdate = .bofill,
    refreshDistance: Double? = nil
  ) {
    self.source = source
    self.update = update
    self.refreshDistance = refreshDistance
    anchor = (saddle.coordinates, saddle.gradient, saddle.hessian)
  }

  /// The Hessian at `point`: a fresh evaluation, or the last one updated by the step from
  /// where it was known to `point`.
  mutating func hessian(
    at coordinates: Vector, gradient: Vector, on evaluator: inout Evaluator
  ) throws(EvaluationError) -> Matrix {
    if coordinates == anchor.coordinates { return anchor.hessian }
    let hessian: Matrix
    travelled += coordinates.distance(to: anchor.coordinates)
    if source == .exact || refreshDistance.map({ travelled > $0 }) == true {
      travelled = 0
      hessian = try evaluator.hessian(at: coordinates)
      lastEvaluated = EvaluatedHessian(
        coordinates: coordinates, gradient: gradient, hessian: hessian)
      evaluations += 1
    } else {
      hessian = update.updated(
        anchor.hessian, step: coordinates - anchor.coordinates,
        gradientChange: gradient - anchor.gradient)
    }
    anchor = (coordinates, gradient, hessian)
    return hessian
  }

  /// Makes an evaluated Hessian the one later updates start from.
  mutating func anchor(at coordinates: Vector, gradient: Vector, hessian: Matrix) {
    anchor = (coordinates, gradient, hessian)
    travelled = 0
  }

  /// The gradient at the last point observed, evaluated where it had been carried.
  mutating func replaceGradient(at coordinates: Vector, with gradient: Vector) {
    guard anchor.coordinates == coordinates else { return }
    anchor.gradient = gradient
  }

  /// Records a point whose gradient was evaluated, so that an updated Hessian learns from
  /// it (exact Hessians are evaluated only where they are needed).
  mutating func observe(_ coordinates: Vector, gradient: Vector) {
    guard source == .updated, coordinates != anchor.coordinates else { return }
    let hessian = update.updated(
      anchor.hessian, step: coordinates - anchor.coordinates,
      gradientChange: gradient - anchor.gradient)
    anchor = (coordinates, gradient, hessian)
  }
}
