/// Optimal superposition of two geometries of the same atoms: the rigid motion (rotation
/// and translation, no reflection) that minimises the mass-weighted distance.
///
/// References:
/// - B. K. P. Horn, J. Opt. Soc. Am. A 4, 629 (1987), §4–5: the best rotation is the unit
///   quaternion of the largest eigenvalue of the 4×4 matrix N built from the correlation
///   S_ab = Σᵢ wᵢ aᵢ,ₐ bᵢ,ᵦ of the centred coordinates (eq. 40 ff.).
/// - W. Kabsch, Acta Cryst. A 32, 922 (1976): the same minimisation, by SVD.
public enum Alignment {
  /// `moving` rigidly moved to lie best on `reference` (weights = masses).
  public static func aligned(_ moving: Vector, onto reference: Vector, masses: [Double]) -> Vector {
    let n = masses.count
    let a = centred(moving, masses)
    let b = centred(reference, masses)
    var s = [[Double]](repeating: [0, 0, 0], count: 3)
    for atom in 0..<n {
      for i in 0..<3 {
        for j in 0..<3 { s[i][j] += masses[atom] * a.points[3 * atom + i] * b.points[3 * atom + j] }
      }
    }
    let (xx, xy, xz) = (s[0][0], s[0][1], s[0][2])
    let (yx, yy, yz) = (s[1][0], s[1][1], s[1][2])
    let (zx, zy, zz) = (s[2][0], s[2][1], s[2][2])
    let horn = Matrix([
      [xx + yy + zz, yz - zy, zx - xz, xy - yx],
      [yz - zy, xx - yy - zz, xy + yx, zx + xz],
      [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
      [xy - yx, zx + xz, yz + zy, -xx - yy + zz],
    ])
    let q = horn.eigensystem.vectors[3].normalized
    let (q0, q1, q2, q3) = (q[0], q[1], q[2], q[3])
    let rotation = [
      [q0 * q0 + q1 * q1 - q2 * q2 - q3 * q3, 2 * (q1 * q2 - q0 * q3), 2 * (q1 * q3 + q0 * q2)],
      [2 * (q1 * q2 + q0 * q3), q0 * q0 - q1 * q1 + q2 * q2 - q3 * q3, 2 * (q2 * q3 - q0 * q1)],
      [2 * (q1 * q3 - q0 * q2), 2 * (q2 * q3 + q0 * q1), q0 * q0 - q1 * q1 - q2 * q2 + q3 * q3],
    ]
    var result = Vector.zero(3 * n)
    for atom in 0..<n {
      for i in 0..<3 {
        var sum = b.center[i]
        for j in 0..<3 { sum += rotation[i][j] * a.points[3 * atom + j] }
        result[3 * atom + i] = sum
      }
    }
    return result
  }

  /// The mass-weighted distance √(Σ mᵢ|xᵢ − yᵢ|²) after the best superposition: a
  /// distance in q = M^½x (amu^½·length), zero for geometries that differ by a rigid motion.
  public static func distance(_ x: Vector, _ y: Vector, masses: [Double]) -> Double {
    let moved = aligned(x, onto: y, masses: masses)
    var sum = 0.0
    for atom in 0..<masses.count {
      for k in 0..<3 {
        let d = moved[3 * atom + k] - y[3 * atom + k]
        sum += masses[atom] * d * d
      }
    }
    return sum.squareRoot()
  }

  private static func centred(_ x: Vector, _ masses: [Double]) -> (points: Vector, center: [Double])
  {
    let total = masses.reduce(0, +)
    var center = [0.0, 0.0, 0.0]
    for atom in 0..<masses.count {
      for k in 0..<3 { center[k] += masses[atom] * x[3 * atom + k] / total }
    }
    var points = x
    for atom in 0..<masses.count {
      for k in 0..<3 { points[3 * atom + k] -= center[k] }
    }
    return (points, center)
  }

  /// A permutation-invariant distance for identical atoms: the largest difference between
  /// the sorted interatomic distances of each pair of elements. Zero for geometries that
  /// differ by a rigid motion, a reflection or an exchange of like atoms.
  public static func structureDistance(_ x: Vector, _ y: Vector, symbols: [String]) -> Double {
    func fingerprint(_ p: Vector) -> [String: [Double]] {
      var lists: [String: [Double]] = [:]
      for i in 0..<symbols.count {
        for j in (i + 1)..<max(i + 1, symbols.count) {
          let key = [symbols[i], symbols[j]].sorted().joined(separator: "-")
          var d2 = 0.0
          for k in 0..<3 { d2 += (p[3 * i + k] - p[3 * j + k]) * (p[3 * i + k] - p[3 * j + k]) }
          lists[key, default: []].append(d2.squareRoot())
        }
      }
      return lists.mapValues { $0.sorted() }
    }
    let (a, b) = (fingerprint(x), fingerprint(y))
    var largest = 0.0
    for (key, list) in a {
      guard let other = b[key], other.count == list.count else { return .infinity }
      for (u, v) in zip(list, other) { largest = max(largest, abs(u - v)) }
    }
    return largest
  }
}
