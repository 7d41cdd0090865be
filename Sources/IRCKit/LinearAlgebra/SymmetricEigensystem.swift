/// Eigenvalues and orthonormal eigenvectors of a real symmetric matrix.
///
/// References:
/// - G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed. (2013), §8.5.2,
///   Algorithms 8.5.1 (the 2×2 symmetric Schur decomposition) and 8.5.3 (cyclic Jacobi).
///
/// Cyclic Jacobi is chosen over tridiagonal QR because the matrices here are tiny Hessians
/// and Jacobi computes small eigenvalues to high *relative* accuracy (Demmel and Veselić
/// 1992), which matters when a soft mode decides "minimum" versus "asymptotic valley".
public struct SymmetricEigensystem: Sendable, Equatable {
  /// Eigenvalues in ascending order.
  public let values: [Double]
  /// Unit eigenvectors, `vectors[k]` belonging to `values[k]`.
  public let vectors: [Vector]

  public init(_ matrix: Matrix) {
    precondition(matrix.isSquare, "an eigensystem needs a square matrix")
    let n = matrix.rows
    if n > Self.jacobiLimit {
      (values, vectors) = Self.tridiagonalQL(matrix)
      return
    }
    var a = matrix.symmetrized
    var v = Matrix.identity(n)
    let scale = max(a.maxMagnitude, Double.leastNormalMagnitude)
    for _ in 0..<64 {
      var off = 0.0
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) { off += a[p, q] * a[p, q] }
      }
      if off.squareRoot() <= 1e-17 * scale { break }
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) where a[p, q] != 0 {
          Self.rotate(&a, &v, p, q)
        }
      }
    }
    let order = (0..<n).sorted { a[$0, $0] < a[$1, $1] }
    values = order.map { a[$0, $0] }
    vectors = order.map { v.column($0) }
  }

  /// One Jacobi rotation annihilating `a[p, q]` (Golub–Van Loan Algorithm 8.5.1).
  private static func rotate(_ a: inout Matrix, _ v: inout Matrix, _ p: Int, _ q: Int) {
    let apq = a[p, q]
    let tau = (a[q, q] - a[p, p]) / (2 * apq)
    // For huge tau the root t ≈ 1/(2τ); computing τ² would overflow.
    let t =
      abs(tau) > 1e150
      ? 1 / (2 * tau)
      : (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
    let c = 1 / (1 + t * t).squareRoot()
    let s = t * c
    let n = a.rows
    for r in 0..<n where r != p && r != q {
      let arp = a[r, p]
      let arq = a[r, q]
      a[r, p] = c * arp - s * arq
      a[p, r] = a[r, p]
      a[r, q] = s * arp + c * arq
      a[q, r] = a[r, q]
    }
    a[p, p] -= t * apq
    a[q, q] += t * apq
    a[p, q] = 0
    a[q, p] = 0
    for r in 0..<n {
      let vrp = v[r, p]
      let vrq = v[r, q]
      v[r, p] = c * vrp - s * vrq
      v[r, q] = s * vrp + c * vrq
    }
  }

  public var dimension: Int { values.count }
  public var lowest: Double { values[0] }
  public var highest: Double { values[values.count - 1] }

  /// The number of eigenvalues below `-threshold`: the Hessian index of a stationary point.
  public func negativeCount(threshold: Double = 0) -> Int {
    values.filter { $0 < -threshold }.count
  }

  /// `f(A) b` = Σₖ vₖ f(λₖ)(vₖ·b), e.g. `f = { 1 / $0 }` for a Newton step.
  public func apply(_ function: (Double) -> Double, to vector: Vector) -> Vector {
    var result = Vector.zero(vector.count)
    for (value, eigenvector) in zip(values, vectors) {
      result = result.adding(function(value) * eigenvector.dot(vector), times: eigenvector)
    }
    return result
  }

  /// The components of `vector` in the eigenbasis.
  public func coordinates(of vector: Vector) -> [Double] { vectors.map { $0.dot(vector) } }
}

extension Matrix {
  public var eigensystem: SymmetricEigensystem { SymmetricEigensystem(self) }
}
