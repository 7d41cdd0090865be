/// Quasi-Newton updates of a Hessian from a step s and the change y of the gradient.
///
/// References:
/// - J. M. Bofill, J. Comput. Chem. 15, 1 (1994), eqs. (5)–(8): the update for saddle
///   regions, a mix of Murtagh–Sargent (symmetric rank one) and Powell-symmetric-Broyden
///   weighted by φ = (ξᵀs)² / (|ξ|²|s|²), ξ = y − Hs.
/// - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), eqs. (6.19)
///   and (6.24): BFGS and SR1.
///
/// Every update satisfies the secant condition H₊s = y. Bofill is the default along an IRC:
/// it keeps negative curvature where it exists (BFGS would force positive definiteness)
/// and avoids SR1's division by a vanishing ξᵀs.
public enum HessianUpdate: String, Sendable, Equatable, CaseIterable {
  case bofill
  case bfgs

  /// The updated Hessian; unchanged when the step is too short to carry information.
  public func updated(_ hessian: Matrix, step s: Vector, gradientChange y: Vector) -> Matrix {
    let ss = s.dot(s)
    guard ss > 0, ss.isFinite, y.isFinite else { return hessian }
    switch self {
    case .bofill:
      let xi = y - hessian * s
      let xiS = xi.dot(s)
      let xiXi = xi.dot(xi)
      // A gradient change the model already predicts exactly leaves nothing to update.
      guard xiXi > 1e-30 * max(y.dot(y), Double.leastNormalMagnitude) else { return hessian }
      let phi = xiS * xiS / (xiXi * ss)
      var result = hessian
      if phi > 0 {
        result = result + (phi / xiS) * Matrix.outer(xi, xi)
      }
      let psb =
        (1 / ss) * (Matrix.outer(xi, s) + Matrix.outer(s, xi))
        - (xiS / (ss * ss)) * Matrix.outer(s, s)
      return (result + (1 - phi) * psb).symmetrized
    case .bfgs:
      let ys = y.dot(s)
      let hs = hessian * s
      let sHs = s.dot(hs)
      // BFGS needs positive curvature along the step; skip the update otherwise.
      guard ys > 1e-12 * (y.norm * s.norm), sHs > 0 else { return hessian }
      return (hessian + (1 / ys) * Matrix.outer(y, y) - (1 / sHs) * Matrix.outer(hs, hs))
        .symmetrized
    }
  }
}

/// Where a Hessian-based integrator gets its Hessians.
public enum HessianSource: String, Sendable, Equatable, CaseIterable {
  /// A Hessian evaluation (analytic or finite-difference) at every point that needs one.
  case exact
  /// The saddle's Hessian, then a Bofill update from each step's gradient change: how
  /// users of expensive potentials run Hessian-based IRCs.
  case updated
}
