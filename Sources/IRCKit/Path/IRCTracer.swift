import Foundation

/// Traces the intrinsic reaction coordinate from a first-order saddle down both branches.
///
/// References:
/// - K. Fukui, Acc. Chem. Res. 14, 363 (1981): the IRC is the steepest-descent path in
///   mass-weighted coordinates (unit masses here), leaving the saddle along the transition
///   vector, the eigenvector of the negative Hessian eigenvalue.
/// - C. Gonzalez and H. B. Schlegel, J. Chem. Phys. 90, 2154 (1989), §II: both branches
///   start by a displacement along ±v and end at a minimum where the gradient vanishes.
///
/// The tracer owns what every integrator shares: the first displacement, step-length
/// control, the stopping decision and the log of |∇V| (each accepted point goes to the
/// `onStep` observer).
///
/// Step control. An integrator step is rejected when it raises the energy or overshoots
/// (the new gradient has turned more than 90° from the old one: the step crossed a valley
/// floor). Both mean the surface is stiff on the scale of the step: near a minimum, or in a
/// narrow valley where |∇V| along the floor is tiny beside the curvature across it (LEPS
/// dissociation channels), an explicit step of fixed length can only zig-zag. The tracer
/// then follows the exact steepest-descent flow of the local quadratic model
/// (`QuadraticFlow`, logged `quadratic`), which relaxes stiff modes onto the floor while
/// moving along it, and hands back to the integrator once h·λmax < |∇V|. When the model
/// is positive definite and its minimum lies within one step, that flow step is the Newton
/// step (logged `newton`): the final polish that converges quadratically. A flow step that
/// does not lower the energy is halved; below `minimumStepFraction` the branch ends
/// `energyRise`.
///
/// Stopping. Once |∇V| has risen above the tolerance and fallen below it again, the
/// Hessian decides: positive definite with the Newton step within one step length:
/// `converged`; lowest eigenvalue ≈ 0 relative to the largest (`flatCurvatureRatio`):
/// `asymptotic`; clearly negative: `failed` (a ridge, not a minimum); positive definite
/// but the minimum farther: keep following the flow.
public struct IRCTracer: Sendable {
  public var options: TraceOptions
  /// Makes the integrator for the first branch from the departure (the saddle and what was
  /// evaluated to leave it); the second branch gets the first's `continuation()`, or a
  /// fresh one.
  public var makeIntegrator: @Sendable (SaddleDeparture) -> any PathIntegrator

  public init(
    options: TraceOptions,
    integrator makeIntegrator: @escaping @Sendable (SaddleDeparture) -> any PathIntegrator = {
      _ in EulerIntegrator()
    }
  ) {
    self.options = options
    self.makeIntegrator = makeIntegrator
  }

  /// The unit eigenvector of the lowest Hessian eigenvalue, signed so that its
  /// largest-magnitude component is positive (the first such component on a tie within
  /// 10⁻¹²): the rule that makes "forward" the same branch on every machine.
  public static func transitionVector(of saddle: StationaryPoint) -> Vector {
    var vector = saddle.eigensystem.vectors[0].normalized
    let largest = vector.maxMagnitude
    if let index = vector.indices.first(where: {
      abs(vector[$0]) >= largest * (1 - Self.signTieTolerance)
    }),
      vector[index] < 0
    {
      vector = -vector
    }
    return vector
  }

  /// Components within this relative distance of the largest count as tied for the sign
  /// rule: far above the rounding of a Jacobi eigenvector (10⁻¹⁵), far below any real
  /// difference between components.
  static let signTieTolerance = 1e-12

  /// The default ε of the curved departure's central difference, as a fraction of the
  /// initial displacement (see `SaddleDeparture.init`: it balances truncation and rounding).
  static let curvatureDifferenceFraction = 1e-3

  /// Traces both branches from `saddle`, forward first.
  public func trace(
    from saddle: StationaryPoint, on surface: any Surface,
    onStep: (PathDirection, PathPoint) -> Void = { _, _ in }
  ) throws(TraceError) -> ReactionPath {
    guard saddle.coordinates.count == surface.dimension else {
      throw .wrongDimension(expected: surface.dimension, found: saddle.coordinates.count)
    }
    guard saddle.index == 1 else {
      throw .notASaddle(index: saddle.index, eigenvalues: saddle.hessianEigenvalues)
    }
    let vector = Self.transitionVector(of: saddle)
    var evaluator = Evaluator(surface)
    let departure: SaddleDeparture
    switch options.departure {
    case .straight:
      departure = SaddleDeparture(saddle: saddle, transitionVector: vector)
    case .curved:
      do {
        departure = try SaddleDeparture(
          saddle: saddle, transitionVector: vector,
          differenceStep: options.curvatureDifferenceStep
            ?? Self.curvatureDifferenceFraction * options.initialDisplacement,
          on: &evaluator)
      } catch {
        throw .evaluation(error)
      }
    }
    let start = PathPoint(
      step: 0, arcLength: 0, coordinates: saddle.coordinates, energy: saddle.energy,
      gradient: saddle.gradient, kind: .saddle)
    onStep(.saddle, start)
    var integrator = makeIntegrator(departure)
    let forward: Branch
    let backward: Branch
    if surface.concurrentEvaluations > 1 && integrator.continuation() == nil {
      (forward, backward) = traceBothBranches(
        from: start, departure, integrator: integrator, on: surface, onStep: onStep)
    } else {
      forward = traceBranch(
        .forward, from: start, departure, integrator: &integrator, on: surface, onStep: onStep)
      var second = integrator.continuation() ?? makeIntegrator(departure)
      backward = traceBranch(
        .backward, from: start, departure, integrator: &second, on: surface, onStep: onStep)
    }
    return ReactionPath(
      saddle: saddle, transitionVector: vector, departureCurvature: departure.curvature,
      departureCounts: departure.counts, forward: forward, backward: backward)
  }

  private func traceBranch(
    _ direction: PathDirection, from saddle: PathPoint, _ departure: SaddleDeparture,
    integrator: inout any PathIntegrator, on surface: any Surface,
    onStep: (PathDirection, PathPoint) -> Void
  ) -> Branch {
    var stepper = BranchStepper(
      options: options, direction: direction, departure: departure,
      state: BranchState(points: [saddle], evaluator: Evaluator(surface)), integrator: integrator)
    let termination: Termination
    do {
      termination = try stepper.run(onStep: onStep)
    } catch .engine(let failure) {
      termination = .engineFailed(failure)
    } catch {
      termination = .failed(.nonFinite(error))
    }
    integrator = stepper.integrator
    let state = stepper.state
    let endAnalysis = state.analysed.flatMap { $0.step == state.current.step ? $0 : nil }
    return Branch(
      direction: direction, points: state.points, termination: termination,
      counts: state.evaluator.counts, rejectedSteps: state.rejected,
      endEigenvalues: endAnalysis?.eigenvalues, endNewtonDistance: endAnalysis?.newton)
  }

  /// Both branches at once, the backward one on a thread of its own, for a surface that
  /// computes elsewhere (`concurrentEvaluations` > 1): each branch's evaluations go to
  /// whichever engine slot is free, so the wall time is that of the longer branch.
  ///
  /// Given the saddle and the departure the branches are independent (an integrator without
  /// a `continuation` carries nothing from one to the other, so a fresh one is what the
  /// sequential trace gives the backward branch too) and every step is a deterministic
  /// function of its own branch's answers: the path is the sequential one, bit for bit. The
  /// backward branch's points reach `onStep` after the forward branch has ended, in the
  /// order a sequential trace reports them, and `onStep` is only ever called on this thread.
  private func traceBothBranches(
    from start: PathPoint, _ departure: SaddleDeparture, integrator: any PathIntegrator,
    on surface: any Surface, onStep: (PathDirection, PathPoint) -> Void
  ) -> (forward: Branch, backward: Branch) {
    let backward = BackwardBranch()
    let tracer = self
    let thread = Thread {
      var second = tracer.makeIntegrator(departure)
      var steps: [(PathDirection, PathPoint)] = []
      let branch = tracer.traceBranch(
        .backward, from: start, departure, integrator: &second, on: surface
      ) { steps.append(($0, $1)) }
      backward.finish(branch, steps: steps)
    }
    // A secondary thread's default stack can be far smaller than the main thread's
    // (512 KiB on Darwin): the branch gets the main thread's usual 8 MiB.
    thread.stackSize = Self.branchThreadStack
    thread.start()
    var first = integrator
    let forward = traceBranch(
      .forward, from: start, departure, integrator: &first, on: surface, onStep: onStep)
    let (branch, steps) = backward.wait()
    for (direction, point) in steps { onStep(direction, point) }
    return (forward, branch)
  }

  /// The stack of the thread that traces the backward branch: the main thread's default.
  static let branchThreadStack = 8 << 20

  /// The angle between two vectors, in radians.
  static func angle(_ a: Vector, _ b: Vector) -> Double {
    let cosine = a.dot(b) / (a.norm * b.norm)
    return acos(min(1, max(-1, cosine)))
  }
}

/// The backward branch traced on another thread, handed over once it has ended.
private final class BackwardBranch: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var result: (Branch, [(PathDirection, PathPoint)])?

  /// Called once, on the tracing thread; the semaphore orders it before `wait` reads it.
  func finish(_ branch: Branch, steps: [(PathDirection, PathPoint)]) {
    result = (branch, steps)
    done.signal()
  }

  func wait() -> (Branch, [(PathDirection, PathPoint)]) {
    done.wait()
    return result!
  }
}

/// The state of one branch while it is traced.
struct BranchState {
  var points: [PathPoint]
  var evaluator: Evaluator
  var rejected = 0
  /// The branch's updated Hessian, when it keeps one (`TraceOptions.branchHessian`): it
  /// learns from every accepted point.
  var tracker: HessianTracker?
  /// The Hessian eigenvalues and Newton-step length last analysed, and at which step.
  var analysed: (step: Int, eigenvalues: [Double], newton: Double)?
  var current: PathPoint { points[points.count - 1] }

  /// The current point's energy and gradient, evaluated where they had been carried: the
  /// branch's Hessian update learns the evaluated gradient instead.
  mutating func replaceCurrentValues(energy: Double, gradient: Vector) {
    let current = self.current
    points[points.count - 1] = PathPoint(
      step: current.step, arcLength: current.arcLength, coordinates: current.coordinates,
      energy: energy, gradient: gradient, kind: current.kind)
    tracker?.replaceGradient(at: current.coordinates, with: gradient)
  }

  mutating func append(
    _ coordinates: Vector, energy: Double, gradient: Vector, length: Double, kind: PathStepKind
  ) -> PathPoint {
    let point = PathPoint(
      step: current.step + 1, arcLength: current.arcLength + length, coordinates: coordinates,
      energy: energy, gradient: gradient, kind: kind)
    points.append(point)
    tracker?.observe(coordinates, gradient: gradient)
    return point
  }
}

/// The Hessian at a path point, read for the stopping and polishing decisions.
struct Curvature {
  var hessian: Matrix
  var eigensystem: SymmetricEigensystem
  /// The steepest-descent flow of the local quadratic model.
  var flow: QuadraticFlow
  var threshold: Double
  /// |∇V|/L (`TraceOptions.gradientNoiseLength`): a negative curvature within it is the
  /// gradient's, not a ridge's.
  var noise: Double
  /// The Hessian was evaluated at the point, not updated.
  var isEvaluated: Bool

  init(
    at point: PathPoint, on evaluator: inout Evaluator, flatRatio: Double,
    noiseLength: Double? = nil
  ) throws(EvaluationError) {
    self.init(
      hessian: try evaluator.hessian(at: point.coordinates), at: point, flatRatio: flatRatio,
      noiseLength: noiseLength, isEvaluated: true)
  }

  init(
    hessian: Matrix, at point: PathPoint, flatRatio: Double, noiseLength: Double? = nil,
    isEvaluated: Bool
  ) {
    self.hessian = hessian
    self.isEvaluated = isEvaluated
    eigensystem = hessian.eigensystem
    threshold = flatRatio * max(abs(eigensystem.lowest), abs(eigensystem.highest))
    noise = noiseLength.map { point.gradientNorm / $0 } ?? 0
    flow = QuadraticFlow(gradient: point.gradient, eigensystem: eigensystem)
  }

  /// A direction curves down by more than the flatness threshold and the gradient's noise.
  var isNegative: Bool { eigensystem.lowest < -max(threshold, noise) }
  /// The lowest eigenvalue is ≈ 0 relative to the largest.
  var isFlat: Bool { !isNegative && eigensystem.lowest <= threshold }
  var index: Int { eigensystem.negativeCount(threshold: threshold) }
  /// How far the model's stationary point is.
  var newtonDistance: Double { flow.newtonDistance }
}

/// Why a trace could not start.
public enum TraceError: Error, Equatable, CustomStringConvertible {
  case wrongDimension(expected: Int, found: Int)
  /// The surface is not finite where the departure from the saddle needs it, or its
  /// engine failed there.
  case evaluation(EvaluationError)
  /// The start point is not a first-order saddle.
  case notASaddle(index: Int, eigenvalues: [Double])

  public var description: String {
    switch self {
    case .wrongDimension(let expected, let found):
      return "the saddle has \(found) coordinates; the surface has \(expected)"
    case .evaluation(.nonFinite(let quantity, let point)):
      return "the surface is not finite next to the saddle: "
        + EvaluationError.nonFinite(quantity, at: point).description
    case .evaluation(.engine(let failure)):
      return "leaving the saddle: \(failure)"
    case .notASaddle(let index, let eigenvalues):
      return "the start is not a first-order saddle: its Hessian has \(index) negative "
        + "eigenvalue\(index == 1 ? "" : "s") ("
        + eigenvalues.map { NumberFormat.significant($0, 6) }.joined(separator: ", ") + ")"
    }
  }
}
