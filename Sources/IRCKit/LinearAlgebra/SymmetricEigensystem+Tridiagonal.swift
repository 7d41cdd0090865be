import Foundation

/// Eigenvalues and eigenvectors of a larger symmetric matrix in O(n³) with a small
/// constant: Householder reduction to tridiagonal form, then the implicit QL iteration.
///
/// References:
/// - R. S. Martin, C. Reinsch and J. H. Wilkinson, Numer. Math. 11, 181 (1968) (tred2) and
///   H. Bowdler, R. S. Martin, C. Reinsch and J. H. Wilkinson, Numer. Math. 11, 293 (1968)
///   (tql2), as in EISPACK and the public-domain JAMA library.
/// - G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed. (2013), §8.3.
///
/// Cyclic Jacobi costs about 10 sweeps of n²/2 rotations of O(n) each; for the 3N×3N
/// Hessians of clusters of dozens of atoms that is ~10× slower than this.
extension SymmetricEigensystem {
  /// Matrices up to this size use Jacobi (accurate small eigenvalues, tiny matrices);
  /// larger ones (molecules of more than 8 atoms) Householder–QL.
  static let jacobiLimit = 24

  /// (ascending eigenvalues, their unit eigenvectors).
  static func tridiagonalQL(_ matrix: Matrix) -> (values: [Double], vectors: [Vector]) {
    let n = matrix.rows
    var v = matrix.symmetrized.entries
    var d = [Double](repeating: 0, count: n)
    var e = [Double](repeating: 0, count: n)
    householder(&v, &d, &e, n)
    ql(&v, &d, &e, n)
    let order = (0..<n).sorted { d[$0] < d[$1] }
    return (
      order.map { d[$0] }, order.map { column in Vector((0..<n).map { v[$0 * n + column] }) }
    )
  }

  /// tred2: V ← the orthogonal reduction, d the diagonal, e the subdiagonal.
  private static func householder(
    _ v: inout [Double], _ d: inout [Double], _ e: inout [Double], _ n: Int
  ) {
    for j in 0..<n { d[j] = v[(n - 1) * n + j] }
    for i in stride(from: n - 1, to: 0, by: -1) {
      var scale = 0.0
      var h = 0.0
      for k in 0..<i { scale += abs(d[k]) }
      if scale == 0 {
        e[i] = d[i - 1]
        for j in 0..<i {
          d[j] = v[(i - 1) * n + j]
          v[i * n + j] = 0
          v[j * n + i] = 0
        }
      } else {
        for k in 0..<i {
          d[k] /= scale
          h += d[k] * d[k]
        }
        var f = d[i - 1]
        var g = h.squareRoot()
        if f > 0 { g = -g }
        e[i] = scale * g
        h -= f * g
        d[i - 1] = f - g
        for j in 0..<i { e[j] = 0 }
        for j in 0..<i {
          f = d[j]
          v[j * n + i] = f
          g = e[j] + v[j * n + j] * f
          if j + 1 <= i - 1 {
            for k in (j + 1)...(i - 1) {
              g += v[k * n + j] * d[k]
              e[k] += v[k * n + j] * f
            }
          }
          e[j] = g
        }
        f = 0
        for j in 0..<i {
          e[j] /= h
          f += e[j] * d[j]
        }
        let hh = f / (h + h)
        for j in 0..<i { e[j] -= hh * d[j] }
        for j in 0..<i {
          f = d[j]
          g = e[j]
          for k in j...(i - 1) { v[k * n + j] -= f * e[k] + g * d[k] }
          d[j] = v[(i - 1) * n + j]
          v[i * n + j] = 0
        }
      }
      d[i] = h
    }
    for i in 0..<(n - 1) {
      v[(n - 1) * n + i] = v[i * n + i]
      v[i * n + i] = 1
      let h = d[i + 1]
      if h != 0 {
        for k in 0...i { d[k] = v[k * n + i + 1] / h }
        for j in 0...i {
          var g = 0.0
          for k in 0...i { g += v[k * n + i + 1] * v[k * n + j] }
          for k in 0...i { v[k * n + j] -= g * d[k] }
        }
      }
      for k in 0...i { v[k * n + i + 1] = 0 }
    }
    for j in 0..<n {
      d[j] = v[(n - 1) * n + j]
      v[(n - 1) * n + j] = 0
    }
    v[(n - 1) * n + n - 1] = 1
    e[0] = 0
  }

  /// tql2: the implicit QL iteration with Wilkinson shifts on (d, e), rotating V.
  private static func ql(_ v: inout [Double], _ d: inout [Double], _ e: inout [Double], _ n: Int) {
    for i in 1..<n { e[i - 1] = e[i] }
    e[n - 1] = 0
    var f = 0.0
    var tst1 = 0.0
    let eps = Double.ulpOfOne
    for l in 0..<n {
      tst1 = max(tst1, abs(d[l]) + abs(e[l]))
      var m = l
      while m < n - 1 && abs(e[m]) > eps * tst1 { m += 1 }
      if m > l {
        // At most 60 iterations per eigenvalue; 2–3 are usual.
        for _ in 0..<60 {
          var g = d[l]
          var p = (d[l + 1] - g) / (2 * e[l])
          var r = hypot(p, 1)
          if p < 0 { r = -r }
          d[l] = e[l] / (p + r)
          d[l + 1] = e[l] * (p + r)
          let dl1 = d[l + 1]
          var h = g - d[l]
          if l + 2 < n { for i in (l + 2)..<n { d[i] -= h } }
          f += h
          p = d[m]
          var c = 1.0
          var c2 = c
          var c3 = c
          let el1 = e[l + 1]
          var s = 0.0
          var s2 = 0.0
          for i in stride(from: m - 1, through: l, by: -1) {
            c3 = c2
            c2 = c
            s2 = s
            g = c * e[i]
            h = c * p
            r = hypot(p, e[i])
            e[i + 1] = s * r
            s = e[i] / r
            c = p / r
            p = c * d[i] - s * g
            d[i + 1] = h + s * (c * g + s * d[i])
            for k in 0..<n {
              h = v[k * n + i + 1]
              v[k * n + i + 1] = s * v[k * n + i] + c * h
              v[k * n + i] = c * v[k * n + i] - s * h
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1
          e[l] = s * p
          d[l] = c * p
          if abs(e[l]) <= eps * tst1 { break }
        }
      }
      d[l] += f
      e[l] = 0
    }
  }
}
