import Foundation

/// The dimer method: a saddle search that needs gradients only.
///
/// References:
/// - G. Henkelman and H. Jónsson, J. Chem. Phys. 111, 7010 (1999): the dimer (two images
///   a distance Δ apart along a unit vector N about a centre x), its curvature
///   C = (g₁ − g₀)·N/Δ along N (eq. (4) with forward differences), rotation into the
///   lowest-curvature mode by conjugate gradients on the rotational force (§II.B), and
///   translation under the modified force F† = −g₀ + 2(g₀·N)N (C < 0) or −(g₀·N)N (C > 0)
///   (eqs. (2)–(3)).
/// - J. Kästner and P. Sherwood, J. Chem. Phys. 128, 014106 (2008): forward differences
///   from the centre gradient g₀ and one image (g₂ never evaluated), the rotation angle
///   from a trial rotation and a curvature estimate (eqs. (5)–(11): C(θ) fitted as
///   a₀/2 + a₁cos2θ + b₁sin2θ, and g₁ at the new angle interpolated rather than evaluated),
///   and L-BFGS translation.
/// - A. Heyden, A. T. Bell and F. J. Keil, J. Chem. Phys. 123, 224101 (2005), eqs. (2)–(5):
///   the same rotation-angle formulae.
///
/// On a molecule (a `MassWeightedSurface`) the dimer runs in q = M^½x and never leaves
/// the internal subspace: the rigid-body modes, re-derived at the current centre, are
/// projected out of the orientation, the rotational force and the translation step at
/// every iteration, so that the dimer can neither rotate into a zero mode (whose curvature
/// would win the rotation) nor drift the molecule as a whole.
///
/// A cycle costs one gradient at the new centre, one at the image, and one per trial
/// rotation. The result is verified by one Hessian evaluation, as every reported saddle
/// is; a molecule on an analytic Hessian spends one more on its first orientation.
public struct DimerSearch: SaddleSearch {
  /// How the dimer is first oriented.
  public enum Orientation: Sendable, Equatable {
    /// Along the lowest internal Hessian mode on a molecule whose Hessian is analytic,
    /// along a seeded random internal vector on a molecule without one, along the gradient
    /// elsewhere (near a saddle of a low-dimensional surface it leans towards the modes
    /// the start is displaced along, and costs nothing).
    case automatic
    /// Along the gradient at the start.
    case gradient
    /// Along the eigenvector of the lowest (internal) Hessian eigenvalue: one Hessian.
    case lowestHessianMode
    /// A random (internal) unit vector from this seed.
    case random(seed: UInt64)
  }

  /// Converged when |∇V| at the centre is at most this.
  public var gradientTolerance: Double
  /// The longest translation.
  public var maximumStep: Double
  /// Δ, the centre-to-image distance: small enough for the curvature to be local, large
  /// enough that g₁ − g₀ stands well above rounding.
  public var separation: Double
  /// Rotations stop when the angle to turn is below this (radians): below about 0.01 the
  /// fit of C(θ) from a trial rotation rests on a difference of nearly equal curvatures.
  public var angleTolerance: Double
  /// Translations before giving up.
  public var maxIterations: Int
  /// The first orientation.
  public var orientation: Orientation = .automatic

  /// Rotations before the first translation at most: from an arbitrary orientation in n
  /// dimensions conjugate gradients need up to about n rotations to find the lowest mode,
  /// and a translation before that climbs along the wrong mode.
  static func firstRotationLimit(dimension: Int) -> Int { max(8, dimension) }
  /// Rotations before each later translation: the lowest mode turns slowly along a
  /// translation, so a few rotations keep up with it (Kästner and Sherwood use one to a
  /// few).
  static let rotationLimit = 4
  /// L-BFGS pairs kept for the translation.
  static let translationMemory = 5

  public init(
    gradientTolerance: Double, maximumStep: Double, separation: Double,
    angleTolerance: Double = 1e-2, maxIterations: Int = 200, orientation: Orientation = .automatic
  ) throws(OptionError) {
    for (name, value) in [
      ("gradientTolerance", gradientTolerance), ("maximumStep", maximumStep),
      ("separation", separation), ("angleTolerance", angleTolerance),
    ] {
      guard value > 0, value.isFinite else {
        throw OptionError(option: name, value: value, expected: "a positive number")
      }
    }
    guard maxIterations >= 1 else {
      throw OptionError(option: "maxIterations", value: Double(maxIterations), expected: ">= 1")
    }
    self.gradientTolerance = gradientTolerance
    self.maximumStep = maximumStep
    self.separation = separation
    self.angleTolerance = angleTolerance
    self.maxIterations = maxIterations
    self.orientation = orientation
  }

  public var name: String { "dimer" }

  public func search(
    from start: Vector, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> SaddleSearchResult {
    try StationaryPoint.checkDimension(of: start, on: evaluator)
    let before = evaluator.counts
    do {
      return try run(from: start, on: &evaluator, before: before)
    } catch let error as SaddleSearchError {
      throw error
    } catch let error as EvaluationError {
      throw .evaluation(error)
    } catch {
      // Unreachable: `run` throws only the two above; its untyped `throws` needs this arm.
      throw .notConverged(iterations: 0, gradientNorm: .infinity, at: start)
    }
  }

  private func run(
    from start: Vector, on evaluator: inout Evaluator, before: EvaluationCounts
  ) throws -> SaddleSearchResult {
    let frame = InternalFrame(evaluator.surface)
    var x = start
    var g0 = try evaluator.energyAndGradient(at: x).gradient
    var n = try initialOrientation(at: x, gradient: g0, frame: frame, on: &evaluator)
    var history: [(step: Vector, gradientChange: Vector)] = []
    var iteration = 0
    while true {
      if g0.norm <= gradientTolerance {
        let point = try StationaryPoint(at: x, on: &evaluator)
        try point.verify(as: .saddle, within: 1e-3 * maximumStep)
        return SaddleSearchResult(
          saddle: point, iterations: iteration, counts: evaluator.counts - before)
      }
      guard iteration < maxIterations else {
        throw SaddleSearchError.notConverged(iterations: iteration, gradientNorm: g0.norm, at: x)
      }
      let modes = frame.modes(at: x)
      n = frame.internalDirection(n, modes: modes) ?? frame.anyInternalDirection(modes, x.count)
      let limit = iteration == 0 ? Self.firstRotationLimit(dimension: x.count) : Self.rotationLimit
      iteration += 1
      let rotated = try rotate(n, at: x, gradient: g0, modes: modes, limit: limit, on: &evaluator)
      n = rotated.orientation
      var step = try translation(
        at: x, gradient: g0, orientation: n, curvature: rotated.curvature, history: &history,
        on: &evaluator)
      step = RigidBodyModes.project(step, removing: modes)
      if step.norm > maximumStep { step = (maximumStep / step.norm) * step }
      let g = try evaluator.energyAndGradient(at: x + step).gradient
      remember(step, g - g0, in: &history)
      x = x + step
      g0 = g
    }
  }

  /// The translation step under the modified force. With negative curvature it is L-BFGS
  /// on the reflected gradient R g₀ (R = 1 − 2NNᵀ, whose minimum is the saddle), its pairs
  /// the raw translation steps and gradient changes reflected with the *current* N, so
  /// that a rotation between translations does not leave the memory describing another
  /// force. Without a usable pair (the first translation, or L-BFGS no longer a descent
  /// direction) a trial translation by Δ along the force measures the curvature along it
  /// and the step is Newton's along that line (Henkelman and Jónsson 1999, §II.C): the
  /// step F†/|C| would scale with the softest curvature and overshoot every stiffer mode.
  /// With positive curvature the dimer climbs along N alone, by the Newton length
  /// |g₀·N|/C (their uphill move out of a convex region).
  func translation(
    at x: Vector, gradient g0: Vector, orientation n: Vector, curvature: Double,
    history: inout [(step: Vector, gradientChange: Vector)], on evaluator: inout Evaluator
  ) throws -> Vector {
    let along = g0.dot(n)
    let softest = max(abs(curvature), 1e-300)
    guard curvature < 0 else { return (along / softest) * n }
    func reflected(_ v: Vector) -> Vector { v.adding(-2 * v.dot(n), times: n) }
    let force = -1 * reflected(g0)
    var memory = LBFGSMemory(capacity: Self.translationMemory)
    for pair in history {
      memory.remember(step: pair.step, gradientChange: reflected(pair.gradientChange))
    }
    let step = memory.apply(to: force, fallback: 1 / softest)
    if !memory.isEmpty && step.dot(force) > 0 { return step }
    let direction = force.normalized
    let trial = separation * direction
    let change = try evaluator.energyAndGradient(at: x + trial).gradient - g0
    remember(trial, change, in: &history)
    let curvatureAlongForce = reflected(change).dot(direction) / separation
    return curvatureAlongForce > 0
      ? (force.dot(direction) / curvatureAlongForce) * direction : (1 / softest) * force
  }

  /// Keeps a translation (or trial translation) and its gradient change for L-BFGS.
  func remember(
    _ step: Vector, _ change: Vector, in history: inout [(step: Vector, gradientChange: Vector)]
  ) {
    history.append((step, change))
    if history.count > Self.translationMemory { history.removeFirst() }
  }
}
