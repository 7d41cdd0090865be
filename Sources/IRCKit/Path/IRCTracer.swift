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
  /// Makes the integrator for one branch (fresh state per branch).
  public var makeIntegrator: @Sendable () -> any PathIntegrator

  public init(
    options: TraceOptions,
    integrator makeIntegrator: @escaping @Sendable () -> any PathIntegrator = { EulerIntegrator() }
  ) {
    self.options = options
    self.makeIntegrator = makeIntegrator
  }

  /// The unit eigenvector of the lowest Hessian eigenvalue, signed so that its
  /// largest-magnitude component is positive (the first such component on a tie within
  /// 10⁻¹² ): the rule that makes "forward" the same branch on every machine.
  public static func transitionVector(of saddle: StationaryPoint) -> Vector {
    var vector = saddle.eigensystem.vectors[0].normalized
    let largest = vector.maxMagnitude
    if let index = vector.indices.first(where: { abs(vector[$0]) >= largest * (1 - 1e-12) }),
      vector[index] < 0
    {
      vector = -vector
    }
    return vector
  }

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
    let start = PathPoint(
      step: 0, arcLength: 0, coordinates: saddle.coordinates, energy: saddle.energy,
      gradient: saddle.gradient, kind: .saddle)
    onStep(.saddle, start)
    let forward = traceBranch(.forward, from: start, along: vector, on: surface, onStep: onStep)
    let backward = traceBranch(.backward, from: start, along: -vector, on: surface, onStep: onStep)
    return ReactionPath(
      saddle: saddle, transitionVector: vector, forward: forward, backward: backward)
  }

  /// The state of one branch while it is traced.
  private struct BranchState {
    var points: [PathPoint]
    var evaluator: Evaluator
    var rejected = 0
    /// The Hessian eigenvalues and Newton-step length last analysed, and at which step.
    var analysed: (step: Int, eigenvalues: [Double], newton: Double)?
    var current: PathPoint { points[points.count - 1] }

    mutating func append(
      _ coordinates: Vector, energy: Double, gradient: Vector, length: Double, kind: PathStepKind
    ) -> PathPoint {
      let point = PathPoint(
        step: current.step + 1, arcLength: current.arcLength + length, coordinates: coordinates,
        energy: energy, gradient: gradient, kind: kind)
      points.append(point)
      return point
    }
  }

  private func traceBranch(
    _ direction: PathDirection, from saddle: PathPoint, along vector: Vector,
    on surface: any Surface, onStep: (PathDirection, PathPoint) -> Void
  ) -> Branch {
    var state = BranchState(points: [saddle], evaluator: Evaluator(surface))
    let termination: Termination
    do {
      termination = try run(&state, direction, along: vector, onStep: onStep)
    } catch {
      termination = .failed("\(error)")
    }
    let endAnalysis = state.analysed.flatMap { $0.step == state.current.step ? $0 : nil }
    return Branch(
      direction: direction, points: state.points, termination: termination,
      counts: state.evaluator.counts, rejectedSteps: state.rejected,
      endEigenvalues: endAnalysis?.eigenvalues, endNewtonDistance: endAnalysis?.newton)
  }

  private func run(
    _ state: inout BranchState, _ direction: PathDirection, along vector: Vector,
    onStep: (PathDirection, PathPoint) -> Void
  ) throws(NonFiniteEvaluation) -> Termination {
    let tolerance = options.gradientTolerance
    let saddle = state.current

    // The first displacement: halved until the energy falls, as it must along ±v.
    var displacement = options.initialDisplacement
    while true {
      let q = saddle.coordinates.adding(displacement, times: vector)
      let (energy, gradient) = try state.evaluator.energyAndGradient(at: q)
      if energy < saddle.energy {
        onStep(
          direction,
          state.append(
            q, energy: energy, gradient: gradient, length: displacement, kind: .displacement))
        break
      }
      displacement /= 2
      if displacement < options.initialDisplacement * options.minimumStepFraction {
        return .failed("the energy does not fall along the transition vector")
      }
    }

    var integrator = makeIntegrator()
    var length = options.stepLength
    let shortest = options.stepLength * options.minimumStepFraction
    var risen = false
    // Stiff: the explicit step overshot, so steps follow the quadratic model's flow
    // until the surface is gentle enough again for the integrator.
    var stiff = false
    // The Hessian of the current point, kept so that no point is analysed twice.
    var cached: (step: Int, curvature: Curvature)?
    func curvature(_ state: inout BranchState) throws(NonFiniteEvaluation) -> Curvature {
      if let cached, cached.step == state.current.step { return cached.curvature }
      let computed = try Curvature(at: state.current, on: &state.evaluator, options: options)
      state.analysed = (
        state.current.step, computed.eigensystem.values, computed.flow.newtonStep.norm
      )
      cached = (state.current.step, computed)
      return computed
    }

    while true {
      let current = state.current
      if current.gradientNorm > tolerance { risen = true }
      if risen && current.gradientNorm <= tolerance {
        let local = try curvature(&state)
        if local.isNegative {
          return .failed(
            "|∇V| vanished at a point of Hessian index \(local.index), not at a minimum")
        }
        if local.isFlat { return .asymptotic }
        if local.flow.newtonStep.norm <= options.stepLength { return .converged }
        // A positive-definite Hessian with its minimum still far: follow its flow there.
        stiff = true
      }
      if current.step >= options.maxSteps { return .maxSteps }

      if stiff {
        let local = try curvature(&state)
        let (displacement, isNewton) = local.flow.step(length: length)
        let q = current.coordinates + displacement
        let (energy, gradient) = try state.evaluator.energyAndGradient(at: q)
        // Near a minimum the energy stops resolving progress (a Newton step from |∇V| = g
        // lowers it by about g²/2λ), so a Newton step that leaves it unchanged to
        // rounding but lowers |∇V| is progress too.
        let roundingLevel = 64 * current.energy.ulp
        let accepted =
          energy < current.energy
          || (isNewton && energy <= current.energy + roundingLevel
            && gradient.norm < current.gradientNorm)
        guard accepted else {
          state.rejected += 1
          if isNewton && -0.5 * current.gradient.dot(displacement) <= roundingLevel {
            return .failed(
              "at the minimum |∇V| = \(NumberFormat.significant(current.gradientNorm, 3)) is at the "
                + "rounding level of this surface; a tolerance below it cannot be reached")
          }
          length /= 2
          if length < shortest { return .energyRise }
          continue
        }
        onStep(
          direction,
          state.append(
            q, energy: energy, gradient: gradient, length: displacement.norm,
            kind: isNewton ? .newton : .quadratic))
        // Explicit steps are stable again once h·λmax/|g| is well below their limit of 2.
        stiff = options.stepLength * local.eigensystem.highest > gradient.norm
        length = min(options.stepLength, 2 * length)
        continue
      }

      let proposal = try integrator.step(from: current, length: length, on: &state.evaluator)
      let downhill = proposal.energy < current.energy
      let overshoot = proposal.gradient.dot(current.gradient) < 0
      if downhill && !overshoot {
        onStep(
          direction,
          state.append(
            proposal.coordinates, energy: proposal.energy, gradient: proposal.gradient,
            length: proposal.arcLength, kind: .integrator))
        length = min(options.stepLength, 2 * length)
        continue
      }
      // The explicit step overshot or climbed: the surface is stiff on this step's scale.
      state.rejected += 1
      stiff = true
    }
  }
}

/// The Hessian at a path point, read for the stopping and polishing decisions.
private struct Curvature {
  var eigensystem: SymmetricEigensystem
  /// The steepest-descent flow of the local quadratic model.
  var flow: QuadraticFlow
  var threshold: Double

  init(at point: PathPoint, on evaluator: inout Evaluator, options: TraceOptions)
    throws(NonFiniteEvaluation)
  {
    eigensystem = try evaluator.hessian(at: point.coordinates).eigensystem
    threshold =
      options.flatCurvatureRatio * max(abs(eigensystem.lowest), abs(eigensystem.highest))
    flow = QuadraticFlow(gradient: point.gradient, eigensystem: eigensystem)
  }

  /// A direction curves down by more than the flatness threshold.
  var isNegative: Bool { eigensystem.lowest < -threshold }
  /// The lowest eigenvalue is ≈ 0 relative to the largest.
  var isFlat: Bool { !isNegative && eigensystem.lowest <= threshold }
  var index: Int { eigensystem.negativeCount(threshold: threshold) }
}

/// Why a trace could not start.
public enum TraceError: Error, Equatable, CustomStringConvertible {
  case wrongDimension(expected: Int, found: Int)
  /// The start point is not a first-order saddle.
  case notASaddle(index: Int, eigenvalues: [Double])

  public var description: String {
    switch self {
    case .wrongDimension(let expected, let found):
      return "the saddle has \(found) coordinates; the surface has \(expected)"
    case .notASaddle(let index, let eigenvalues):
      return "the start is not a first-order saddle: its Hessian has \(index) negative "
        + "eigenvalue\(index == 1 ? "" : "s") ("
        + eigenvalues.map { NumberFormat.significant($0, 6) }.joined(separator: ", ") + ")"
    }
  }
}
