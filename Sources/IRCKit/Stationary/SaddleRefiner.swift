/// Converges a start near a first-order saddle onto it by partitioned rational-function
/// optimisation on the exact Hessian, or on Bofill updates of the start's, with a step limit.
///
/// References:
/// - J. Baker, "An algorithm for the location of transition states", J. Comput. Chem. 7, 385
///   (1986): the P-RFO step. In the Hessian eigenbasis (eigenvalues bᵢ, gradient
///   components Fᵢ) the followed mode k is maximised with the shift
///   λₚ = ½bₖ + ½√(bₖ² + 4Fₖ²) and every other mode minimised with λₙ, the lowest
///   eigenvalue of the augmented Hessian [[diag(bᵢ), F], [Fᵀ, 0]] over i ≠ k; the step
///   is hᵢ = −Fᵢ/(bᵢ − λ).
/// - A. Banerjee, N. Adams, J. Simons and R. Shepard, J. Phys. Chem. 89, 52 (1985): the
///   rational-function model behind both shifts.
///
/// Near the saddle λₚ and λₙ vanish as O(|F|²), so the iteration converges quadratically
/// like Newton's; far from it the shifts keep the step going uphill along one mode and
/// downhill along the rest, which plain Newton does not guarantee. The step is limited by
/// a trust radius that follows the ratio of actual to predicted energy change
/// (J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Algorithm 4.1).
///
/// With updated Hessians (J. M. Bofill, J. Comput. Chem. 15, 1 (1994); J. Baker 1986 uses
/// Powell's update the same way) the Hessian is evaluated once at the start and then updated
/// from each step's gradient change, so an iteration costs one gradient; convergence is then
/// superlinear instead of quadratic. The converged point gets one evaluated Hessian, which
/// verifies the saddle and gives the transition vector and frequencies: a surface whose
/// Hessian costs 2·(3N − 6) engine calls pays for two instead of one per iteration.
public struct SaddleRefiner: SaddleSearch {
  public struct Options: Sendable, Equatable {
    /// Converged when |∇V| is at most this (absolute, in the surface's units).
    public var gradientTolerance: Double
    /// The longest step. The trust radius starts here, shrinks when the quadratic model
    /// predicts the energy change poorly and recovers up to this value when it predicts it
    /// well. (Letting it grow beyond made more starts on Müller–Brown and LEPS wander off.)
    public var trustRadius: Double
    /// Newton-type iterations converge in a handful of steps from a good start; running
    /// out of 100 means the start is not near a saddle.
    public var maxIterations: Int
    /// The Hessian mode to maximise along (0: the lowest).
    public var followedMode: Int
    /// Where the iterations' Hessians come from: evaluated at every iterate (`exact`, the
    /// default for surfaces with cheap Hessians) or the start's, Bofill-updated (`updated`).
    /// The converged saddle's Hessian is evaluated either way.
    public var hessian: HessianSource

    public init(
      gradientTolerance: Double, trustRadius: Double, maxIterations: Int = 100,
      followedMode: Int = 0, hessian: HessianSource = .exact
    ) throws(OptionError) {
      guard gradientTolerance > 0, gradientTolerance.isFinite else {
        throw OptionError(option: "gradientTolerance", value: gradientTolerance, expected: "> 0")
      }
      guard trustRadius > 0, trustRadius.isFinite else {
        throw OptionError(option: "trustRadius", value: trustRadius, expected: "> 0")
      }
      guard maxIterations >= 1 else {
        throw OptionError(option: "maxIterations", value: Double(maxIterations), expected: ">= 1")
      }
      guard followedMode >= 0 else {
        throw OptionError(option: "followedMode", value: Double(followedMode), expected: ">= 0")
      }
      self.gradientTolerance = gradientTolerance
      self.trustRadius = trustRadius
      self.maxIterations = maxIterations
      self.followedMode = followedMode
      self.hessian = hessian
    }
  }

  public typealias Result = SaddleSearchResult

  public var options: Options

  public init(options: Options) { self.options = options }

  public var name: String { "prfo" }

  public func search(
    from start: Vector, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> SaddleSearchResult {
    try refine(from: start, on: &evaluator)
  }

  /// Searches from `start`. A search that begins by climbing out of a minimum's basin and
  /// fails (runs off, or out of iterations) is tried once more climbing the other way: the
  /// softest mode leads to a saddle on one side at least, not always on the first.
  public func refine(
    from start: Vector, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> Result {
    let before = evaluator.counts
    var climbed: Vector?
    do {
      return try refine(from: start, on: &evaluator, climb: nil, climbed: &climbed)
    } catch {
      switch error {
      // A failed engine is not a bad direction: it ends the search.
      case .notConverged, .evaluation(.nonFinite):
        guard let first = climbed else { throw error }
        var again: Vector?
        var result = try refine(from: start, on: &evaluator, climb: -first, climbed: &again)
        // The cost includes the failed first climb.
        result.counts = evaluator.counts - before
        return result
      default: throw error
      }
    }
  }

  /// Where one search stands between iterations.
  private struct Iterate {
    var current: StationaryPoint
    /// Whether `current.hessian` was evaluated there (not updated).
    var evaluated = true
    var trust: TrustRegion
    var iteration = 0
    /// The eigenvector followed by the last step taken.
    var followed: Vector?
    /// Iterations spent climbing out of a basin.
    var climbs = 0

    var notConverged: SaddleSearchError {
      .notConverged(
        iterations: iteration, gradientNorm: current.gradientNorm, at: current.coordinates)
    }
  }

  /// One search: P-RFO steps until |∇V| is within the tolerance. `climb` pins the direction
  /// of a climb out of a basin; `climbed` is the direction climbed, kept when the search
  /// throws so that a retry can climb the other way.
  private func refine(
    from start: Vector, on evaluator: inout Evaluator, climb: Vector?, climbed: inout Vector?
  ) throws(SaddleSearchError) -> Result {
    // The dimension, then the mode, are checked before anything is evaluated.
    try StationaryPoint.checkDimension(of: start, on: evaluator)
    guard options.followedMode < evaluator.dimension else {
      throw .noSuchMode(mode: options.followedMode, dimension: evaluator.dimension)
    }
    let before = evaluator.counts
    var search = Iterate(
      current: try StationaryPoint.searchStart(start, on: &evaluator),
      trust: TrustRegion(radius: options.trustRadius, policy: .saddleSearch))
    while search.current.gradientNorm > options.gradientTolerance {
      guard search.iteration < options.maxIterations,
        !search.trust.hasCollapsed(below: Self.collapsedTrust)
      else { throw search.notConverged }
      search.iteration += 1
      let mode = modeToFollow(search)
      try trackClimb(along: mode, of: &search, asked: climb, climbed: &climbed)
      try step(&search, along: mode, climbed: climbed, on: &evaluator)
    }
    let saddle = try verifiedSaddle(search, on: &evaluator)
    return Result(saddle: saddle, iterations: search.iteration, counts: evaluator.counts - before)
  }

  /// The converged iterate with its Hessian evaluated, verified as a first-order saddle.
  private func verifiedSaddle(
    _ search: Iterate, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> StationaryPoint {
    let saddle =
      search.evaluated ? search.current : try Self.evaluated(search.current, on: &evaluator)
    try saddle.verify(as: .saddle, within: Minimizer.verificationLocality * options.trustRadius)
    return saddle
  }

  /// Eigenvector following: after the first step, follow the mode that overlaps most with
  /// the one followed before, so that the search keeps climbing the same valley when the
  /// ordering of eigenvalues changes on the way (Baker 1986, "mode following").
  private func modeToFollow(_ search: Iterate) -> Int {
    let vectors = search.current.eigensystem.vectors
    return search.followed.map { previous in
      vectors.indices.max { abs(vectors[$0].dot(previous)) < abs(vectors[$1].dot(previous)) }!
    } ?? options.followedMode
  }

  /// In a basin the climb follows the mode with a continuous sign: uphill along it at the
  /// start (or the direction asked for), then whichever sign of the current eigenvector
  /// continues the last climbing step; eigenvectors have no sign of their own. A climb
  /// that meets no negative curvature within 20 trust radii is a dead end.
  private func trackClimb(
    along mode: Int, of search: inout Iterate, asked climb: Vector?, climbed: inout Vector?
  ) throws(SaddleSearchError) {
    let current = search.current
    let u = current.eigensystem.vectors[mode]
    let climbing = current.eigensystem.values[mode] > 0
    if climbing && climbed == nil && search.iteration == 1 {
      climbed = climb ?? (u.dot(current.gradient) >= 0 ? u : -u)
    }
    if climbing, let previous = climbed {
      climbed = u.dot(previous) >= 0 ? u : -u
      search.climbs += 1
      if search.climbs > Self.longestClimb { throw search.notConverged }
    }
  }

  /// One P-RFO step along `mode`, limited by the trust radius, evaluated and taken, with the
  /// next Hessian. A trial where the surface is not finite is not taken: a shorter step
  /// stays in its finite region.
  private func step(
    _ search: inout Iterate, along mode: Int, climbed: Vector?, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) {
    let current = search.current
    let u = current.eigensystem.vectors[mode]
    let unlimited = Self.partitionedRFOStep(
      gradient: current.gradient, eigensystem: current.eigensystem, mode: mode,
      trust: search.trust.radius, climb: climbed.map { u.dot($0) >= 0 ? 1 : -1 })
    let step = search.trust.limit(unlimited)
    let trial = current.coordinates + step
    let energy: Double
    let gradient: Vector
    do {
      (energy, gradient) = try evaluator.energyAndGradient(at: trial)
    } catch {
      search.trust.reject(stepLength: unlimited.norm)
      return
    }
    let predicted = current.gradient.dot(step) + 0.5 * step.dot(current.hessian * step)
    // Trust-region control on ρ = actual / predicted energy change (Nocedal and Wright,
    // Algorithm 4.1): a poor ρ shrinks the radius, a good one at the boundary grows it.
    // Every step is kept: a saddle search climbs along one mode and descends along the
    // others, so the predicted change can cancel to nearly nothing and a rejection on
    // ρ would stall the search where the model is fine. Changes at rounding level carry
    // no information and leave the radius alone.
    let actual = energy - current.energy
    let informative = abs(predicted) > 1e-12 * max(abs(current.energy), 1)
    search.trust.update(ratio: informative ? actual / predicted : 1, stepLength: step.norm)
    search.followed = current.eigensystem.vectors[mode]
    search.current = StationaryPoint(
      coordinates: trial, energy: energy, gradient: gradient,
      hessian: try hessian(at: trial, from: current, step: step, gradient: gradient, on: &evaluator)
    )
    search.evaluated = options.hessian == .exact
  }

  /// The Hessian at `trial`: evaluated, or `previous`'s updated by Bofill's formula from the
  /// step and the gradient's change.
  private func hessian(
    at trial: Vector, from previous: StationaryPoint, step: Vector, gradient: Vector,
    on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> Matrix {
    switch options.hessian {
    case .exact:
      do {
        return try evaluator.hessian(at: trial)
      } catch {
        throw .evaluation(error)
      }
    case .updated:
      return HessianUpdate.bofill.updated(
        previous.hessian, step: step, gradientChange: gradient - previous.gradient)
    }
  }

  /// `point` with its Hessian evaluated.
  static func evaluated(_ point: StationaryPoint, on evaluator: inout Evaluator)
    throws(SaddleSearchError) -> StationaryPoint
  {
    do {
      return StationaryPoint(
        coordinates: point.coordinates, energy: point.energy, gradient: point.gradient,
        hessian: try evaluator.hessian(at: point.coordinates))
    } catch {
      throw .evaluation(error)
    }
  }

  /// The P-RFO step in the original coordinates. Where the followed mode curves upward
  /// (bₖ > 0: inside a minimum's basin) the maximising shift would let the search slide
  /// back into the minimum; the step then climbs that mode by a whole trust radius instead,
  /// uphill (along the sign of Fₖ), as eigenvector following does (Cerjan and Miller,
  /// J. Chem. Phys. 75, 2800 (1981); Baker 1986, §"mode following").
  static func partitionedRFOStep(
    gradient: Vector, eigensystem: SymmetricEigensystem, mode: Int, trust: Double = .infinity,
    climb: Double? = nil
  ) -> Vector {
    let b = eigensystem.values
    let f = eigensystem.coordinates(of: gradient)
    let n = b.count
    var components = Array(repeating: 0.0, count: n)
    if b[mode] > 0 && trust.isFinite {
      // Uphill along the mode (the gradient's side), or along the pinned climb: `climb` is
      // the sign that turns this eigenvector into the climb's direction.
      components[mode] = (climb ?? (f[mode] >= 0 ? 1 : -1)) * trust
    } else {
      // Maximisation along the followed mode.
      let lambdaP =
        0.5 * b[mode] + 0.5 * (b[mode] * b[mode] + 4 * f[mode] * f[mode]).squareRoot()
      let maxDenominator = b[mode] - lambdaP
      // A zero gradient component along a positive mode gives 0/0; no step along it is right.
      components[mode] = maxDenominator == 0 ? 0 : -f[mode] / maxDenominator
    }
    // Minimisation along the others: λₙ from the augmented Hessian of the other modes.
    let others = RationalFunctionStep.components(
      eigenvalues: b, gradientComponents: f, modes: (0..<n).filter { $0 != mode })
    for index in 0..<n where index != mode { components[index] = others[index] }
    return RationalFunctionStep.combine(components, eigensystem)
  }

  /// A trust radius cut to this fraction of its start ends the search: the model fails at
  /// every useful distance.
  static let collapsedTrust = 1e-9
  /// A climb out of a basin that meets no negative curvature within this many trust radii
  /// is a dead end (Müller–Brown's basins are crossed in under ten).
  static let longestClimb = 20
}

/// Why a saddle search did not return a first-order saddle.
public enum SaddleSearchError: Error, Equatable, CustomStringConvertible {
  /// The start has the wrong number of coordinates.
  case wrongDimension(expected: Int, found: Int)
  /// The mode to follow does not exist.
  case noSuchMode(mode: Int, dimension: Int)
  /// The surface gave a non-finite value on the way, or its engine failed.
  case evaluation(EvaluationError)
  /// The iteration limit was reached before |∇V| fell below the tolerance; `sought` is
  /// what the search looked for (the minimiser shares these errors).
  case notConverged(
    iterations: Int, gradientNorm: Double, at: Vector, sought: StationaryKind = .saddle)
  /// The search converged, but to a stationary point of another kind than `sought`.
  case wrongIndex(
    index: Int, at: Vector, eigenvalues: [Double], sought: StationaryKind = .saddle)
  /// |∇V| vanished where the surface is flat: the Hessian does not locate a stationary
  /// point there (a far field, a plateau), so none is reported.
  case flat(at: Vector, gradientNorm: Double, eigenvalues: [Double])

  public var description: String {
    switch self {
    case .wrongDimension(let expected, let found):
      return
        "the start has \(found) coordinate\(found == 1 ? "" : "s"); the surface has \(expected)"
    case .noSuchMode(let mode, let dimension):
      return "there is no Hessian mode \(mode) to follow; modes are 0 to \(dimension - 1)"
    case .evaluation(.nonFinite(let quantity, let point)):
      return "the search left the region where the surface is finite: "
        + EvaluationError.nonFinite(quantity, at: point).description
    case .evaluation(.engine(let failure)):
      return "the search stopped: \(failure)"
    case .notConverged(let iterations, let gradientNorm, let point, let sought):
      return
        "no \(sought) after \(iterations) iterations (|∇V| = \(NumberFormat.significant(gradientNorm, 3)) "
        + "at \(point)); start closer to \(sought == .saddle ? "a saddle" : "a minimum")"
    case .flat(let point, let gradientNorm, let eigenvalues):
      return
        "|∇V| = \(NumberFormat.significant(gradientNorm, 3)) vanishes at \(point) only because the "
        + "surface is flat there (Hessian eigenvalues "
        + eigenvalues.map { NumberFormat.significant($0, 3) }.joined(separator: ", ")
        + "): no stationary point; start nearer one"
    case .wrongIndex(let index, let point, let eigenvalues, let sought):
      let what: String
      switch index {
      case 0: what = "a minimum"
      case 1: what = "a first-order saddle"
      default: what = "a saddle of order \(index)"
      }
      return "the search converged to \(what) at \(point) (Hessian eigenvalues "
        + eigenvalues.map { NumberFormat.significant($0, 6) }.joined(separator: ", ")
        + (sought == .saddle
          ? "), not to a first-order saddle; start closer to a saddle"
          : "), not to a minimum; start inside a minimum's basin")
    }
  }
}

/// An option value outside what it may be.
public struct OptionError: Error, Equatable, CustomStringConvertible {
  public var option: String
  public var value: Double
  public var expected: String

  public init(option: String, value: Double, expected: String) {
    self.option = option
    self.value = value
    self.expected = expected
  }

  public var description: String { "\(option) must be \(expected), not \(value)" }
}

extension SaddleRefiner.Options {
  /// The refinement the issue asks for: |∇V| ≤ 10⁻¹⁰ of the surface's gradient scale, and
  /// steps no longer than 5 % of the region's shortest side (0.14 on Müller–Brown), short
  /// enough that the quadratic model holds and long enough to arrive in a few steps.
  public static func scaled(to scale: SurfaceScale) throws(OptionError) -> SaddleRefiner.Options {
    try SaddleRefiner.Options(
      gradientTolerance: 1e-10 * scale.gradient, trustRadius: scale.searchStepLimit)
  }
}
