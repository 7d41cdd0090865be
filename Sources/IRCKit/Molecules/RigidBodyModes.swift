/// The translations and rotations of a molecule as mass-weighted vectors.
///
/// References:
/// - E. B. Wilson, J. C. Decius and P. C. Cross, *Molecular Vibrations* (McGraw-Hill,
///   1955), §2-6: the six external coordinates.
/// - W. H. Miller, N. C. Handy and J. E. Adams, J. Chem. Phys. 72, 99 (1980), eq. (2.11):
///   the projector P = 1 − Σ v vᵀ that removes them from the mass-weighted Hessian.
///
/// In q = M^½x the translation along axis k is √mᵢ·e_k on every atom and the rotation about
/// k is √mᵢ·(e_k × (xᵢ − x_com)). They are orthonormalised in that order; a rotation about
/// the axis of a linear geometry vanishes and is dropped (5 modes instead of 6).
public enum RigidBodyModes {
  /// A rotation whose orthogonalised norm is below this fraction of the largest rotation's
  /// norm (√ of the largest moment of inertia) is the one about a linear molecule's axis:
  /// well above rounding (10⁻¹⁶) and far below any real bend (a 10⁻³ rad kink gives 10⁻³).
  public static let linearityThreshold = 1e-6

  /// Orthonormal mass-weighted rigid-body vectors at Cartesian `x` (3 for one atom, 5 for a
  /// linear geometry, 6 otherwise).
  public static func vectors(at x: Vector, masses: [Double]) -> [Vector] {
    let n = masses.count
    let roots = masses.map { $0.squareRoot() }
    let total = masses.reduce(0, +)
    var center = [0.0, 0.0, 0.0]
    for atom in 0..<n {
      for k in 0..<3 { center[k] += masses[atom] * x[3 * atom + k] / total }
    }
    var candidates: [Vector] = []
    for k in 0..<3 {
      var translation = Vector.zero(3 * n)
      for atom in 0..<n { translation[3 * atom + k] = roots[atom] }
      candidates.append(translation)
    }
    for k in 0..<3 {
      var rotation = Vector.zero(3 * n)
      for atom in 0..<n {
        let r = (0..<3).map { x[3 * atom + $0] - center[$0] }
        // e_k × r
        let cross: [Double]
        switch k {
        case 0: cross = [0, -r[2], r[1]]
        case 1: cross = [r[2], 0, -r[0]]
        default: cross = [-r[1], r[0], 0]
        }
        for c in 0..<3 { rotation[3 * atom + c] = roots[atom] * cross[c] }
      }
      candidates.append(rotation)
    }
    let rotationScale = candidates[3...].map(\.norm).max() ?? 0
    var basis: [Vector] = []
    for (index, candidate) in candidates.enumerated() {
      var v = candidate
      // Twice, for orthogonality to rounding (Giraud et al., "twice is enough").
      for _ in 0..<2 {
        for b in basis { v = v.adding(-b.dot(v), times: b) }
      }
      let norm = v.norm
      let floor = index < 3 ? 0 : linearityThreshold * rotationScale
      if norm > floor && norm > 0 { basis.append(v / norm) }
    }
    return basis
  }

  /// `v` with its components along the orthonormal `modes` removed: P·v.
  public static func project(_ v: Vector, removing modes: [Vector]) -> Vector {
    var result = v
    for mode in modes { result = result.adding(-mode.dot(result), times: mode) }
    return result
  }

  /// P H P + shift·Σ v vᵀ for orthonormal `modes` (V, n×k): the projected matrix with the
  /// rigid-body directions given the eigenvalue `shift`. O(n²k).
  public static func project(_ hessian: Matrix, removing modes: [Vector], shift: Double) -> Matrix {
    let n = hessian.rows
    // HV (n×k), then PHP = H − V(HV)ᵀ − (HV)Vᵀ + V(VᵀHV)Vᵀ.
    let hv = modes.map { hessian * $0 }
    let k = modes.count
    var vhv = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    for a in 0..<k {
      for b in 0..<k { vhv[a][b] = modes[a].dot(hv[b]) }
    }
    var result = hessian
    for i in 0..<n {
      for j in 0..<n {
        var sum = 0.0
        for a in 0..<k {
          sum -= modes[a][i] * hv[a][j] + hv[a][i] * modes[a][j]
          var inner = 0.0
          for b in 0..<k { inner += vhv[a][b] * modes[b][j] }
          sum += modes[a][i] * inner
          if shift != 0 { sum += shift * modes[a][i] * modes[a][j] }
        }
        result[i, j] += sum
      }
    }
    return result.symmetrized
  }
}
