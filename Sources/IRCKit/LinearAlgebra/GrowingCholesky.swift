/// The Cholesky factor L of a symmetric positive-definite matrix that grows by rows and
/// columns, as a Gaussian process gains observations: appending one costs O(n²) instead of
/// the O(n³) of factorising again.
///
/// References:
/// - G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed. (2013), §4.2.5
///   (Algorithm 4.2.1, the outer-product Cholesky) and §6.5.4 (updating a factorisation by
///   appending a row).
struct GrowingCholesky: Sendable {
  /// Rows of L: row i has i + 1 entries.
  private(set) var rows: [[Double]] = []
  /// A row whose squared pivot is below this fraction of its diagonal entry is refused as
  /// numerically dependent on the rows before it.
  var minimumRemainder = 1e-14

  init(minimumRemainder: Double = 1e-14) { self.minimumRemainder = minimumRemainder }

  var size: Int { rows.count }

  /// Appends the row (a, c) of the matrix: `covariances` with the existing rows, `diagonal`
  /// with itself. Returns false, leaving L unchanged, if the matrix would not be positive
  /// definite (the new row is numerically dependent on the old ones).
  mutating func append(covariances: [Double], diagonal: Double) -> Bool {
    precondition(covariances.count == size, "one covariance per existing row")
    let z = solveLower(covariances)
    let remainder = diagonal - z.reduce(0) { $0 + $1 * $1 }
    guard remainder > minimumRemainder * diagonal, remainder.isFinite else { return false }
    rows.append(z + [remainder.squareRoot()])
    return true
  }

  /// Solves L z = b.
  func solveLower(_ b: [Double]) -> [Double] {
    var z = b
    for i in 0..<z.count {
      let row = rows[i]
      var sum = z[i]
      for j in 0..<i { sum -= row[j] * z[j] }
      z[i] = sum / row[i]
    }
    return z
  }

  /// Solves Lᵀ x = z.
  func solveUpper(_ z: [Double]) -> [Double] {
    var x = z
    for i in stride(from: x.count - 1, through: 0, by: -1) {
      x[i] /= rows[i][i]
      let value = x[i]
      let row = rows[i]
      for j in 0..<i { x[j] -= row[j] * value }
    }
    return x
  }

  /// Solves (LLᵀ) x = b.
  func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }
}
