import Foundation

/// One branch of the IRC, step by step: the parts `IRCTracer` is made of.
///
/// References:
/// - C. Gonzalez and H. B. Schlegel, J. Chem. Phys. 90, 2154 (1989), §II: a branch leaves
///   the saddle along ±v and ends where the gradient vanishes at a minimum.
/// - M. Page and J. W. McIver, J. Chem. Phys. 88, 922 (1988): the exact flow of the local
///   quadratic model (`QuadraticFlow`) that takes over where the surface is stiff.
/// - E. Hairer, S. P. Nørsett and G. Wanner, *Solving ODEs I*, 2nd ed. (1993), §II.4:
///   step acceptance and the next step from a local error estimate (`StepSizeController`).

/// How the tracer steps a branch at the moment.
enum SteppingMode: Sendable, Equatable {
  /// The integrator's own steps.
  case integrator
  /// The surface is stiff on the step's scale (the integrator overshot, crossed its
  /// stability bound, or a minimum is near): steps follow the local quadratic model's
  /// exact flow (`QuadraticFlow`), ending in a Newton polish.
  case quadraticFlow
}

/// What one attempt at a step came to.
enum StepOutcome {
  case accepted
  /// Rejected; the loop tries again (shorter, or in the other mode).
  case rejected
  case ended(Termination)
}

/// Traces one branch: the departure, then a loop of stopping decision, stiffness monitor
/// and one step in the current mode. The rules are those of `IRCTracer`'s documentation;
/// each constant is named where it is used.
struct BranchStepper {
  let options: TraceOptions
  let direction: PathDirection
  let departure: SaddleDeparture
  var state: BranchState
  var integrator: any PathIntegrator
  /// Error control, with a path tolerance.
  let control: StepSizeController?
  /// s_c of a graded start (fixed steps only).
  let grading: Double?
  let longest: Double
  let shortest: Double
  let monitor: StiffnessMonitor
  var length: Double
  var mode = SteppingMode.integrator
  /// |∇V| has risen above the tolerance since the saddle.
  var risen = false
  /// The step at which a learning integrator was last given a second try.
  var retriedAt: Int?
  /// The Hessian of the current point, kept so that no point is analysed twice.
  var cached: (step: Int, curvature: Curvature)?
  /// Flow steps on the updated Hessian that failed in a row: after
  /// `updatedFlowRejections`, the next one evaluates the Hessian first.
  var updatedRejections = 0
  /// The current point's energy and gradient were carried from where they were evaluated
  /// (`PathStep.transported`), not evaluated there.
  var currentIsCarried = false
  /// A failed flow step is retried shorter on the updated model once (a gradient), then on
  /// an evaluated one (2·(3N − 6) gradients for a molecule on an engine).
  static let updatedFlowRejections = 2

  init(
    options: TraceOptions, direction: PathDirection, departure: SaddleDeparture,
    state: BranchState, integrator: any PathIntegrator
  ) {
    self.options = options
    self.direction = direction
    self.departure = departure
    self.state = state
    self.integrator = integrator
    control = options.pathTolerance.map {
      StepSizeController(tolerance: $0, order: options.controlOrder)
    }
    grading = options.pathTolerance == nil ? options.gradedStart : nil
    longest = options.maximumStepLength ?? options.stepLength
    shortest = options.stepLength * options.minimumStepFraction
    monitor = StiffnessMonitor(stepLength: options.stepLength, approachSteps: options.approachSteps)
    length = options.stepLength
    if options.branchHessian == .updated {
      self.state.tracker = HessianTracker(source: .updated, saddle: departure.saddle)
    }
  }

  /// The loop: stop?, which mode?, one step; until a termination.
  mutating func run(onStep: (PathDirection, PathPoint) -> Void) throws(EvaluationError)
    -> Termination
  {
    if let failure = try depart(onStep: onStep) { return failure }
    while true {
      if let end = try stoppingDecision() { return end }
      if mode == .integrator {
        mode = monitor.mode(
          along: state.points, length: length, followsMinima: integrator.followsMinima)
      }
      let outcome =
        mode == .quadraticFlow ? try flowStep(onStep: onStep) : try integratorStep(onStep: onStep)
      if case .ended(let termination) = outcome { return termination }
    }
  }

  // MARK: Departure

  /// A path-tolerance departure is shortened at most this many times: each cut aims at the
  /// tolerance with the controller's cube-root rule (its error is O(s³)), so a few cuts
  /// reach it from any start the options allow.
  static let departureShortenings = 4

  /// The first point off the saddle, halved until the energy falls, as it must along ±v.
  /// A graded start (fixed steps only) begins at h²/s_c. With a path tolerance the
  /// departure is error-controlled too: it shrinks while the estimate from the gradient
  /// at its end exceeds the tolerance.
  mutating func depart(onStep: (PathDirection, PathPoint) -> Void) throws(EvaluationError)
    -> Termination?
  {
    let saddle = state.current
    var displacement = options.initialDisplacement
    if let grading {
      displacement = min(displacement, options.stepLength * options.stepLength / grading)
    }
    let departureControl = options.pathTolerance.map {
      StepSizeController(tolerance: $0, order: SaddleDeparture.errorOrder)
    }
    var shortened = 0
    while true {
      let q = departure.point(at: displacement, direction)
      let (energy, gradient) = try state.evaluator.energyAndGradient(at: q)
      if energy < saddle.energy, options.controlsDeparture, let departureControl,
        shortened < Self.departureShortenings
      {
        let error = departure.errorEstimate(at: displacement, direction, gradient: gradient)
        if error > departureControl.tolerance {
          displacement *= departureControl.factor(error: error)
          shortened += 1
          continue
        }
      }
      if energy < saddle.energy {
        onStep(
          direction,
          state.append(
            q, energy: energy, gradient: gradient, length: displacement, kind: .displacement))
        return nil
      }
      displacement /= 2
      if displacement < options.initialDisplacement * options.minimumStepFraction {
        return .failed(.noDescentAlongTransitionVector)
      }
    }
  }

  // MARK: Stopping

  /// Once |∇V| has risen above the tolerance and fallen below it again, the Hessian
  /// decides: a ridge fails, a flat valley is asymptotic, a minimum within reach has
  /// converged, and a minimum still far switches to its flow.
  mutating func stoppingDecision() throws(EvaluationError) -> Termination? {
    if state.current.gradientNorm > options.gradientTolerance { risen = true }
    if risen && state.current.gradientNorm <= options.gradientTolerance {
      // A branch ends on an evaluated gradient, never on one carried there.
      try evaluateCarried()
    }
    let current = state.current
    // An integrator that finds minima itself is judged at the end of its own Newton
    // steps, where it knows the minimum is within the tolerance (every classification
    // costs a Hessian), or once the tracer has taken over.
    let settled =
      control == nil || !integrator.followsMinima || mode == .quadraticFlow
      || current.kind != .integrator
    if risen && current.gradientNorm <= options.gradientTolerance && settled {
      // Converged when the minimum is within one step, or, under error control, within
      // the path tolerance: the end is then as accurate as every other point.
      let reach = control?.tolerance ?? options.stepLength
      var local = try curvature()
      // An updated Hessian only proposes an end; an evaluated one decides it (and, if it
      // disagrees, the polish goes on with it).
      if !local.isEvaluated && (local.isNegative || local.isFlat || local.newtonDistance <= reach) {
        local = try curvature(evaluated: true)
      }
      if local.isNegative { return .failed(.notAMinimum(hessianIndex: local.index)) }
      if local.isFlat { return .asymptotic }
      if local.newtonDistance <= reach { return .converged }
      // A positive-definite Hessian with its minimum still far: follow its flow there.
      mode = .quadraticFlow
    }
    if current.step >= options.maxSteps { return .maxSteps }
    return nil
  }

  /// Evaluates the energy and gradient of the current point if a predictor–corrector
  /// carried them there (`PathStep.transported`): near a minimum their O(|δ|²)·|∇³V| error
  /// is no longer small against the energy changes the polish compares (on LJ7 a carried
  /// energy 3e-6 too low made every Newton step from it look uphill), and a branch must not
  /// end on a carried gradient. One gradient, once a branch at most in practice.
  mutating func evaluateCarried() throws(EvaluationError) {
    guard currentIsCarried else { return }
    currentIsCarried = false
    let (energy, gradient) = try state.evaluator.energyAndGradient(at: state.current.coordinates)
    state.replaceCurrentValues(energy: energy, gradient: gradient)
    cached = nil
  }

  /// The Hessian analysis of the current point, computed once per point: on the branch's
  /// updated Hessian when it keeps one, unless `evaluated` asks for an evaluated one (which
  /// the updates then start from).
  mutating func curvature(evaluated: Bool = false) throws(EvaluationError) -> Curvature {
    let current = state.current
    if let cached, cached.step == current.step, cached.curvature.isEvaluated || !evaluated {
      return cached.curvature
    }
    let computed: Curvature
    if !evaluated, var tracker = state.tracker {
      let hessian = try tracker.hessian(
        at: current.coordinates, gradient: current.gradient, on: &state.evaluator)
      state.tracker = tracker
      computed = Curvature(
        hessian: hessian, at: current, flatRatio: options.flatCurvatureRatio,
        noiseLength: options.gradientNoiseLength, isEvaluated: false)
    } else {
      computed = try Curvature(
        at: current, on: &state.evaluator, flatRatio: options.flatCurvatureRatio,
        noiseLength: options.gradientNoiseLength)
      state.tracker?.anchor(
        at: current.coordinates, gradient: current.gradient, hessian: computed.hessian)
    }
    state.analysed = (current.step, computed.eigensystem.values, computed.newtonDistance)
    cached = (current.step, computed)
    return computed
  }

  // MARK: Quadratic-flow steps

  /// Without error control a step that was accepted lets the next one double.
  static let fixedStepGrowth = 2.0
  /// A rejected flow step is at least halved.
  static let flowRejectionShrink = 0.5

  /// One step along the local quadratic model's flow, or its Newton step onto the model's
  /// minimum when that is within the step.
  mutating func flowStep(onStep: (PathDirection, PathPoint) -> Void) throws(EvaluationError)
    -> StepOutcome
  {
    try evaluateCarried()
    let current = state.current
    let local = try curvature(evaluated: updatedRejections >= Self.updatedFlowRejections)
    let (displacement, isNewton) = local.flow.step(length: length)
    let q = current.coordinates + displacement
    let (energy, gradient) = try state.evaluator.energyAndGradient(at: q)
    // Near a minimum the energy stops resolving progress, so a Newton step that leaves it
    // unchanged to rounding but lowers |∇V| is progress too.
    var accepted =
      isNewton
      ? RoundingLevel.isProgress(
        from: current.energy, gradientNorm: current.gradientNorm, to: energy,
        newGradientNorm: gradient.norm)
      : energy < current.energy
    var factor = Self.fixedStepGrowth
    if accepted, let control {
      let error = Self.flowError(
        of: displacement, isNewton: isNewton, from: current, to: gradient, local)
      accepted = error <= control.tolerance
      factor = control.factor(error: error, order: QuadraticFlow.errorOrder)
    }
    guard accepted else {
      state.rejected += 1
      // The updated model failed: once more shorter, then at this length on an evaluated one.
      if !local.isEvaluated {
        updatedRejections += 1
        if updatedRejections >= Self.updatedFlowRejections { return .rejected }
      }
      if isNewton && -0.5 * current.gradient.dot(displacement) <= RoundingLevel.of(current.energy) {
        return .ended(.failed(.roundingLevel(gradientNorm: current.gradientNorm)))
      }
      length *= min(Self.flowRejectionShrink, factor)
      return length < shortest ? .ended(.energyRise) : .rejected
    }
    updatedRejections = 0
    onStep(
      direction,
      state.append(
        q, energy: energy, gradient: gradient, length: displacement.norm,
        kind: isNewton ? .newton : .quadratic))
    mode = monitor.modeAfterFlowStep(
      length: length, highestCurvature: local.eigensystem.highest, gradientNorm: gradient.norm)
    length = min(longest, factor * length)
    return .accepted
  }

  /// Under error control the model's step is judged by how well it predicted the gradient
  /// direction at its end: the position error grows about as h·θ/2. A Newton step lands at
  /// the model's minimum; its error is how far the true minimum still is, the next Newton
  /// step.
  static func flowError(
    of displacement: Vector, isNewton: Bool, from current: PathPoint, to gradient: Vector,
    _ local: Curvature
  ) -> Double {
    if isNewton { return local.eigensystem.newtonDistance(for: gradient) }
    let predicted = current.gradient + local.hessian * displacement
    return 0.5 * displacement.norm * IRCTracer.angle(predicted, gradient)
  }

  // MARK: Integrator steps

  /// A graded start ends at the first multiple of h past s_c; "past" allows for rounding
  /// of the arc length, summed over many steps.
  static let gradingEndTolerance = 1e-12

  /// The integrator's step length: `gradedLength()`, and approaching a minimum at most
  /// `TraceOptions.approachStepFraction` of the distance left (by the |∇V| estimate), so
  /// that the steps shrink geometrically onto it until the polish takes over.
  func trialLength() -> Double {
    let graded = gradedLength()
    guard let fraction = options.approachStepFraction, !integrator.followsMinima,
      let remaining = StiffnessMonitor.remainingDistance(state.points)
    else { return graded }
    return min(graded, max(shortest, fraction * remaining))
  }

  /// `length`, cut near the saddle on a graded start. Near the saddle the direction field
  /// −ĝ varies on the scale of the distance s from it, so a step of fixed h there is O(h²)
  /// wrong; steps ρs with ρ = h/s_c make the error of the whole graded stretch O(h⁴) for
  /// about 2(s_c/h)·ln(s_c/h) steps.
  func gradedLength() -> Double {
    guard let grading else { return length }
    let h = options.stepLength
    let end = (grading / h).rounded(.up) * h
    let s = state.current.arcLength
    guard s < end * (1 - Self.gradingEndTolerance) else { return length }
    return min(length, max(h * s / grading, shortest), end - s)
  }

  /// One integrator step, accepted if it goes downhill without overshooting and, under
  /// error control, within the tolerance.
  mutating func integratorStep(onStep: (PathDirection, PathPoint) -> Void)
    throws(EvaluationError) -> StepOutcome
  {
    let current = state.current
    let proposal = try integrator.step(from: current, length: trialLength(), on: &state.evaluator)
    guard monitor.isAcceptable(proposal, from: current) else {
      state.rejected += 1
      if integrator.followsMinima {
        // The integrator learns from the failed step; give it a shorter one.
        length /= 2
        return length < shortest ? .ended(.energyRise) : .rejected
      }
      // The explicit step overshot or climbed: the surface is stiff on this step's scale.
      mode = .quadraticFlow
      return .rejected
    }
    var factor = Self.fixedStepGrowth
    if let control {
      let error = proposal.errorEstimate ?? 0
      factor = control.factor(error: error)
      guard error <= control.tolerance else {
        state.rejected += 1
        retry(after: factor, at: current.step)
        return length < shortest ? .ended(.energyRise) : .rejected
      }
    }
    integrator.accept(proposal)
    currentIsCarried = proposal.transported > 0
    if let evaluated = proposal.evaluatedHessian {
      // The freshest Hessian of the branch: the polish near the minimum starts from it.
      state.tracker?.anchor(
        at: evaluated.coordinates, gradient: evaluated.gradient, hessian: evaluated.hessian)
    }
    onStep(
      direction,
      state.append(
        proposal.coordinates, energy: proposal.energy, gradient: proposal.gradient,
        length: proposal.arcLength, kind: proposal.kind))
    length = min(longest, factor * length)
    mode = monitor.mode(afterStiffness: proposal.stiffness)
    return .accepted
  }

  /// The retry policy after a step over the tolerance: an integrator that learns from its
  /// evaluations (a surrogate) predicts far better on a second try at the same length, so
  /// it is shortened only if that fails too; any other is shortened at once.
  mutating func retry(after factor: Double, at step: Int) {
    if integrator.followsMinima && retriedAt != step {
      retriedAt = step
    } else {
      length *= factor
    }
  }
}

/// The three stiffness heuristics and the overshoot test, each returning what the tracer
/// should do next.
struct StiffnessMonitor {
  let stepLength: Double
  /// Approaching a minimum, |∇V| falls about linearly with the distance d left
  /// (|∇V| ≈ λd) and the direction field −ĝ turns ever faster: an explicit step whose
  /// stages reach the minimum loses its order. The flow takes over once the last two points
  /// put the minimum within this many steps (`TraceOptions.approachSteps`).
  var approachSteps = 3.0
  /// An integrator that follows minima itself but whose last `creepingWindow` steps were
  /// all under `creepingFraction` of the step length (none onto a minimum) is in a narrow,
  /// flattening valley it cannot resolve. Five steps tell a trend from one awkward step;
  /// a tenth of h is far below the shortening its own error control makes near a minimum.
  static let creepingWindow = 5
  static let creepingFraction = 0.1
  /// A chord shorter than this fraction of the arc means the stages straddled a minimum
  /// and cancelled: a unit-speed step of length h has a chord of h(1 − O(h²κ²)), above 0.8
  /// for any step that resolves the path's curvature κ.
  static let shortestChord = 0.8
  /// h·ρ beyond which an explicit step is treated as stiff: a little inside the stability
  /// interval of DOPRI5 on the negative real axis (about −3.3).
  static let stabilityBound = 2.0

  /// The mode for the next step while the integrator is in charge.
  func mode(along points: [PathPoint], length: Double, followsMinima: Bool) -> SteppingMode {
    if followsMinima {
      return isCreeping(points) ? .quadraticFlow : .integrator
    }
    return approachesMinimum(points, length: length) ? .quadraticFlow : .integrator
  }

  func isCreeping(_ points: [PathPoint]) -> Bool {
    guard points.count > Self.creepingWindow + 1 else { return false }
    let recent = points.suffix(Self.creepingWindow)
    return zip(recent.dropFirst(), recent).allSatisfy { after, before in
      after.kind == .integrator
        && after.arcLength - before.arcLength < Self.creepingFraction * stepLength
    }
  }

  func approachesMinimum(_ points: [PathPoint], length: Double) -> Bool {
    guard let remaining = Self.remainingDistance(points) else { return false }
    return remaining < approachSteps * length
  }

  /// The arc length left to the minimum ahead, from the fall of |∇V| over the last step
  /// extrapolated linearly (|∇V| ≈ λd near a minimum); nil unless |∇V| fell.
  static func remainingDistance(_ points: [PathPoint]) -> Double? {
    guard points.count >= 3 else { return nil }
    let current = points[points.count - 1]
    let previous = points[points.count - 2]
    let fall = previous.gradientNorm - current.gradientNorm
    guard fall > 0 else { return nil }
    return current.gradientNorm * (current.arcLength - previous.arcLength) / fall
  }

  /// Explicit steps are stable again once h·λmax/|g| is well below their limit of 2.
  func modeAfterFlowStep(length: Double, highestCurvature: Double, gradientNorm: Double)
    -> SteppingMode
  {
    length * highestCurvature > gradientNorm ? .quadraticFlow : .integrator
  }

  /// Past the explicit method's stability bound its steps are limited by stability, not
  /// accuracy, and its error estimate no longer holds: follow the quadratic model.
  func mode(afterStiffness stiffness: Double?) -> SteppingMode {
    if let stiffness, stiffness > Self.stabilityBound { return .quadraticFlow }
    return .integrator
  }

  /// A proposal goes downhill and does not overshoot: the gradient turned by more than
  /// 90° (the step crossed a valley floor), or the chord is much shorter than the arc. A
  /// Newton step onto a minimum may end on either side of it, and near it the energy stops
  /// resolving progress: a lower |∇V| at an unchanged energy counts.
  func isAcceptable(_ proposal: PathStep, from current: PathPoint) -> Bool {
    if proposal.kind == .newton {
      return RoundingLevel.isProgress(
        from: current.energy, gradientNorm: current.gradientNorm, to: proposal.energy,
        newGradientNorm: proposal.gradient.norm)
    }
    let chord = proposal.coordinates.distance(to: current.coordinates)
    let overshoot =
      proposal.gradient.dot(current.gradient) < 0 || chord < Self.shortestChord * proposal.arcLength
    return proposal.energy < current.energy && !overshoot
  }
}
