/// The rational-function (RFO) step that minimises a quadratic model along a set of
/// Hessian modes: every component shifted by the lowest eigenvalue of the augmented Hessian.
///
/// References:
/// - A. Banerjee, N. Adams, J. Simons and R. Shepard, J. Phys. Chem. 89, 52 (1985),
///   eqs. (13)–(16): in the eigenbasis (eigenvalues bᵢ, gradient components Fᵢ) the step
///   is hᵢ = −Fᵢ/(bᵢ − λ), λ the lowest eigenvalue of [[diag(bᵢ), F], [Fᵀ, 0]]. By
///   interlacing λ ≤ min(0, bᵢ), so the step is downhill along every mode whatever the
///   Hessian's signs, and λ = O(|F|²) makes it the Newton step near the minimum.
/// - J. Baker, J. Comput. Chem. 7, 385 (1986): P-RFO applies this to all modes but the
///   followed one (`SaddleRefiner`).
///
/// A denominator bᵢ − λ ≤ 0 can only arise from rounding with Fᵢ ≈ 0 (λ ≤ bᵢ exactly);
/// such a component is left at zero rather than divided by a rounding residue.
enum RationalFunctionStep {
  /// The shift λ of the augmented Hessian over `modes`.
  static func minimisingShift(
    eigenvalues b: [Double], gradientComponents f: [Double], modes: [Int]
  ) -> Double {
    let count = modes.count
    var augmented = Matrix.zero(count + 1, count + 1)
    for (row, index) in modes.enumerated() {
      augmented[row, row] = b[index]
      augmented[row, count] = f[index]
      augmented[count, row] = f[index]
    }
    return augmented.eigensystem.lowest
  }

  /// The step components hᵢ = −Fᵢ/(bᵢ − λ) along `modes` (other entries zero).
  static func components(
    eigenvalues b: [Double], gradientComponents f: [Double], modes: [Int]
  ) -> [Double] {
    var components = Array(repeating: 0.0, count: b.count)
    guard !modes.isEmpty else { return components }
    let lambda = min(minimisingShift(eigenvalues: b, gradientComponents: f, modes: modes), 0)
    for index in modes {
      let denominator = b[index] - lambda
      if denominator > 0 { components[index] = -f[index] / denominator }
    }
    return components
  }

  /// The RFO step over every mode, in the original coordinates.
  static func step(gradient: Vector, eigensystem: SymmetricEigensystem) -> Vector {
    let parts = components(
      eigenvalues: eigensystem.values, gradientComponents: eigensystem.coordinates(of: gradient),
      modes: Array(eigensystem.values.indices))
    return combine(parts, eigensystem)
  }

  /// Σ cᵢ vᵢ.
  static func combine(_ components: [Double], _ eigensystem: SymmetricEigensystem) -> Vector {
    var step = Vector.zero(components.count)
    for index in components.indices {
      step = step.adding(components[index], times: eigensystem.vectors[index])
    }
    return step
  }
}
