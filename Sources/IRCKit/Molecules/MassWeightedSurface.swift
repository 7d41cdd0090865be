/// A Cartesian molecular surface seen in mass-weighted coordinates with the rigid-body
/// motions projected out: the one place where masses and the molecule's translations and
/// rotations enter. Everything above it (integrators, tracer, searches, NEB) runs in q
/// unchanged; everything below (surfaces, engines) in Cartesian coordinates.
///
/// References:
/// - K. Fukui, Acc. Chem. Res. 14, 363 (1981): the IRC is steepest descent in q = M^½x.
/// - W. H. Miller, N. C. Handy and J. E. Adams, J. Chem. Phys. 72, 99 (1980), eqs.
///   (2.8)–(2.11): g_q = M^−½∇V, H_q = M^−½HM^−½, and the projection P H_q P.
///
/// The gradient is returned as P·M^−½∇V (for an isolated molecule P changes it only by
/// rounding). The Hessian is P H_q P with the rigid-body directions given the positive
/// curvature `rigidCurvature(of:)` instead of zero: an algorithm that reads the lowest
/// eigenvalue (the index, "flat", P-RFO, the quadratic model) never sees the zero modes,
/// and since the gradient has no rigid component no Newton, flow or RFO step moves along
/// them. `HessianAnalysis` removes them exactly for indices and frequencies.
public struct MassWeightedSurface: Surface {
  /// The Cartesian surface.
  public let base: any Surface
  /// The mass of each atom, amu.
  public let masses: [Double]
  /// √m per coordinate.
  private let roots: Vector

  public init(_ base: any Surface, masses: [Double]) {
    precondition(base.dimension == 3 * masses.count, "a molecular surface has 3N coordinates")
    self.base = base
    self.masses = masses
    self.roots = Vector(masses.flatMap { mass in Array(repeating: mass.squareRoot(), count: 3) })
  }

  public var dimension: Int { base.dimension }
  public var derivativeSource: DerivativeSource { base.derivativeSource }
  public var concurrentEvaluations: Int { base.concurrentEvaluations }

  /// q = M^½x.
  public func massWeighted(_ x: Vector) -> Vector {
    Vector(zip(x.components, roots.components).map { $0 * $1 })
  }

  /// x = M^−½q.
  public func cartesian(_ q: Vector) -> Vector {
    Vector(zip(q.components, roots.components).map { $0 / $1 })
  }

  /// The orthonormal mass-weighted rigid-body vectors at `q`.
  public func rigidBodyModes(at q: Vector) -> [Vector] {
    RigidBodyModes.vectors(at: cartesian(q), masses: masses)
  }

  public func energy(at q: Vector) -> Double { base.energy(at: cartesian(q)) }

  public func gradient(at q: Vector) -> Vector { energyAndGradient(at: q).gradient }

  public func energyAndGradient(at q: Vector) -> (energy: Double, gradient: Vector) {
    let x = cartesian(q)
    let (energy, cartesianGradient) = base.energyAndGradient(at: x)
    return (energy, weighted(cartesianGradient, at: x))
  }

  /// P·M^−½∇V from the Cartesian gradient at Cartesian `x`.
  private func weighted(_ cartesianGradient: Vector, at x: Vector) -> Vector {
    let weighted = Vector(zip(cartesianGradient.components, roots.components).map { $0 / $1 })
    return RigidBodyModes.project(weighted, removing: RigidBodyModes.vectors(at: x, masses: masses))
  }

  /// M^−½ H M^−½ at `q`, not projected.
  public func unprojectedHessian(at q: Vector) -> Matrix {
    weighted(base.hessian(at: cartesian(q)))
  }

  /// M^−½ H M^−½ from a Cartesian Hessian.
  private func weighted(_ cartesianHessian: Matrix) -> Matrix {
    var hessian = cartesianHessian
    let n = dimension
    for i in 0..<n {
      for j in 0..<n { hessian[i, j] /= roots[i] * roots[j] }
    }
    return hessian
  }

  /// P H_q P with the rigid-body directions at `rigidCurvature`: the Hessian the
  /// algorithms see.
  public func hessian(at q: Vector) -> Matrix { projected(unprojectedHessian(at: q), at: q) }

  private func projected(_ unprojected: Matrix, at q: Vector) -> Matrix {
    let modes = rigidBodyModes(at: q)
    let projected = RigidBodyModes.project(unprojected, removing: modes, shift: 0)
    return RigidBodyModes.project(
      projected, removing: modes, shift: Self.rigidCurvature(of: projected))
  }

  // The throwing requirements forward to the base's, so that an engine's failure reaches
  // the algorithms as itself rather than as a NaN.
  public func evaluateEnergy(at q: Vector) throws(EvaluationError) -> Double {
    try base.evaluateEnergy(at: cartesian(q))
  }

  public func evaluateEnergyAndGradient(
    at q: Vector
  ) throws(EvaluationError) -> (energy: Double, gradient: Vector) {
    let x = cartesian(q)
    let (energy, cartesianGradient) = try base.evaluateEnergyAndGradient(at: x)
    return (energy, weighted(cartesianGradient, at: x))
  }

  public func evaluateHessian(at q: Vector) throws(EvaluationError) -> Matrix {
    projected(weighted(try base.evaluateHessian(at: cartesian(q))), at: q)
  }

  /// The curvature given to the rigid-body directions: the largest diagonal entry of the
  /// projected Hessian. A diagonal entry is a Rayleigh quotient, so it is at most the
  /// largest internal eigenvalue (the stiffness the tracer reads is unchanged) and at
  /// least the lowest (the followed mode of P-RFO stays internal); for a molecule it is
  /// within a small factor of the largest, far from "flat". Never zero or negative: the
  /// largest magnitude, or 1, stands in for a Hessian without a positive diagonal.
  public static func rigidCurvature(of projected: Matrix) -> Double {
    var largest = 0.0
    for i in 0..<projected.rows { largest = max(largest, projected[i, i]) }
    if largest > 0 { return largest }
    let magnitude = projected.maxMagnitude
    return magnitude > 0 ? magnitude : 1
  }
}

extension MassWeightedSurface {
  /// A point found in q as logs and JSON show it: Cartesian coordinates and the projected
  /// Hessian with the rigid-body eigenvalues at zero.
  public func displayed(_ point: StationaryPoint) -> StationaryPoint {
    StationaryPoint(
      coordinates: cartesian(point.coordinates), energy: point.energy,
      gradient: point.gradient,
      hessian: RigidBodyModes.project(
        unprojectedHessian(at: point.coordinates),
        removing: rigidBodyModes(at: point.coordinates), shift: 0))
  }
}
