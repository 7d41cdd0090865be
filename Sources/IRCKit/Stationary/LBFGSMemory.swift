/// The limited-memory BFGS approximation of an inverse Hessian, applied by the two-loop
/// recursion.
///
/// References:
/// - J. Nocedal, Math. Comp. 35, 773 (1980); J. Nocedal and S. J. Wright, *Numerical
///   Optimization*, 2nd ed. (2006), Algorithm 7.4 (two-loop recursion) and eq. (7.20)
///   (the initial scaling γ = sᵀy/yᵀy).
struct LBFGSMemory: Sendable {
  let capacity: Int
  private var pairs: [(s: Vector, y: Vector, rho: Double)] = []

  init(capacity: Int = 5) { self.capacity = capacity }

  var isEmpty: Bool { pairs.isEmpty }

  mutating func reset() { pairs.removeAll() }

  /// Stores a step and the change of the (pseudo)gradient over it; a pair without positive
  /// curvature (sᵀy ≤ 0) would break positive definiteness and is skipped.
  mutating func remember(step s: Vector, gradientChange y: Vector) {
    let sy = s.dot(y)
    guard sy > 1e-12 * s.norm * y.norm, sy.isFinite else { return }
    pairs.append((s, y, 1 / sy))
    if pairs.count > capacity { pairs.removeFirst() }
  }

  /// H·q for the approximate inverse Hessian H (the identity scaled by `fallback` when
  /// there is no history).
  func apply(to q: Vector, fallback: Double) -> Vector {
    guard let last = pairs.last else { return fallback * q }
    var r = q
    var alphas: [Double] = []
    for pair in pairs.reversed() {
      let alpha = pair.rho * pair.s.dot(r)
      alphas.append(alpha)
      r = r.adding(-alpha, times: pair.y)
    }
    r = (last.s.dot(last.y) / last.y.dot(last.y)) * r
    for (pair, alpha) in zip(pairs, alphas.reversed()) {
      let beta = pair.rho * pair.y.dot(r)
      r = r.adding(alpha - beta, times: pair.s)
    }
    return r
  }
}
