/// The projected mass-weighted Hessian P H_q P of an isolated molecule by central
/// differences of gradients along its 3N − 6 (3N − 5 linear) internal directions only.
///
/// References:
/// - W. H. Miller, N. C. Handy and J. E. Adams, J. Chem. Phys. 72, 99 (1980), eqs.
///   (2.8)–(2.11): the projector P that removes translations and rotations from H_q.
/// - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), §8.1, eq.
///   (8.9): a Hessian–vector product H·d ≈ (∇V(x + hd) − ∇V(x − hd))/2h, error O(h²).
///
/// The energy does not change under a rigid motion, so P H_q P needs H_q only on the
/// internal subspace: with U (n × k) an orthonormal basis of it, P H_q P = U (Uᵀ H_q U) Uᵀ,
/// and each column H_q uᵢ is one central difference along uᵢ. That costs 2k gradients
/// instead of the 2n of the full Cartesian Hessian (6 instead of 18 for a bent triatomic,
/// 8 for a linear one), and it is exactly what frequencies, the index and every algorithm
/// running on `MassWeightedSurface` read. The result is returned as a Cartesian Hessian,
/// M^½ (P H_q P) M^½, whose mass-weighted projection is P H_q P again.
public enum InternalHessian {
  /// A basis candidate whose residual after removing the rigid-body modes and the vectors
  /// chosen so far is below this is not used: the pivoted choice below always finds k
  /// residuals far above it (each at least 1/√n of a unit vector's), so it only guards
  /// against rounding.
  static let residualFloor = 1e-8

  /// An orthonormal basis of the internal subspace in q: the Cartesian unit vectors with
  /// the rigid-body `modes` removed, orthonormalised, the largest residual first (pivoted
  /// Gram–Schmidt, deterministic).
  public static func basis(dimension n: Int, removing modes: [Vector]) -> [Vector] {
    var candidates = (0..<n).map { index -> Vector in
      var unit = Vector.zero(n)
      unit[index] = 1
      return RigidBodyModes.project(RigidBodyModes.project(unit, removing: modes), removing: modes)
    }
    var basis: [Vector] = []
    while basis.count < n - modes.count {
      let norms = candidates.map(\.norm)
      guard let best = norms.indices.max(by: { norms[$0] < norms[$1] }),
        norms[best] > residualFloor
      else { break }
      var chosen = candidates[best] / norms[best]
      chosen = RigidBodyModes.project(
        RigidBodyModes.project(chosen, removing: modes), removing: basis)
      chosen = chosen / chosen.norm
      basis.append(chosen)
      candidates = candidates.map { $0.adding(-chosen.dot($0), times: chosen) }
    }
    return basis
  }

  /// The Cartesian displacements (each of Cartesian length `step`) whose gradients give
  /// the internal Hessian at Cartesian `x`: +d₁, −d₁, +d₂, −d₂, …
  public static func displacements(at x: Vector, masses: [Double], step: Double) -> [Vector] {
    let roots = rootMasses(masses)
    return directions(at: x, masses: masses).flatMap { u -> [Vector] in
      let d = cartesianDirection(u, roots: roots)
      return [x.adding(step, times: d), x.adding(-step, times: d)]
    }
  }

  /// The Cartesian Hessian M^½ (P H_q P) M^½ from the gradients at `displacements(at:…)`,
  /// in the same order.
  public static func hessian(
    at x: Vector, masses: [Double], step: Double, gradients: [Vector]
  ) -> Matrix {
    let roots = rootMasses(masses)
    let basis = directions(at: x, masses: masses)
    precondition(gradients.count == 2 * basis.count, "two gradients per internal direction")
    let n = x.count
    // H_q uᵢ = M^−½ H_x M^−½ uᵢ = |dᵢ|·M^−½ (H_x d̂ᵢ), d̂ᵢ the unit Cartesian direction.
    let columns = basis.indices.map { i -> Vector in
      let length = Vector((0..<n).map { basis[i][$0] / roots[$0] }).norm
      let difference = (gradients[2 * i] - gradients[2 * i + 1]) / (2 * step)
      return Vector((0..<n).map { length * difference[$0] / roots[$0] })
    }
    let k = basis.count
    var inner = Matrix.zero(k, k)
    for a in 0..<k {
      for b in 0..<k { inner[a, b] = basis[a].dot(columns[b]) }
    }
    inner = inner.symmetrized
    var result = Matrix.zero(n, n)
    for i in 0..<n {
      for j in 0..<n {
        var sum = 0.0
        for a in 0..<k {
          for b in 0..<k { sum += basis[a][i] * inner[a, b] * basis[b][j] }
        }
        result[i, j] = roots[i] * sum * roots[j]
      }
    }
    return result.symmetrized
  }

  /// The internal basis at Cartesian `x`, from the rigid-body modes that
  /// `MassWeightedSurface` projects at the same geometry.
  static func directions(at x: Vector, masses: [Double]) -> [Vector] {
    basis(dimension: x.count, removing: RigidBodyModes.vectors(at: x, masses: masses))
  }

  /// The unit Cartesian direction M^−½u/|M^−½u| of a mass-weighted direction u.
  static func cartesianDirection(_ u: Vector, roots: [Double]) -> Vector {
    Vector((0..<u.count).map { u[$0] / roots[$0] }).normalized
  }

  static func rootMasses(_ masses: [Double]) -> [Double] {
    masses.flatMap { Array(repeating: $0.squareRoot(), count: 3) }
  }
}
