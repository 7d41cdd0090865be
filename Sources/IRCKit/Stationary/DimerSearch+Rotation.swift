import Foundation

/// The dimer's rotation into the lowest-curvature mode and its first orientation.
///
/// References:
/// - G. Henkelman and H. Jónsson, J. Chem. Phys. 111, 7010 (1999), §II.B: the rotational
///   force F⊥ (the part of the images' force difference perpendicular to N) and
///   conjugate-gradient search directions for the rotation, Polak–Ribière.
/// - J. Kästner and P. Sherwood, J. Chem. Phys. 128, 014106 (2008), eqs. (5)–(11): one
///   trial rotation by θ₁ = ½·atan(½|dC/dθ|/|C|), C(θ) = a₀/2 + a₁cos2θ + b₁sin2θ fitted
///   through C(0), dC/dθ(0) = 2b₁ and C(θ₁), the rotation to its minimum, and g₁ there
///   interpolated from g₀, g₁(0) and g₁(θ₁) (exact to first order in Δ).
extension DimerSearch {
  /// Rotates the unit (internal) orientation `start` at centre `x` towards the lowest
  /// curvature: at most `limit` trial rotations, stopping when the angle to turn is below
  /// `angleTolerance`. Returns the orientation and its curvature C.
  func rotate(
    _ start: Vector, at x: Vector, gradient g0: Vector, modes: [Vector], limit: Int,
    on evaluator: inout Evaluator
  ) throws -> (orientation: Vector, curvature: Double) {
    let delta = separation
    var n = start
    var g1 = try evaluator.energyAndGradient(at: x.adding(delta, times: n)).gradient
    var curvature = (g1 - g0).dot(n) / delta
    var previous: (force: Vector, direction: Vector)?
    for _ in 0..<limit {
      let difference = (g1 - g0) / delta
      var force = RigidBodyModes.project(-1 * difference, removing: modes)
      force = force.adding(-force.dot(n), times: n)
      guard force.norm > 0 else { break }
      var direction = force
      if let previous {
        // Polak–Ribière, restarted when it stops being a descent direction of C.
        let gamma = max(0, force.dot(force - previous.force) / previous.force.dot(previous.force))
        direction = force + gamma * previous.direction
        direction = RigidBodyModes.project(direction, removing: modes)
        direction = direction.adding(-direction.dot(n), times: n)
        if direction.dot(force) <= 0 { direction = force }
      }
      let theta = direction.normalized
      let slope = 2 * difference.dot(theta)  // dC/dθ at θ = 0, negative along θ
      let trialAngle = 0.5 * atan(abs(slope) / (2 * max(abs(curvature), 1e-300)))
      guard trialAngle > angleTolerance else { break }
      let trialN = cos(trialAngle) * n + sin(trialAngle) * theta
      let trialG1 = try evaluator.energyAndGradient(at: x.adding(delta, times: trialN)).gradient
      let trialCurvature = (trialG1 - g0).dot(trialN) / delta
      let b1 = 0.5 * slope
      let a1 =
        (curvature - trialCurvature + b1 * sin(2 * trialAngle)) / (1 - cos(2 * trialAngle))
      let a0 = 2 * (curvature - a1)
      // The minimum of a₁cos2θ + b₁sin2θ, on the right branch directly.
      let best = 0.5 * atan2(-b1, -a1)
      g1 =
        (sin(trialAngle - best) / sin(trialAngle)) * g1 + (sin(best) / sin(trialAngle)) * trialG1
        + (1 - cos(best) - sin(best) * tan(0.5 * trialAngle)) * g0
      // The search direction carried along the great circle, for the next conjugate step.
      let carried = direction.norm * ((-sin(best)) * n + cos(best) * theta)
      n = (cos(best) * n + sin(best) * theta).normalized
      curvature = 0.5 * a0 + a1 * cos(2 * best) + b1 * sin(2 * best)
      previous = (force, carried)
      if abs(best) <= angleTolerance { break }
    }
    return (n, curvature)
  }

  /// The first orientation (see `Orientation`), internal on a molecule.
  func initialOrientation(
    at x: Vector, gradient g0: Vector, frame: InternalFrame, on evaluator: inout Evaluator
  ) throws -> Vector {
    let modes = frame.modes(at: x)
    var choice = orientation
    if choice == .automatic {
      choice =
        frame.isMolecule
        ? (evaluator.surface.derivativeSource == .analytic
          ? .lowestHessianMode : .random(seed: Self.defaultSeed)) : .gradient
    }
    var candidate: Vector
    switch choice {
    case .automatic, .gradient:
      candidate = g0
    case .lowestHessianMode:
      // A molecule's Hessian has its rigid-body directions lifted above every internal
      // curvature (`MassWeightedSurface`), so the lowest eigenvector is internal.
      candidate = try evaluator.hessian(at: x).eigensystem.vectors[0]
    case .random(let seed):
      var generator = SeededGenerator(seed: seed)
      candidate = Vector(
        (0..<x.count).map { _ in Double.random(in: -1...1, using: &generator) })
    }
    return frame.internalDirection(candidate, modes: modes)
      ?? frame.anyInternalDirection(modes, x.count)
  }

  /// The seed of the random first orientation, fixed so that a search can be replayed.
  static let defaultSeed: UInt64 = 1999
}

/// The internal subspace a dimer lives in: all of space on an abstract surface; on a
/// molecule the complement of its rigid-body modes, re-derived at each geometry.
struct InternalFrame {
  let surface: MassWeightedSurface?

  init(_ surface: any Surface) { self.surface = surface as? MassWeightedSurface }

  var isMolecule: Bool { surface != nil }

  /// The orthonormal rigid-body modes at `q` (none on an abstract surface).
  func modes(at q: Vector) -> [Vector] { surface?.rigidBodyModes(at: q) ?? [] }

  /// `v` without rigid-body components, normalised; nil if nothing internal is left.
  func internalDirection(_ v: Vector, modes: [Vector]) -> Vector? {
    let projected = RigidBodyModes.project(v, removing: modes)
    let norm = projected.norm
    guard norm > 1e-12 * max(v.norm, 1e-300), norm.isFinite else { return nil }
    return projected / norm
  }

  /// The first coordinate axis with an internal component: a fallback orientation.
  func anyInternalDirection(_ modes: [Vector], _ dimension: Int) -> Vector {
    for axis in 0..<dimension {
      if let v = internalDirection(.unit(axis, dimension: dimension), modes: modes) { return v }
    }
    return .unit(0, dimension: dimension)
  }
}
