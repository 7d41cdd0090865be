import Foundation

/// The steepest-descent flow of the local quadratic model V ≈ V₀ + gᵀΔ + ½ΔᵀHΔ, solved
/// exactly in the Hessian eigenbasis.
///
/// References:
/// - M. Page and J. W. McIver, J. Chem. Phys. 88, 922 (1988), eqs. (9)–(12): along
///   dq/dt = −(g + HΔ) each eigencomponent evolves independently,
///   Δᵢ(t) = −gᵢ(1 − e^(−λᵢt))/λᵢ (→ −gᵢt as λᵢ → 0), and the arc length grows
///   monotonically with t, so a step of given length is a one-dimensional root.
///
/// The flow is stable however stiff the surface: stiff modes relax onto the valley floor
/// (their component tends to the Newton value −gᵢ/λᵢ) while soft ones move downhill, which
/// is what an explicit step cannot do in a narrow valley. On a positive-definite model the
/// flow ends (t → ∞) at the Newton step.
public struct QuadraticFlow: Sendable {
  public let eigensystem: SymmetricEigensystem
  /// Gradient components in the eigenbasis.
  public let gradientComponents: [Double]

  public init(gradient: Vector, eigensystem: SymmetricEigensystem) {
    self.eigensystem = eigensystem
    self.gradientComponents = eigensystem.coordinates(of: gradient)
  }

  /// The eigencomponents of Δ(t).
  func components(at t: Double) -> [Double] {
    zip(eigensystem.values, gradientComponents).map { lambda, g in
      let x = lambda * t
      // (1 − e^(−x))/λ = t·(1 − e^(−x))/x, with expm1 accurate for small x.
      let factor = abs(x) < 1e-8 ? t * (1 - 0.5 * x) : -expm1(-x) / lambda
      return -g * factor
    }
  }

  public func displacement(at t: Double) -> Vector {
    let parts = components(at: t)
    var result = Vector.zero(eigensystem.dimension)
    for (part, vector) in zip(parts, eigensystem.vectors) {
      result = result.adding(part, times: vector)
    }
    return result
  }

  func length(at t: Double) -> Double {
    components(at: t).reduce(0) { $0 + $1 * $1 }.squareRoot()
  }

  /// The Newton step −H⁻¹g, the flow's limit on a positive-definite model.
  public var newtonStep: Vector { eigensystem.apply({ -1 / $0 }, to: gradientFromComponents) }

  private var gradientFromComponents: Vector {
    var result = Vector.zero(eigensystem.dimension)
    for (g, vector) in zip(gradientComponents, eigensystem.vectors) {
      result = result.adding(g, times: vector)
    }
    return result
  }

  /// The point of the flow at arc-length distance `length` (chord), or the whole flow (the
  /// Newton step) when the model is positive definite and its minimum is nearer.
  /// Returns the displacement and whether it is the Newton step.
  public func step(length: Double) -> (displacement: Vector, isNewton: Bool) {
    if eigensystem.lowest > 0 {
      let newton = newtonStep
      if newton.norm <= length { return (newton, true) }
    }
    // Bracket t, then bisect |Δ(t)| = length (monotone in t). 200 bisections reach the
    // last bit of a Double bracket; the loop ends much sooner in practice.
    let gradientNorm = gradientComponents.reduce(0) { $0 + $1 * $1 }.squareRoot()
    var high = length / max(gradientNorm, Double.leastNormalMagnitude)
    var growth = 0
    while self.length(at: high) < length && growth < 2000 {
      high *= 2
      growth += 1
    }
    var low = 0.0
    for _ in 0..<200 {
      let middle = 0.5 * (low + high)
      if middle <= low || middle >= high { break }
      if self.length(at: middle) < length { low = middle } else { high = middle }
    }
    return (displacement(at: high), false)
  }
}
