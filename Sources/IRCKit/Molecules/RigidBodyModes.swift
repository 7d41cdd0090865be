/// The translations and rotations of a molecule as mass-weighted vectors.
///
/// References:
/// - E. B. Wilson, J. C. Decius and P. C. Cross, *Molecular Vibrations* (McGraw-Hill,
///   1955), §2-6: the six external coordinates.
/// - W. H. Miller, N. C. Handy and J. E. Adams, J. Chem. Phys. 72, 99 (1980), eq. (2.11):
///   the projector P = 1 − Σ v vᵀ that removes them from the mass-weighted Hessian.
///
/// In q = M^½x the translation along axis k is √mᵢ·e_k on every atom and the rotation about
/// a unit axis a is √mᵢ·(a × (xᵢ − x_com)). They are orthonormalised in that order. A
/// geometry is linear when the smallest principal moment of inertia is below
/// `linearInertiaRatio` of the largest; its rotations are then the two about the
/// principal axes across the molecule (5 modes), and the one about its axis is not a
/// rigid-body mode but the second component of a bend.
public enum RigidBodyModes {
  /// A geometry whose smallest principal moment of inertia is below this fraction of the
  /// largest is linear. A triatomic bent by δ from linear has I_min/I_max ≈ δ²/12 (equal
  /// masses; HNC's within a factor 1.5), so 10⁻⁶ counts bends below about 0.2° (3.5 mrad)
  /// as linear and keeps 1° (2·10⁻⁵) and anything larger bent. Round-off does not set
  /// it (the axis rotation's norm √I_min stands above rounding down to I_min/I_max ≈
  /// 10⁻²⁰); convergence does: a linear stationary point reached to |∇V| ≤ tol is bent by
  /// the Newton distance tol/λ_bend along its soft bend, a few mrad at the loosest
  /// tolerances, and a path ending in a collinear valley (H + H₂) is bent by its
  /// integration error. A bend that small is the molecule's rotation about its own axis to
  /// every accuracy the tool delivers, and counting it as a vibration would leave a zero
  /// mode (at the gradient's noise, of either sign) among the internal ones.
  public static let linearInertiaRatio = 1e-6

  /// Orthonormal mass-weighted rigid-body vectors at Cartesian `x` (3 for one atom, 5 for a
  /// linear geometry, 6 otherwise).
  public static func vectors(at x: Vector, masses: [Double]) -> [Vector] {
    let n = masses.count
    let roots = masses.map { $0.squareRoot() }
    let center = centerOfMass(x, masses)
    var candidates: [Vector] = []
    for k in 0..<3 {
      var translation = Vector.zero(3 * n)
      for atom in 0..<n { translation[3 * atom + k] = roots[atom] }
      candidates.append(translation)
    }
    for axis in rotationAxes(x, masses) {
      var rotation = Vector.zero(3 * n)
      for atom in 0..<n {
        let r = (0..<3).map { x[3 * atom + $0] - center[$0] }
        let cross = [
          axis[1] * r[2] - axis[2] * r[1], axis[2] * r[0] - axis[0] * r[2],
          axis[0] * r[1] - axis[1] * r[0],
        ]
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
      // Only an axis rotation of an exactly degenerate geometry (one atom) can vanish here.
      let floor = index < 3 ? 0 : 1e-12 * rotationScale
      if norm > floor && norm > 0 { basis.append(v / norm) }
    }
    return basis
  }

  /// The principal moments of inertia, ascending, with their unit axes.
  public static func principalMoments(at x: Vector, masses: [Double]) -> SymmetricEigensystem {
    let center = centerOfMass(x, masses)
    var inertia = Matrix(rows: 3, columns: 3, entries: Array(repeating: 0, count: 9))
    for atom in 0..<masses.count {
      let r = (0..<3).map { x[3 * atom + $0] - center[$0] }
      let r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2]
      for i in 0..<3 {
        for j in 0..<3 { inertia[i, j] += masses[atom] * ((i == j ? r2 : 0) - r[i] * r[j]) }
      }
    }
    return inertia.eigensystem
  }

  /// Whether the geometry counts as linear (`linearInertiaRatio`); one atom is not.
  public static func isLinear(_ x: Vector, masses: [Double]) -> Bool {
    isLinear(principalMoments(at: x, masses: masses).values)
  }

  private static func isLinear(_ moments: [Double]) -> Bool {
    moments[2] > 0 && moments[0] < linearInertiaRatio * moments[2]
  }

  /// The rotation axes: the principal axes across a linear geometry, else x, y and z.
  private static func rotationAxes(_ x: Vector, _ masses: [Double]) -> [[Double]] {
    let moments = principalMoments(at: x, masses: masses)
    if isLinear(moments.values) {
      return [moments.vectors[1].components, moments.vectors[2].components]
    }
    return [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
  }

  private static func centerOfMass(_ x: Vector, _ masses: [Double]) -> [Double] {
    let total = masses.reduce(0, +)
    var center = [0.0, 0.0, 0.0]
    for atom in 0..<masses.count {
      for k in 0..<3 { center[k] += masses[atom] * x[3 * atom + k] / total }
    }
    return center
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
