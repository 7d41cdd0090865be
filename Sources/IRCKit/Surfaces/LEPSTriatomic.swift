/// The LEPS surface of three atoms A, B, C free in space: V(r_AB, r_BC, r_AC) from the three
/// interatomic distances, so the triatomic can bend, over the nine Cartesian coordinates.
///
/// References:
/// - The parametrisation and V(r_AB, r_BC, r_AC) of `LEPS` (Jónsson, Mills and Jacobsen
///   1998; Henkelman, Jóhannesson and Jónsson 2000, eqs. A1–A3).
/// - Chain rule through the distances: ∂r/∂xᵢ = ±u, ∂²r/∂x² = (1 − uuᵀ)/r on the pair's
///   blocks (E. B. Wilson et al., *Molecular Vibrations* (1955), §4-1).
public struct LEPSTriatomic: Surface, Equatable {
  public var parameters: LEPS.Parameters

  public init(parameters: LEPS.Parameters) { self.parameters = parameters }

  public var dimension: Int { 9 }
  public var derivativeSource: DerivativeSource { .analytic }

  /// The pairs in the order of the parameters: AB, BC, AC.
  private func pairs(_ point: Vector) -> [PairGeometry] {
    [PairGeometry(point, 0, 1), PairGeometry(point, 1, 2), PairGeometry(point, 0, 2)]
  }

  public func energy(at point: Vector) -> Double {
    parameters.energy(distances: pairs(point).map(\.r))
  }

  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    let geometry = pairs(point)
    let terms = parameters.derivatives(distances: geometry.map(\.r))
    var gradient = Vector.zero(9)
    for (k, pair) in geometry.enumerated() { pair.addGradient(terms.gradient[k], to: &gradient) }
    return (terms.energy, gradient)
  }

  public func hessian(at point: Vector) -> Matrix {
    let geometry = pairs(point)
    let terms = parameters.derivatives(distances: geometry.map(\.r))
    var hessian = Matrix.zero(9, 9)
    // Σₖ (∂V/∂rₖ) ∂²rₖ/∂x²
    for (k, pair) in geometry.enumerated() {
      pair.addHessian(pair.block(second: 0, first: terms.gradient[k]), to: &hessian)
    }
    // Σₖₗ (∂²V/∂rₖ∂rₗ) (∂rₖ/∂x)(∂rₗ/∂x)ᵀ
    let jacobians: [Vector] = geometry.map { pair in
      var row = Vector.zero(9)
      pair.addGradient(1, to: &row)
      return row
    }
    for k in 0..<3 {
      for l in 0..<3 {
        let weight = terms.hessian[k][l]
        for a in 0..<9 where jacobians[k][a] != 0 {
          for b in 0..<9 { hessian[a, b] += weight * jacobians[k][a] * jacobians[l][b] }
        }
      }
    }
    return hessian.symmetrized
  }
}
