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
    var evaluator = Evaluator(surface)
    let departure: SaddleDeparture
    switch options.departure {
    case .straight:
      departure = SaddleDeparture(saddle: saddle, transitionVector: vector)
    case .curved:
      do {
        departure = try SaddleDeparture(
          saddle: saddle, transitionVector: vector,
          differenceStep: options.curvatureDifferenceStep ?? 1e-3 * options.initialDisplacement,
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
    let forward = traceBranch(
      .forward, from: start, departure, integrator: &integrator, on: surface, onStep: onStep)
    var second = integrator.continuation() ?? makeIntegrator(departure)
    let backward = traceBranch(
      .backward, from: start, departure, integrator: &second, on: surface, onStep: onStep)
    return ReactionPath(
      saddle: saddle, transitionVector: vector, departureCurvature: departure.curvature,
      departureCounts: departure.counts, forward: forward, backward: backward)
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
    _ direction: PathDirection, from saddle: PathPoint, _ departure: SaddleDeparture,
    integrator: inout any PathIntegrator, on surface: any Surface,
    onStep: (PathDirection, PathPoint) -> Void
  ) -> Branch {
    var state = BranchState(points: [saddle], evaluator: Evaluator(surface))
    let termination: Termination
    do {
      termination = try run(&state, direction, departure, &integrator, onStep: onStep)
    } catch .engine(let failure) {
      termination = .engineFailed(failure)
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
    _ state: inout BranchState, _ direction: PathDirection, _ departure: SaddleDeparture,
    _ integrator: inout any PathIntegrator, onStep: (PathDirection, PathPoint) -> Void
  ) throws(EvaluationError) -> Termination {
    let tolerance = options.gradientTolerance
    let saddle = state.current

    // The departure: halved until the energy falls, as it must along ±v.
    // A graded start (fixed steps only) begins at h²/s_c and lets steps grow in
    // proportion to the arc length until they reach h at a multiple of h past s_c.
    let grading = options.pathTolerance == nil ? options.gradedStart : nil
    var displacement = options.initialDisplacement
    if let grading {
      displacement = min(displacement, options.stepLength * options.stepLength / grading)
    }
    // With a path tolerance the departure is error-controlled too: its length starts at
    // the cube root of the tolerance in units of the surface's length scale and shrinks
    // (at most four times) while the estimate from the gradient at its end exceeds it.
    var shortened = 0
    while true {
      let q = departure.point(at: displacement, direction)
      let (energy, gradient) = try state.evaluator.energyAndGradient(at: q)
      if energy < saddle.energy, options.controlsDeparture,
        let pathTolerance = options.pathTolerance, shortened < 4
      {
        let error = departure.errorEstimate(at: displacement, direction, gradient: gradient)
        if error > pathTolerance {
          displacement *= max(0.2, 0.9 * cbrt(pathTolerance / error))
          shortened += 1
          continue
        }
      }
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

    let control = options.pathTolerance.map {
      StepController(tolerance: $0, order: options.controlOrder)
    }
    let longest = options.maximumStepLength ?? options.stepLength
    var length = options.stepLength
    let shortest = options.stepLength * options.minimumStepFraction
    var risen = false
    var retriedAt: Int?
    // Stiff: the explicit step overshot, so steps follow the quadratic model's flow
    // until the surface is gentle enough again for the integrator.
    var stiff = false
    // The Hessian of the current point, kept so that no point is analysed twice.
    var cached: (step: Int, curvature: Curvature)?
    func curvature(_ state: inout BranchState) throws(EvaluationError) -> Curvature {
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
      // An integrator that finds minima itself is judged at the end of its own Newton
      // steps, where it knows the minimum is within the tolerance (every classification
      // costs a Hessian), or once the tracer has taken over.
      let settled =
        control == nil || !integrator.followsMinima || stiff || current.kind != .integrator
      if risen && current.gradientNorm <= tolerance && settled {
        let local = try curvature(&state)
        if local.isNegative {
          return .failed(
            "|∇V| vanished at a point of Hessian index \(local.index), not at a minimum")
        }
        if local.isFlat { return .asymptotic }
        // Converged when the minimum is within one step, or, under error control, within
        // the path tolerance: the end is then as accurate as every other point.
        if local.flow.newtonStep.norm <= control?.tolerance ?? options.stepLength {
          return .converged
        }
        // A positive-definite Hessian with its minimum still far: follow its flow there.
        stiff = true
      }
      if current.step >= options.maxSteps { return .maxSteps }
      // Approaching a minimum, |∇V| falls about linearly with the distance d left
      // (|∇V| ≈ λd), and the direction field −ĝ turns ever faster: an explicit step whose
      // stages reach the minimum loses its order. Hand over to the quadratic model's flow
      // once the last two points put the minimum within 3 steps.
      // An integrator that follows minima itself but has been creeping (its last five
      // steps all under a tenth of the step length, none onto a minimum) is in a narrow,
      // flattening valley it cannot resolve: the quadratic model's flow takes over.
      if !stiff, integrator.followsMinima, state.points.count > 6 {
        let recent = state.points.suffix(5)
        let creeping = zip(recent.dropFirst(), recent).allSatisfy { after, before in
          after.kind == .integrator && after.arcLength - before.arcLength < 0.1 * options.stepLength
        }
        if creeping { stiff = true }
      }
      if !stiff, !integrator.followsMinima, state.points.count >= 3 {
        let previous = state.points[state.points.count - 2]
        let fall = previous.gradientNorm - current.gradientNorm
        if fall > 0
          && current.gradientNorm * (current.arcLength - previous.arcLength) < 3 * length * fall
        {
          stiff = true
        }
      }

      if stiff {
        let local = try curvature(&state)
        let (displacement, isNewton) = local.flow.step(length: length)
        let q = current.coordinates + displacement
        let (energy, gradient) = try state.evaluator.energyAndGradient(at: q)
        // Near a minimum the energy stops resolving progress (a Newton step from |∇V| = g
        // lowers it by about g²/2λ), so a Newton step that leaves it unchanged to
        // rounding but lowers |∇V| is progress too.
        let roundingLevel = 64 * current.energy.ulp
        var accepted =
          energy < current.energy
          || (isNewton && energy <= current.energy + roundingLevel
            && gradient.norm < current.gradientNorm)
        // Under error control the model's step is judged by how well it predicted the
        // gradient direction at its end: the position error grows about as h·θ/2. A Newton
        // step lands at the model's minimum; its error is how far the true minimum still
        // is, the next Newton step −H⁻¹g'.
        var factor = 2.0
        if accepted, let control {
          let error: Double
          if isNewton {
            error = local.eigensystem.apply({ 1 / $0 }, to: gradient).norm
          } else {
            let predicted = current.gradient + local.hessian * displacement
            error = 0.5 * displacement.norm * Self.angle(predicted, gradient)
          }
          accepted = error <= control.tolerance
          factor = control.factor(error: error, order: 2)
        }
        guard accepted else {
          state.rejected += 1
          if isNewton && -0.5 * current.gradient.dot(displacement) <= roundingLevel {
            return .failed(
              "at the minimum |∇V| = \(NumberFormat.significant(current.gradientNorm, 3)) is at the "
                + "rounding level of this surface; a tolerance below it cannot be reached")
          }
          length *= min(0.5, factor)
          if length < shortest { return .energyRise }
          continue
        }
        onStep(
          direction,
          state.append(
            q, energy: energy, gradient: gradient, length: displacement.norm,
            kind: isNewton ? .newton : .quadratic))
        // Explicit steps are stable again once h·λmax/|g| is well below their limit of 2.
        stiff = length * local.eigensystem.highest > gradient.norm
        length = min(longest, factor * length)
        continue
      }

      var trial = length
      if let grading {
        // Near the saddle the direction field −ĝ varies on the scale of the distance s
        // from it, so a step of fixed h there is O(h²) wrong; steps ρs with ρ = h/s_c make
        // the error of the whole graded stretch O(h⁴) for about 2(s_c/h)·ln(s_c/h) steps.
        let h = options.stepLength
        let end = (grading / h).rounded(.up) * h
        let s = current.arcLength
        if s < end * (1 - 1e-12) {
          trial = min(trial, max(h * s / grading, shortest), end - s)
        }
      }
      let proposal = try integrator.step(from: current, length: trial, on: &state.evaluator)
      var downhill = proposal.energy < current.energy
      // Overshoot: the gradient turned by more than 90° (the step crossed a valley floor),
      // or the chord is much shorter than the arc (the stages straddled a minimum and
      // cancelled; a unit-speed step of length h has a chord of h(1 − O(h²κ²))).
      let chord = proposal.coordinates.distance(to: current.coordinates)
      var overshoot =
        proposal.gradient.dot(current.gradient) < 0 || chord < 0.8 * proposal.arcLength
      if proposal.kind == .newton {
        // A Newton step onto a minimum may end on either side of it, and near it the
        // energy stops resolving progress: a lower |∇V| at an unchanged energy counts.
        overshoot = false
        downhill =
          downhill
          || (proposal.energy <= current.energy + 64 * current.energy.ulp
            && proposal.gradient.norm < current.gradientNorm)
      }
      guard downhill && !overshoot else {
        state.rejected += 1
        if integrator.followsMinima {
          // The integrator learns from the failed step; give it a shorter one.
          length /= 2
          if length < shortest { return .energyRise }
        } else {
          // The explicit step overshot or climbed: the surface is stiff on this step's scale.
          stiff = true
        }
        continue
      }
      var factor = 2.0
      if let control {
        let error = proposal.errorEstimate ?? 0
        factor = control.factor(error: error, order: control.order)
        guard error <= control.tolerance else {
          state.rejected += 1
          // An integrator that learns from its evaluations (a surrogate) predicts far
          // better on a second try at the same length; shorten only if that fails too.
          if integrator.followsMinima && retriedAt != current.step {
            retriedAt = current.step
          } else {
            length *= factor
          }
          if length < shortest { return .energyRise }
          continue
        }
      }
      integrator.accept(proposal)
      onStep(
        direction,
        state.append(
          proposal.coordinates, energy: proposal.energy, gradient: proposal.gradient,
          length: proposal.arcLength, kind: proposal.kind))
      length = min(longest, factor * length)
      // Past the explicit method's stability bound its steps are limited by stability,
      // not accuracy, and its error estimate no longer holds: follow the quadratic model.
      if let stiffness = proposal.stiffness, stiffness > Self.stabilityBound { stiff = true }
    }
  }

  /// h·ρ beyond which an explicit step is treated as stiff: a little inside the
  /// stability interval of DOPRI5 on the negative real axis (about −3.3).
  static let stabilityBound = 2.0

  /// The angle between two vectors, in radians.
  static func angle(_ a: Vector, _ b: Vector) -> Double {
    let cosine = a.dot(b) / (a.norm * b.norm)
    return acos(min(1, max(-1, cosine)))
  }
}

/// Step-size control from a local error estimate.
///
/// References:
/// - E. Hairer, S. P. Nørsett and G. Wanner, *Solving Ordinary Differential Equations I*,
///   2nd ed. (1993), §II.4, eq. (4.13): h_new = h·min(5, max(0.2, 0.9·(tol/err)^(1/(q+1)))),
///   q the order of the embedded solution.
struct StepController: Sendable {
  var tolerance: Double
  /// The order q of the error estimate's lower-order solution.
  var order: Int

  func factor(error: Double, order: Int) -> Double {
    guard error > 0 else { return 5 }
    return min(5, max(0.2, 0.9 * pow(tolerance / error, 1 / Double(order + 1))))
  }
}

/// The Hessian at a path point, read for the stopping and polishing decisions.
private struct Curvature {
  var hessian: Matrix
  var eigensystem: SymmetricEigensystem
  /// The steepest-descent flow of the local quadratic model.
  var flow: QuadraticFlow
  var threshold: Double

  init(at point: PathPoint, on evaluator: inout Evaluator, options: TraceOptions)
    throws(EvaluationError)
  {
    hessian = try evaluator.hessian(at: point.coordinates)
    eigensystem = hessian.eigensystem
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
