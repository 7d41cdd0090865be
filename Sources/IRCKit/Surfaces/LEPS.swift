import Foundation

/// The London–Eyring–Polanyi–Sato surface of a collinear A–B–C system.
///
/// References:
/// - H. Jónsson, G. Mills and K. W. Jacobsen, in *Classical and Quantum Dynamics in
///   Condensed Phase Simulations* (World Scientific, 1998), p. 385: the parametrisation.
/// - G. Henkelman, G. Jóhannesson and H. Jónsson, in *Theoretical Methods in Condensed Phase
///   Chemistry* (Kluwer, 2000), appendix A, eqs. (A1)–(A3): Q, J and V below.
///
/// Q(r) = (d/2)[(3/2)e^(−2α(r−r₀)) − e^(−α(r−r₀))],  J(r) = (d/4)[e^(−2α(r−r₀)) − 6e^(−α(r−r₀))],
/// V = Σᵢ Qᵢ/(1+aᵢ) − √S with uᵢ = Jᵢ/(1+aᵢ) and S = Σᵢuᵢ² − u₁u₂ − u₂u₃ − u₁u₃,
/// for the pairs i = AB (a), BC (b), AC (c).
public struct LEPS: Surface, Equatable {
  /// The distance between the outer atoms A and C.
  public enum ACDistance: Sendable, Equatable {
    /// Free collinear atoms: r_AC = r_AB + r_BC (model 1).
    case sum
    /// A and C held at a fixed distance.
    case fixed(Double)
  }

  /// The LEPS parameters of the three pairs.
  public struct Parameters: Sendable, Equatable {
    public var a: Double
    public var b: Double
    public var c: Double
    public var dAB: Double
    public var dBC: Double
    public var dAC: Double
    public var r0: Double
    public var alpha: Double

    public init(
      a: Double, b: Double, c: Double, dAB: Double, dBC: Double, dAC: Double, r0: Double,
      alpha: Double
    ) {
      self.a = a
      self.b = b
      self.c = c
      self.dAB = dAB
      self.dBC = dBC
      self.dAC = dAC
      self.r0 = r0
      self.alpha = alpha
    }
  }

  public var parameters: Parameters
  public var acDistance: ACDistance

  public init(parameters: Parameters, acDistance: ACDistance) {
    self.parameters = parameters
    self.acDistance = acDistance
  }

  public var dimension: Int { 2 }
  public var derivativeSource: DerivativeSource { .analytic }

  /// The three pair distances (r_AB, r_BC, r_AC) at coordinates (r_AB, r_BC), and their
  /// constant Jacobian ∂rᵢ/∂qⱼ.
  private func distances(_ q: Vector) -> (r: [Double], jacobian: [[Double]]) {
    switch acDistance {
    case .sum: return ([q[0], q[1], q[0] + q[1]], [[1, 0], [0, 1], [1, 1]])
    case .fixed(let rAC): return ([q[0], q[1], rAC], [[1, 0], [0, 1], [0, 0]])
    }
  }

  public func energy(at point: Vector) -> Double {
    parameters.energy(distances: distances(point).r)
  }

  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    let (r, jacobian) = distances(point)
    let terms = parameters.derivatives(distances: r)
    return (terms.energy, LEPS.Parameters.chainGradient(terms.gradient, jacobian))
  }

  public func hessian(at point: Vector) -> Matrix {
    let (r, jacobian) = distances(point)
    return LEPS.Parameters.chainHessian(parameters.derivatives(distances: r).hessian, jacobian)
  }
}

extension LEPS.Parameters {
  /// Value and first two derivatives of V with respect to the pair distances.
  struct PairDerivatives {
    var energy: Double
    var gradient: [Double]
    var hessian: [[Double]]
  }

  private var denominators: [Double] { [1 + a, 1 + b, 1 + c] }
  private var depths: [Double] { [dAB, dBC, dAC] }

  /// V alone, with the same operations in the same order as `derivatives`, so that the
  /// energy of `energy(at:)` and of `energyAndGradient(at:)` agree to the last bit.
  func energy(distances r: [Double]) -> Double {
    var energy = 0.0
    var u = [0.0, 0.0, 0.0]
    for i in 0..<3 {
      let e1 = exp(-alpha * (r[i] - r0))
      let e2 = e1 * e1
      energy += depths[i] / 2 / denominators[i] * (1.5 * e2 - e1)
      u[i] = depths[i] / 4 / denominators[i] * (e2 - 6 * e1)
    }
    let s = u[0] * u[0] + u[1] * u[1] + u[2] * u[2] - u[0] * u[1] - u[1] * u[2] - u[0] * u[2]
    return energy - s.squareRoot()
  }

  func derivatives(distances r: [Double]) -> PairDerivatives {
    var energy = 0.0
    var gradient = [0.0, 0.0, 0.0]
    var hessian = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    var u = [0.0, 0.0, 0.0]
    var du = [0.0, 0.0, 0.0]
    var d2u = [0.0, 0.0, 0.0]
    let alpha2 = alpha * alpha
    for i in 0..<3 {
      let e1 = exp(-alpha * (r[i] - r0))
      let e2 = e1 * e1
      let q = depths[i] / 2 / denominators[i]
      energy += q * (1.5 * e2 - e1)
      gradient[i] += q * alpha * (e1 - 3 * e2)
      hessian[i][i] += q * alpha2 * (6 * e2 - e1)
      let j = depths[i] / 4 / denominators[i]
      u[i] = j * (e2 - 6 * e1)
      du[i] = j * alpha * (6 * e1 - 2 * e2)
      d2u[i] = j * alpha2 * (4 * e2 - 6 * e1)
    }
    let sumU = u[0] + u[1] + u[2]
    let s = u[0] * u[0] + u[1] * u[1] + u[2] * u[2] - u[0] * u[1] - u[1] * u[2] - u[0] * u[2]
    let root = s.squareRoot()
    energy -= root
    // ∂S/∂uᵢ = 2uᵢ − Σ_{j≠i} uⱼ = 3uᵢ − Σu;  ∂²S/∂uᵢ∂uⱼ = 3δᵢⱼ − 1.
    let dS = (0..<3).map { (3 * u[$0] - sumU) * du[$0] }
    for i in 0..<3 {
      gradient[i] -= dS[i] / (2 * root)
      for k in 0..<3 {
        var d2S = (i == k ? 3.0 : 0.0) - 1
        d2S *= du[i] * du[k]
        if i == k { d2S += (3 * u[i] - sumU) * d2u[i] }
        hessian[i][k] -= d2S / (2 * root) - dS[i] * dS[k] / (4 * s * root)
      }
    }
    return PairDerivatives(energy: energy, gradient: gradient, hessian: hessian)
  }

  /// gⱼ = Σᵢ (∂V/∂rᵢ)(∂rᵢ/∂qⱼ).
  static func chainGradient(_ pairGradient: [Double], _ jacobian: [[Double]]) -> Vector {
    let n = jacobian[0].count
    return Vector(
      (0..<n).map { j in (0..<3).reduce(0.0) { $0 + pairGradient[$1] * jacobian[$1][j] } })
  }

  /// Hⱼₖ = Σᵢₗ Jᵢⱼ (∂²V/∂rᵢ∂rₗ) Jₗₖ; the distances are linear in q, so no second term.
  static func chainHessian(_ pairHessian: [[Double]], _ jacobian: [[Double]]) -> Matrix {
    let n = jacobian[0].count
    var matrix = Matrix.zero(n, n)
    for j in 0..<n {
      for k in j..<n {
        var sum = 0.0
        for i in 0..<3 {
          for l in 0..<3 { sum += jacobian[i][j] * pairHessian[i][l] * jacobian[l][k] }
        }
        // Computed once and mirrored: the Hessian is exactly symmetric.
        matrix[j, k] = sum
        matrix[k, j] = sum
      }
    }
    return matrix
  }
}
