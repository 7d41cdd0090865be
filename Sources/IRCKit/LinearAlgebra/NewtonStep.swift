/// The Newton step of a quadratic model, −H⁻¹g, in the Hessian's eigenbasis: the one rule
/// by which every search, integrator and check inverts eigenvalues.
///
/// References:
/// - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), §3.3 eq. (3.30):
///   the Newton step p = −H⁻¹g; in the eigenbasis (λᵢ, vᵢ) p = −Σ vᵢ (vᵢ·g)/λᵢ.
/// - A. Banerjee, N. Adams, J. Simons and R. Shepard, J. Phys. Chem. 89, 52 (1985), §II: the
///   Newton step moves to the model's stationary point whatever its index; its length is
///   how far that point is, whatever the signs of the eigenvalues.
///
/// The rule: λᵢ = 0 makes the step infinite (a flat direction has no stationary point at
/// any finite distance), even where gᵢ = 0, so that a plateau (a far field where the
/// gradient and Hessian both underflow) never passes for a stationary point. The step's
/// length does not depend on the signs of the eigenvalues, so `newtonDistance` serves
/// alike as "how far the minimum is" and "how far the saddle is".
extension SymmetricEigensystem {
  /// −H⁻¹g; non-finite when an eigenvalue is exactly zero.
  public func newtonStep(for gradient: Vector) -> Vector {
    apply({ $0 == 0 ? -.infinity : -1 / $0 }, to: gradient)
  }

  /// |H⁻¹g|: the distance to the quadratic model's stationary point; +∞ when an
  /// eigenvalue is exactly zero.
  public func newtonDistance(for gradient: Vector) -> Double {
    if values.contains(0) { return .infinity }
    return newtonStep(for: gradient).norm
  }

  /// −|H|⁻¹g with |λ| floored at `floor`: a Newton step that descends along every mode
  /// (it never climbs a negative-curvature direction) and stays finite where H is
  /// singular. Used where the step must go downhill on a projected Hessian whose
  /// eigenvalues may be of either sign or zero (the Gonzalez–Schlegel constrained
  /// optimisation on the hypersphere; P. E. Gill, W. Murray and M. H. Wright, *Practical
  /// Optimization* (1981), §4.4.2.1, the modified Newton step with |λ|).
  public func descentNewtonStep(for gradient: Vector, floor: Double) -> Vector {
    apply({ -1 / max(abs($0), floor) }, to: gradient)
  }
}
