/// A dense row-major matrix of `Double`s; in practice a Hessian of a few coordinates.
public struct Matrix: Sendable, Hashable, CustomStringConvertible {
  public let rows: Int
  public let columns: Int
  /// Row-major entries: element (i, j) is `entries[i * columns + j]`.
  public var entries: [Double]

  public init(rows: Int, columns: Int, entries: [Double]) {
    precondition(entries.count == rows * columns, "entry count does not match the shape")
    self.rows = rows
    self.columns = columns
    self.entries = entries
  }

  /// A matrix from its rows, `[[a, b], [c, d]]`.
  public init(_ rowArrays: [[Double]]) {
    let columns = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == columns }, "ragged rows")
    self.init(rows: rowArrays.count, columns: columns, entries: rowArrays.flatMap { $0 })
  }

  public static func zero(_ rows: Int, _ columns: Int) -> Matrix {
    Matrix(rows: rows, columns: columns, entries: Array(repeating: 0, count: rows * columns))
  }

  public static func identity(_ dimension: Int) -> Matrix {
    var matrix = Matrix.zero(dimension, dimension)
    for index in 0..<dimension { matrix[index, index] = 1 }
    return matrix
  }

  /// The outer product `u vᵀ`.
  public static func outer(_ u: Vector, _ v: Vector) -> Matrix {
    var matrix = Matrix.zero(u.count, v.count)
    for i in 0..<u.count {
      for j in 0..<v.count { matrix[i, j] = u[i] * v[j] }
    }
    return matrix
  }

  public subscript(row: Int, column: Int) -> Double {
    get { entries[row * columns + column] }
    set { entries[row * columns + column] = newValue }
  }

  public func row(_ index: Int) -> Vector {
    Vector(Array(entries[(index * columns)..<((index + 1) * columns)]))
  }

  public func column(_ index: Int) -> Vector { Vector((0..<rows).map { self[$0, index] }) }

  public var isSquare: Bool { rows == columns }
  public var isFinite: Bool { entries.allSatisfy(\.isFinite) }

  public var transposed: Matrix {
    var result = Matrix.zero(columns, rows)
    for i in 0..<rows {
      for j in 0..<columns { result[j, i] = self[i, j] }
    }
    return result
  }

  /// `(A + Aᵀ) / 2`: removes the rounding asymmetry of a finite-difference Hessian.
  public var symmetrized: Matrix {
    precondition(isSquare, "only a square matrix can be symmetrized")
    var result = self
    for i in 0..<rows {
      for j in (i + 1)..<max(i + 1, columns) {
        let mean = 0.5 * (self[i, j] + self[j, i])
        result[i, j] = mean
        result[j, i] = mean
      }
    }
    return result
  }

  /// The largest absolute entry.
  public var maxMagnitude: Double { entries.reduce(0) { max($0, abs($1)) } }

  public var description: String {
    "[" + (0..<rows).map { row($0).description }.joined(separator: ", ") + "]"
  }

  public static func * (matrix: Matrix, vector: Vector) -> Vector {
    precondition(matrix.columns == vector.count, "dimension mismatch")
    var result = Vector.zero(matrix.rows)
    for i in 0..<matrix.rows {
      var sum = 0.0
      let base = i * matrix.columns
      for j in 0..<matrix.columns { sum += matrix.entries[base + j] * vector[j] }
      result[i] = sum
    }
    return result
  }

  public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.columns == rhs.rows, "dimension mismatch")
    var result = Matrix.zero(lhs.rows, rhs.columns)
    for i in 0..<lhs.rows {
      for k in 0..<lhs.columns {
        let factor = lhs[i, k]
        if factor == 0 { continue }
        for j in 0..<rhs.columns { result[i, j] += factor * rhs[k, j] }
      }
    }
    return result
  }

  public static func * (scalar: Double, matrix: Matrix) -> Matrix {
    Matrix(rows: matrix.rows, columns: matrix.columns, entries: matrix.entries.map { scalar * $0 })
  }

  public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch")
    return Matrix(
      rows: lhs.rows, columns: lhs.columns,
      entries: zip(lhs.entries, rhs.entries).map { $0 + $1 })
  }

  public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
    precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "shape mismatch")
    return Matrix(
      rows: lhs.rows, columns: lhs.columns,
      entries: zip(lhs.entries, rhs.entries).map { $0 - $1 })
  }
}
