import Testing

@testable import IRCKit

/// Analytic gradients and Hessians against fourth-order central differences at seeded
/// random points: an independent computation that a wrong sign or factor cannot fool.
struct SurfaceDerivativeTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var surface: any Surface
    var lower: Vector
    var upper: Vector
    var testDescription: String { name }
  }

  static let lepsParameters = LEPS.Parameters(
    a: 0.05, b: 0.30, c: 0.05, dAB: 4.746, dBC: 4.746, dAC: 3.445, r0: 0.742, alpha: 1.942)

  static let cases: [Case] = [
    Case(
      name: "gaussian-sum (Müller–Brown)", surface: referenceMullerBrown, lower: [-1.75, -0.5],
      upper: [1.25, 2.25]),
    Case(
      name: "leps, rAC = sum", surface: LEPS(parameters: lepsParameters, acDistance: .sum),
      lower: [0.5, 0.5], upper: [3.5, 3.5]),
    Case(
      name: "leps, rAC fixed", surface: LEPS(parameters: lepsParameters, acDistance: .fixed(3.742)),
      lower: [0.5, 0.5], upper: [3.2, 3.2]),
    Case(
      name: "leps-harmonic",
      surface: LEPSHarmonic(
        parameters: LEPS.Parameters(
          a: 0.05, b: 0.80, c: 0.05, dAB: 4.746, dBC: 4.746, dAC: 3.445, r0: 0.742, alpha: 1.942),
        rAC: 3.742, kc: 0.2025, c: 1.154),
      lower: [0.5, -3], upper: [3.3, 3]),
  ]

  static func randomPoint(_ testCase: Case, _ generator: inout SeededGenerator) -> Vector {
    Vector(
      (0..<testCase.lower.count).map {
        Double.random(in: testCase.lower[$0]...testCase.upper[$0], using: &generator)
      })
  }

  @Test(arguments: cases)
  func gradientMatchesFourthOrderDifferences(_ testCase: Case) {
    let seed: UInt64 = 20_261_129
    var generator = SeededGenerator(seed: seed)
    for sample in 0..<150 {
      let point = Self.randomPoint(testCase, &generator)
      // The numeric gradient differences `energy(at:)`, a code path of its own; both the
      // gradient call and the combined call (which the gradient call may share) are
      // compared with it, and the combined call's energy with `energy(at:)`.
      let energy = testCase.surface.energy(at: point)
      let numeric = FiniteDifferences.gradient(at: point, order: .fourth) {
        testCase.surface.energy(at: $0)
      }
      let combined = testCase.surface.energyAndGradient(at: point)
      for analytic in [testCase.surface.gradient(at: point), combined.gradient] {
        let scale = max(analytic.maxMagnitude, abs(energy), 1)
        #expect(
          isClose(analytic, numeric, absolute: 1e-8 * scale),
          "seed \(seed), sample \(sample), point \(point): \(analytic) against \(numeric)")
      }
      #expect(isClose(combined.energy, energy, relative: 1e-14, absolute: 1e-300))
    }
  }

  @Test(arguments: cases)
  func hessianMatchesFourthOrderDifferences(_ testCase: Case) {
    let seed: UInt64 = 19_790_613
    var generator = SeededGenerator(seed: seed)
    for sample in 0..<150 {
      let point = Self.randomPoint(testCase, &generator)
      let analytic = testCase.surface.hessian(at: point)
      let numeric = FiniteDifferences.hessian(at: point, order: .fourth) {
        testCase.surface.gradient(at: $0)
      }
      let scale = max(analytic.maxMagnitude, testCase.surface.gradient(at: point).maxMagnitude, 1)
      let error = (analytic - numeric).maxMagnitude / scale
      #expect(
        error < 1e-8, "seed \(seed), sample \(sample), point \(point): relative error \(error)")
      #expect(analytic == analytic.transposed, "the analytic Hessian must be exactly symmetric")
    }
  }

  /// A surface with only an energy gets its derivatives from the protocol's defaults.
  struct EnergyOnly: Surface {
    var dimension: Int { 2 }
    func energy(at point: Vector) -> Double { referenceMullerBrown.energy(at: point) }
  }

  @Test func finiteDifferenceFallbackIsAccurate() {
    let surface = EnergyOnly()
    #expect(surface.derivativeSource == .finiteDifference)
    #expect(referenceMullerBrown.derivativeSource == .analytic)
    var generator = SeededGenerator(seed: 7)
    for _ in 0..<50 {
      let point = Self.randomPoint(Self.cases[0], &generator)
      let gradient = referenceMullerBrown.gradient(at: point)
      let hessian = referenceMullerBrown.hessian(at: point)
      let scale = max(gradient.maxMagnitude, 1)
      #expect((surface.gradient(at: point) - gradient).maxMagnitude / scale < 1e-8)
      // Second-order differences of a fourth-order gradient: about 1e-6 relative.
      #expect(
        (surface.hessian(at: point) - hessian).maxMagnitude / max(hessian.maxMagnitude, 1) < 1e-5)
    }
  }
}
