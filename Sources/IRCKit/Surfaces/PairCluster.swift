import Foundation

/// A cluster of N atoms in space bound by one pair potential φ(r): V = Σ_{i<j} φ(rᵢⱼ), over
/// the 3N Cartesian coordinates x₁, y₁, z₁, x₂, …
///
/// References:
/// - J. E. Lennard-Jones, Proc. R. Soc. Lond. A 106, 463 (1924): φ = 4ε[(σ/r)¹² − (σ/r)⁶].
/// - P. M. Morse, Phys. Rev. 34, 57 (1929); J. P. K. Doye and D. J. Wales, J. Chem. Soc.,
///   Faraday Trans. 93, 4233 (1997), eq. (1): φ = De[e^(−2α(r−re)) − 2e^(−α(r−re))]
///   (their ρ = α·re).
/// - D. J. Wales, *Energy Landscapes* (Cambridge, 2003), §2.7: for a pair with unit vector
///   u = (xᵢ − xⱼ)/r the Hessian block is φ''uuᵀ + (φ'/r)(1 − uuᵀ), added to the (i,i) and
///   (j,j) blocks and subtracted from (i,j) and (j,i).
///
/// The gradient costs O(N²) pair terms, the Hessian O(N²) blocks of 3×3.
public struct PairCluster: Surface, Equatable {
  /// The pair potential.
  public enum Pair: Sendable, Equatable {
    case lennardJones(epsilon: Double, sigma: Double)
    case morse(depth: Double, equilibrium: Double, alpha: Double)

    /// φ(r), φ'(r), φ''(r).
    func terms(_ r: Double) -> (value: Double, first: Double, second: Double) {
      switch self {
      case .lennardJones(let epsilon, let sigma):
        let s2 = (sigma / r) * (sigma / r)
        let s6 = s2 * s2 * s2
        let s12 = s6 * s6
        return (
          4 * epsilon * (s12 - s6), 4 * epsilon * (6 * s6 - 12 * s12) / r,
          4 * epsilon * (156 * s12 - 42 * s6) / (r * r)
        )
      case .morse(let depth, let equilibrium, let alpha):
        let e = exp(-alpha * (r - equilibrium))
        return (
          depth * (e * e - 2 * e), 2 * alpha * depth * (e - e * e),
          2 * alpha * alpha * depth * (2 * e * e - e)
        )
      }
    }
  }

  public var pair: Pair
  public var atomCount: Int

  public init(pair: Pair, atomCount: Int) {
    self.pair = pair
    self.atomCount = atomCount
  }

  public var dimension: Int { 3 * atomCount }
  public var derivativeSource: DerivativeSource { .analytic }

  public func energy(at point: Vector) -> Double {
    var energy = 0.0
    for i in 0..<atomCount {
      for j in (i + 1)..<max(i + 1, atomCount) {
        energy += pair.terms(PairGeometry(point, i, j).r).value
      }
    }
    return energy
  }

  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    var energy = 0.0
    var gradient = Vector.zero(dimension)
    for i in 0..<atomCount {
      for j in (i + 1)..<max(i + 1, atomCount) {
        let geometry = PairGeometry(point, i, j)
        let terms = pair.terms(geometry.r)
        energy += terms.value
        geometry.addGradient(terms.first, to: &gradient)
      }
    }
    return (energy, gradient)
  }

  public func hessian(at point: Vector) -> Matrix {
    var hessian = Matrix.zero(dimension, dimension)
    for i in 0..<atomCount {
      for j in (i + 1)..<max(i + 1, atomCount) {
        let geometry = PairGeometry(point, i, j)
        let terms = pair.terms(geometry.r)
        geometry.addHessian(
          geometry.block(second: terms.second, first: terms.first), to: &hessian)
      }
    }
    return hessian
  }
}

/// The distance between atoms i and j of a Cartesian point, and how it enters the
/// gradient and Hessian of a function of it.
struct PairGeometry {
  let i: Int
  let j: Int
  let r: Double
  /// (xᵢ − xⱼ)/r.
  let unit: [Double]

  init(_ point: Vector, _ i: Int, _ j: Int) {
    self.i = i
    self.j = j
    let d = (0..<3).map { point[3 * i + $0] - point[3 * j + $0] }
    let length = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).squareRoot()
    r = length
    unit = d.map { $0 / length }
  }

  /// Adds (∂f/∂r)·∂r/∂x.
  func addGradient(_ derivative: Double, to gradient: inout Vector) {
    for k in 0..<3 {
      gradient[3 * i + k] += derivative * unit[k]
      gradient[3 * j + k] -= derivative * unit[k]
    }
  }

  /// The 3×3 block f''·uuᵀ + (f'/r)(1 − uuᵀ) of a function f(r).
  func block(second: Double, first: Double) -> [[Double]] {
    (0..<3).map { a in
      (0..<3).map { b in
        let uu = unit[a] * unit[b]
        return second * uu + first / r * ((a == b ? 1 : 0) - uu)
      }
    }
  }

  /// Adds a block to (i,i) and (j,j) and subtracts it from (i,j) and (j,i).
  func addHessian(_ block: [[Double]], to hessian: inout Matrix) {
    for a in 0..<3 {
      for b in 0..<3 {
        hessian[3 * i + a, 3 * i + b] += block[a][b]
        hessian[3 * j + a, 3 * j + b] += block[a][b]
        hessian[3 * i + a, 3 * j + b] -= block[a][b]
        hessian[3 * j + a, 3 * i + b] -= block[a][b]
      }
    }
  }
}
