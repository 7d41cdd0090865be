import Foundation
import Testing

@testable import IRCKit

struct LinearAlgebraTests {
  static func randomSymmetric(_ n: Int, _ generator: inout SeededGenerator) -> Matrix {
    var matrix = Matrix.zero(n, n)
    for i in 0..<n {
      for j in i..<n {
        let value = Double.random(in: -10...10, using: &generator)
        matrix[i, j] = value
        matrix[j, i] = value
      }
    }
    return matrix
  }

  @Test(arguments: [1, 2, 3, 6, 12])
  func eigensystemDiagonalisesSymmetricMatrices(_ n: Int) {
    let seed = UInt64(1000 + n)
    var generator = SeededGenerator(seed: seed)
    for _ in 0..<50 {
      let matrix = Self.randomSymmetric(n, &generator)
      let system = matrix.eigensystem
      let scale = max(matrix.maxMagnitude, 1)
      #expect(system.values == system.values.sorted(), "seed \(seed)")
      for (value, vector) in zip(system.values, system.vectors) {
        #expect(isClose(vector.norm, 1, absolute: 1e-13), "seed \(seed)")
        #expect((matrix * vector - value * vector).maxMagnitude < 1e-12 * scale, "seed \(seed)")
      }
      for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) {
          #expect(abs(system.vectors[i].dot(system.vectors[j])) < 1e-12, "seed \(seed)")
        }
      }
      // f(A) with f = 1/λ inverts A.
      let b = Vector((0..<n).map { Double($0) + 1 })
      if system.values.allSatisfy({ abs($0) > 1e-3 }) {
        let x = system.apply({ 1 / $0 }, to: b)
        #expect((matrix * x - b).maxMagnitude < 1e-8 * b.maxMagnitude * scale, "seed \(seed)")
      }
    }
  }

  @Test func eigenvaluesOfAKnownMatrix() {
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with vectors (1, −1)/√2 and (1, 1)/√2.
    let system = Matrix([[2, 1], [1, 2]]).eigensystem
    #expect(
      isClose(system.values[0], 1, absolute: 1e-15) && isClose(system.values[1], 3, absolute: 1e-15)
    )
    #expect(abs(abs(system.vectors[1][0]) - 0.5.squareRoot()) < 1e-15)
    #expect(system.negativeCount() == 0)
    #expect(Matrix([[-1, 0], [0, 2]]).eigensystem.negativeCount() == 1)
  }

  @Test func vectorNormAvoidsOverflowAndUnderflow() {
    #expect(isClose(Vector([3e200, 4e200]).norm, 5e200, absolute: 1e-15 * 5e200))
    #expect(Vector([3, 4]).norm == 5)
    #expect(isClose(Vector([3e-200, 4e-200]).norm, 5e-200, absolute: 1e-214))
    #expect(Vector([0, 0]).norm == 0)
  }

  /// The quadratic model's flow against the closed form on a diagonal model, and its
  /// Newton limit on a positive-definite one.
  @Test func quadraticFlowFollowsTheModelExactly() {
    let system = Matrix([[1, 0], [0, 10]]).eigensystem
    let gradient: Vector = [1, 1]
    let flow = QuadraticFlow(gradient: gradient, eigensystem: system)
    for t in [0.01, 0.1, 1.0] {
      let expected = Vector([-(1 - exp(-t)), -(1 - exp(-10 * t)) / 10])
      #expect((flow.displacement(at: t) - expected).maxMagnitude < 1e-15)
    }
    // A step shorter than the Newton step lies on the flow, at exactly that length.
    let short = flow.step(length: 0.1)
    #expect(!short.isNewton && isClose(short.displacement.norm, 0.1, absolute: 1e-12))
    // A longer one is the Newton step −H⁻¹g = (−1, −0.1).
    let long = flow.step(length: 5)
    #expect(long.isNewton && (long.displacement - Vector([-1, -0.1])).maxMagnitude < 1e-15)
    // On an indefinite model the flow runs uphill along the negative mode's gradient sign.
    let saddle = QuadraticFlow(
      gradient: [1, 1], eigensystem: Matrix([[-2, 0], [0, 3]]).eigensystem)
    let step = saddle.step(length: 0.5)
    #expect(!step.isNewton && isClose(step.displacement.norm, 0.5, absolute: 1e-12))
    #expect(step.displacement[0] < 0 && step.displacement[1] < 0)
  }
}

/// The Householder–QL path of `SymmetricEigensystem` (matrices beyond `jacobiLimit`)
/// against a matrix built from a known spectrum.
@Suite struct TridiagonalEigensystemTests {
  @Test(arguments: [25, 60] as [Int])
  func recoversAKnownSpectrum(n: Int) {
    var generator = SeededGenerator(seed: UInt64(n))
    // A random orthonormal basis by Gram–Schmidt.
    var basis: [Vector] = []
    while basis.count < n {
      var v = Vector((0..<n).map { _ in Double.random(in: -1...1, using: &generator) })
      for b in basis { v = v.adding(-b.dot(v), times: b) }
      for b in basis { v = v.adding(-b.dot(v), times: b) }
      basis.append(v.normalized)
    }
    let spectrum: [Double] = (0..<n).map { index in
      let position = Double(index) / Double(n)
      return -3 + 7 * position + 1e-3 * Double(index % 3)
    }
    var matrix = Matrix.zero(n, n)
    for (value, vector) in zip(spectrum, basis) {
      matrix = matrix + value * Matrix.outer(vector, vector)
    }
    let system = matrix.symmetrized.eigensystem
    for (found, expected) in zip(system.values, spectrum.sorted()) {
      #expect(abs(found - expected) < 1e-11, "n = \(n)")
    }
    for (value, vector) in zip(system.values, system.vectors) {
      let residual: Vector = matrix * vector - value * vector
      #expect(residual.norm < 1e-11)
      #expect(abs(vector.norm - 1) < 1e-12)
    }
  }
}
