import Foundation

/// A surrogate surface: the posterior mean of a Gaussian process conditioned on energies
/// and gradients observed at points, with a squared-exponential kernel.
///
/// References:
/// - C. E. Rasmussen and C. K. I. Williams, *Gaussian Processes for Machine Learning* (MIT
///   Press, 2006), eqs. (2.25)–(2.27) (posterior mean) and §9.4 (derivative observations):
///   with k(x, x′) = exp(−|x − x′|²/2ℓ²) and r = x − x′,
///   cov(V, ∂ₗV′) = k rₗ/ℓ², cov(∂ₚV, V′) = −k rₚ/ℓ², cov(∂ₚV, ∂ₗV′) = k(δₚₗ/ℓ² − rₚrₗ/ℓ⁴).
/// - A. Denzel and J. Kästner, J. Chem. Phys. 148, 094114 (2018): such a model built from
///   energies and gradients of a molecular surface, with the prior mean set to the highest
///   observed energy, so that the model rises, not falls, away from its data.
///
/// The posterior mean does not depend on the signal variance when the noise is
/// proportional to it, so the only hyperparameter is the length scale ℓ. A small jitter
/// (10⁻¹⁰ of each diagonal entry) keeps the covariance matrix positive definite when
/// observations crowd together; an observation that adds nothing new within it is dropped.
public struct GaussianProcessSurface: Surface {
  public let dimension: Int
  public let lengthScale: Double
  public private(set) var points: [Vector] = []
  public private(set) var energies: [Double] = []
  public private(set) var gradients: [Vector] = []
  private var factor = GrowingCholesky()
  /// The points' coordinates, concatenated.
  private var flatPoints: [Double] = []
  /// K⁻¹(y − m), in the order energy, gradient components, point by point.
  private var weights: [Double] = []
  private var priorMean = 0.0

  static let jitter = 1e-10

  public init(dimension: Int, lengthScale: Double) {
    self.dimension = dimension
    self.lengthScale = lengthScale
  }

  public var count: Int { points.count }
  public var derivativeSource: DerivativeSource { .analytic }

  /// Conditions the model on the energy and gradient observed at `point`. Returns false if
  /// the observation was redundant (numerically implied by the others) and dropped.
  @discardableResult
  public mutating func observe(_ point: Vector, energy: Double, gradient: Vector) -> Bool {
    let l2 = lengthScale * lengthScale
    let d = dimension
    // The new rows: energy, then each gradient component, against every old observation.
    var newRows: [[Double]] = Array(repeating: [], count: 1 + d)
    for old in points {
      let r = point - old
      let k = exp(-r.dot(r) / (2 * l2))
      newRows[0].append(k)
      for l in 0..<d { newRows[0].append(k * r[l] / l2) }
      for p in 0..<d {
        newRows[1 + p].append(-k * r[p] / l2)
        for l in 0..<d {
          newRows[1 + p].append(k * ((p == l ? 1 : 0) / l2 - r[p] * r[l] / (l2 * l2)))
        }
      }
    }
    var trial = factor
    for row in 0...d {
      // Covariances within the new block: k = 1 and r = 0.
      var covariances = newRows[row]
      for column in 0..<row { covariances.append(0) }
      let diagonal = (row == 0 ? 1 : 1 / l2) * (1 + Self.jitter)
      guard trial.append(covariances: covariances, diagonal: diagonal) else { return false }
    }
    factor = trial
    points.append(point)
    flatPoints.append(contentsOf: point.components)
    energies.append(energy)
    gradients.append(gradient)
    priorMean = energies.max() ?? 0
    var targets: [Double] = []
    targets.reserveCapacity(points.count * (1 + d))
    for (e, g) in zip(energies, gradients) {
      targets.append(e - priorMean)
      targets.append(contentsOf: g.components)
    }
    weights = factor.solve(targets)
    return true
  }

  public func energy(at point: Vector) -> Double { energyAndGradient(at: point).energy }
  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    let l2 = lengthScale * lengthScale
    let inverseL2 = 1 / l2
    let d = dimension
    var energy = priorMean
    var gradient = [Double](repeating: 0, count: d)
    // The hot loop of every surrogate path: flat arrays, no allocation per data point.
    point.components.withUnsafeBufferPointer { x in
      flatPoints.withUnsafeBufferPointer { data in
        weights.withUnsafeBufferPointer { alpha in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { r in
            for index in 0..<points.count {
              var r2 = 0.0
              for l in 0..<d {
                r[l] = x[l] - data[index * d + l]
                r2 += r[l] * r[l]
              }
              let k = exp(-0.5 * r2 * inverseL2)
              let base = index * (1 + d)
              var rAlpha = 0.0
              for l in 0..<d { rAlpha += r[l] * alpha[base + 1 + l] }
              let s = alpha[base] + rAlpha * inverseL2
              energy += k * s
              for p in 0..<d {
                gradient[p] += k * inverseL2 * (alpha[base + 1 + p] - r[p] * s)
              }
            }
          }
        }
      }
    }
    return (energy, Vector(gradient))
  }

  public func hessian(at point: Vector) -> Matrix {
    let l2 = lengthScale * lengthScale
    let d = dimension
    var hessian = Matrix.zero(d, d)
    for (index, old) in points.enumerated() {
      let r = point - old
      let k = exp(-r.dot(r) / (2 * l2))
      let base = index * (1 + d)
      let alphaE = weights[base]
      var rAlpha = 0.0
      for l in 0..<d { rAlpha += r[l] * weights[base + 1 + l] }
      let s = alphaE + rAlpha / l2
      // ∂q of gₚ = k[−rₚ s/ℓ² + αₚ/ℓ²]: ∂q k = −k r_q/ℓ², ∂q s = α_q/ℓ².
      for p in 0..<d {
        let ap = weights[base + 1 + p]
        for q in 0..<d {
          let aq = weights[base + 1 + q]
          let term =
            (r[q] / l2) * (r[p] / l2 * s - ap / l2)
            - ((p == q ? 1 : 0) / l2) * s - (r[p] / l2) * (aq / l2)
          hessian[p, q] += k * term
        }
      }
    }
    return hessian.symmetrized
  }
}
