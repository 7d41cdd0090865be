import Foundation

/// Central finite differences: the fallback derivatives of `Surface` and the independent
/// check of every analytic derivative in the tests.
///
/// References:
/// - B. Fornberg, "Generation of finite difference formulas on arbitrarily spaced grids",
///   Math. Comp. 51, 699 (1988): the 2nd-order stencil (f₊ − f₋)/2h and the 4th-order
///   stencil (−f₊₂ + 8f₊ − 8f₋ + f₋₂)/12h.
/// - J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed. (2006), §8.1: the step
///   h ≈ ε^(1/3) balances truncation O(h²) against rounding O(ε/h) for the 2nd-order
///   stencil, h ≈ ε^(1/5) for the 4th-order one.
public enum FiniteDifferences {
  /// The accuracy order of a central stencil.
  public enum Order: Int, Sendable {
    case second = 2
    case fourth = 4

    var relativeStep: Double {
      switch self {
      case .second: return cbrt(Double.ulpOfOne)
      case .fourth: return pow(Double.ulpOfOne, 0.2)
      }
    }
  }

  /// The step for coordinate value `x`: relative for large |x|, absolute near zero.
  static func step(for x: Double, order: Order, scale: Double) -> Double {
    order.relativeStep * max(abs(x), scale)
  }

  /// The central derivative of a vector-valued function along coordinate `index`.
  public static func derivative(
    of function: (Vector) -> Vector, at point: Vector, along index: Int,
    order: Order = .fourth, scale: Double = 1
  ) -> Vector {
    let h = step(for: point[index], order: order, scale: scale)
    var plus = point
    var minus = point
    plus[index] += h
    minus[index] -= h
    // Divide by the step actually representable in floating point, not the nominal one.
    let width = plus[index] - minus[index]
    switch order {
    case .second:
      return (function(plus) - function(minus)) / width
    case .fourth:
      var plus2 = point
      var minus2 = point
      plus2[index] += 2 * h
      minus2[index] -= 2 * h
      let near = function(plus) - function(minus)
      let far = function(plus2) - function(minus2)
      return (8 * near - far) / (6 * width)
    }
  }

  /// ∇V by central differences of V (2n or 4n energy evaluations).
  public static func gradient(
    at point: Vector, order: Order = .fourth, scale: Double = 1,
    energy: (Vector) -> Double
  ) -> Vector {
    Vector(
      (0..<point.count).map { index in
        derivative(
          of: { Vector([energy($0)]) }, at: point, along: index, order: order, scale: scale)[0]
      })
  }

  /// The Hessian by central differences of the gradient (2n or 4n gradient evaluations),
  /// symmetrized.
  public static func hessian(
    at point: Vector, order: Order = .second, scale: Double = 1,
    gradient: (Vector) -> Vector
  ) -> Matrix {
    let n = point.count
    var matrix = Matrix.zero(n, n)
    for index in 0..<n {
      let column = derivative(of: gradient, at: point, along: index, order: order, scale: scale)
      for row in 0..<n { matrix[row, index] = column[row] }
    }
    return matrix.symmetrized
  }
}
