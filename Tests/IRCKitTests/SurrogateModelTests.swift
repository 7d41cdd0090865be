import Foundation
import Testing

@testable import IRCKit

struct SurrogateModelTests {
  /// Every update satisfies the secant condition H₊s = y and stays symmetric.
  @Test(arguments: HessianUpdate.allCases)
  func hessianUpdatesSatisfyTheSecantCondition(_ update: HessianUpdate) {
    let seed: UInt64 = 314
    var generator = SeededGenerator(seed: seed)
    for sample in 0..<200 {
      let n = 2 + sample % 4
      var hessian = LinearAlgebraTests.randomSymmetric(n, &generator)
      if update == .bfgs {
        // BFGS keeps a positive-definite matrix positive definite: start from one.
        hessian = hessian * hessian.transposed + Matrix.identity(n)
      }
      let s = Vector((0..<n).map { _ in Double.random(in: -1...1, using: &generator) })
      var y = Vector((0..<n).map { _ in Double.random(in: -1...1, using: &generator) })
      if update == .bfgs && y.dot(s) <= 0 { y = -y }
      let updated = update.updated(hessian, step: s, gradientChange: y)
      let residual = (updated * s - y).maxMagnitude
      #expect(residual < 1e-9 * max(1, hessian.maxMagnitude), "seed \(seed) sample \(sample)")
      #expect(updated == updated.transposed)
    }
  }

  /// The posterior mean interpolates the observations (to the jitter) and its gradient and
  /// Hessian are the derivatives of its energy.
  @Test func gaussianProcessInterpolatesAndDifferentiatesConsistently() {
    var model = GaussianProcessSurface(dimension: 2, lengthScale: 0.3)
    let seed: UInt64 = 99
    var generator = SeededGenerator(seed: seed)
    var observed: [Vector] = []
    for _ in 0..<25 {
      let point = Vector([
        Double.random(in: -1...0.5, using: &generator),
        Double.random(in: 0...1.5, using: &generator),
      ])
      let (energy, gradient) = referenceMullerBrown.energyAndGradient(at: point)
      if model.observe(point, energy: energy, gradient: gradient) { observed.append(point) }
    }
    #expect(observed.count >= 20)
    for point in observed {
      let (energy, gradient) = referenceMullerBrown.energyAndGradient(at: point)
      let predicted = model.energyAndGradient(at: point)
      #expect(isClose(predicted.energy, energy, relative: 1e-4, absolute: 1e-4), "seed \(seed)")
      #expect((predicted.gradient - gradient).maxMagnitude < 1e-3 * max(1, gradient.maxMagnitude))
    }
    for _ in 0..<20 {
      let point = Vector([
        Double.random(in: -1...0.5, using: &generator),
        Double.random(in: 0...1.5, using: &generator),
      ])
      let gradient = model.gradient(at: point)
      let numeric = FiniteDifferences.gradient(at: point) { model.energy(at: $0) }
      #expect((gradient - numeric).maxMagnitude < 1e-6 * max(1, gradient.maxMagnitude))
      let hessian = model.hessian(at: point)
      let numericHessian = FiniteDifferences.hessian(at: point, order: .fourth) {
        model.gradient(at: $0)
      }
      #expect((hessian - numericHessian).maxMagnitude < 1e-5 * max(1, hessian.maxMagnitude))
    }
  }

  /// Observing the same point twice is harmless: the jitter keeps the covariance matrix
  /// positive definite and the prediction does not move.
  @Test func repeatedObservationsAreHarmless() {
    var model = GaussianProcessSurface(dimension: 2, lengthScale: 0.3)
    let point: Vector = [-0.5, 1.4]
    let (energy, gradient) = referenceMullerBrown.energyAndGradient(at: point)
    model.observe(point, energy: energy, gradient: gradient)
    let probe: Vector = [-0.45, 1.35]
    let before = model.energyAndGradient(at: probe)
    model.observe(point, energy: energy, gradient: gradient)
    let after = model.energyAndGradient(at: probe)
    #expect(isClose(before.energy, after.energy, relative: 1e-6, absolute: 1e-6))
    #expect(
      (before.gradient - after.gradient).maxMagnitude < 1e-6 * max(1, before.gradient.maxMagnitude))
    #expect(after.energy.isFinite && after.gradient.isFinite)
  }

  /// The Cholesky factor grown row by row solves the whole system.
  @Test func growingCholeskySolves() {
    var generator = SeededGenerator(seed: 5)
    let n = 12
    let a = LinearAlgebraTests.randomSymmetric(n, &generator)
    let spd = a * a.transposed + Matrix.identity(n)
    var factor = GrowingCholesky()
    for i in 0..<n {
      let appended = factor.append(covariances: (0..<i).map { spd[i, $0] }, diagonal: spd[i, i])
      #expect(appended)
    }
    let b = (0..<n).map { Double($0) - 3 }
    let x = factor.solve(b)
    #expect((spd * Vector(x) - Vector(b)).maxMagnitude < 1e-10 * spd.maxMagnitude)
  }
}
