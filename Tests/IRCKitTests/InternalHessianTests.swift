import Foundation
import Testing

@testable import IRCKit

/// The projected Hessian from central differences along the internal directions only
/// (`InternalHessian`) against the analytic Hessian of the model surfaces, projected.
@Suite struct InternalHessianTests {
  /// P H_q P of the analytic Hessian at Cartesian `x`, and the internal-subspace one from
  /// 2k gradients of step `step`, both mass-weighted; and how many gradients it took.
  static func compare(_ base: any Surface, at x: Vector, masses: [Double], step: Double) -> (
    analytic: Matrix, differenced: Matrix, gradients: Int
  ) {
    let surface = MassWeightedSurface(base, masses: masses)
    let q = surface.massWeighted(x)
    let analytic = RigidBodyModes.project(
      surface.unprojectedHessian(at: q), removing: surface.rigidBodyModes(at: q), shift: 0)
    let displaced = InternalHessian.displacements(at: x, masses: masses, step: step)
    let cartesian = InternalHessian.hessian(
      at: x, masses: masses, step: step, gradients: displaced.map { base.gradient(at: $0) })
    let roots = masses.flatMap { Array(repeating: $0.squareRoot(), count: 3) }
    var differenced = cartesian
    for i in 0..<x.count {
      for j in 0..<x.count { differenced[i, j] /= roots[i] * roots[j] }
    }
    return (analytic, differenced, displaced.count)
  }

  /// LJ₇ away from any stationary point (where the Hessian's rigid-body block is not zero),
  /// with unequal masses: 2·(3N − 6) = 30 gradients, and P H P to the O(h²) of the stencil.
  @Test func lj7OffEquilibriumMatchesTheProjectedAnalyticHessian() {
    var generator = SeededGenerator(seed: 13)
    var x = pentagonalBipyramid(1.12)
    for i in 0..<x.count { x[i] += Double.random(in: -0.05...0.05, using: &generator) }
    let masses = [1.0, 2, 3, 4, 5, 6, 7]
    let result = Self.compare(
      PairCluster(pair: .lennardJones(epsilon: 1, sigma: 1), atomCount: 7), at: x,
      masses: masses, step: 1e-4)
    #expect(result.gradients == 2 * (3 * 7 - 6))
    let error = (result.differenced - result.analytic).maxMagnitude
    #expect(error < 1e-6 * result.analytic.maxMagnitude, "error \(error)")
  }

  /// The collinear H + H₂ saddle of the LEPS surface is linear: five rigid-body modes,
  /// 2·(3N − 5) = 8 gradients, and the same eigenvalues as the projected analytic Hessian
  /// (one negative, the doubly degenerate bend).
  @Test func linearH3SaddleTakesEightGradients() {
    let masses = [2.01410177812, 1.00782503223, 1.00782503223]
    let result = Self.compare(
      LEPSTriatomic(parameters: referenceLEPSParameters), at: h3SaddleGeometry, masses: masses,
      step: 1e-5)
    #expect(result.gradients == 8)
    let error = (result.differenced - result.analytic).maxMagnitude
    #expect(error < 1e-6 * result.analytic.maxMagnitude, "error \(error)")
    let values = result.differenced.eigensystem.values
    #expect(values.filter { $0 < -1e-3 }.count == 1, "\(values)")
  }

  /// The basis is orthonormal and orthogonal to the rigid-body modes.
  @Test func theBasisSpansTheInternalSubspace() {
    let x = pentagonalBipyramid(1.12)
    let masses = Array(repeating: 1.0, count: 7)
    let modes = RigidBodyModes.vectors(at: x, masses: masses)
    let basis = InternalHessian.basis(dimension: 21, removing: modes)
    #expect(basis.count == 15)
    for (i, u) in basis.enumerated() {
      #expect(abs(u.norm - 1) < 1e-12)
      for mode in modes { #expect(abs(u.dot(mode)) < 1e-12) }
      for v in basis[..<i] { #expect(abs(u.dot(v)) < 1e-12) }
    }
  }
}
