import Foundation
import Testing

@testable import IRCKit

/// Exact derivatives of formulas: each function's first and second derivatives against
/// their closed forms, the shipped formulas and seeded random formulas of the grammar
/// against fourth-order central differences, and the formula Müller–Brown against the
/// built-in kind.
struct ExpressionDerivativeTests {
  // MARK: Closed forms

  struct FunctionCase: Sendable, CustomTestStringConvertible {
    var formula: String
    var first: @Sendable (Double) -> Double
    var second: @Sendable (Double) -> Double
    var testDescription: String { formula }
  }

  static let functionCases: [FunctionCase] = [
    .init(formula: "exp(x)", first: { exp($0) }, second: { exp($0) }),
    .init(formula: "log(x)", first: { 1 / $0 }, second: { -1 / ($0 * $0) }),
    .init(formula: "sqrt(x)", first: { 0.5 / sqrt($0) }, second: { -0.25 * pow($0, -1.5) }),
    .init(formula: "sin(x)", first: { cos($0) }, second: { -sin($0) }),
    .init(formula: "cos(x)", first: { -sin($0) }, second: { -cos($0) }),
    .init(
      formula: "tan(x)", first: { 1 / (cos($0) * cos($0)) },
      second: { 2 * tan($0) / (cos($0) * cos($0)) }),
    .init(formula: "sinh(x)", first: { cosh($0) }, second: { sinh($0) }),
    .init(formula: "cosh(x)", first: { sinh($0) }, second: { cosh($0) }),
    .init(
      formula: "tanh(x)", first: { 1 / (cosh($0) * cosh($0)) },
      second: { -2 * tanh($0) / (cosh($0) * cosh($0)) }),
    .init(
      formula: "atan(x)", first: { 1 / (1 + $0 * $0) },
      second: { -2 * $0 / ((1 + $0 * $0) * (1 + $0 * $0)) }),
    .init(formula: "x^2.5", first: { 2.5 * pow($0, 1.5) }, second: { 3.75 * pow($0, 0.5) }),
    .init(formula: "x^-3", first: { -3 * pow($0, -4) }, second: { 12 * pow($0, -5) }),
    .init(formula: "1/x", first: { -1 / ($0 * $0) }, second: { 2 / ($0 * $0 * $0) }),
    .init(formula: "2^x", first: { log(2) * pow(2, $0) }, second: { log(2) * log(2) * pow(2, $0) }),
  ]

  @Test(arguments: functionCases, [0.3, 0.7, 1.9])
  func eachFunctionHasItsExactDerivatives(_ testCase: FunctionCase, _ x: Double) throws {
    let surface = try ExpressionSurface(formula: testCase.formula, coordinates: ["x"])
    let gradient = surface.gradient(at: [x])[0]
    let hessian = surface.hessian(at: [x])[0, 0]
    #expect(abs(gradient - testCase.first(x)) <= 4e-15 * abs(testCase.first(x)), "\(gradient)")
    #expect(abs(hessian - testCase.second(x)) <= 4e-15 * abs(testCase.second(x)), "\(hessian)")
  }

  /// A Hessian of constants costs one load per distinct value, not one per entry: for
  /// x² + y² the entries 2, 0, 2 are one load (a zero needs none), and nothing else runs.
  @Test func constantHessianEntriesShareTheirLoad() throws {
    let surface = try ExpressionSurface(formula: "x^2 + y^2", coordinates: ["x", "y"])
    #expect(surface.hessianTape.instructions.count == 1)
    let hessian = surface.hessian(at: [0.4, -1.3])
    #expect(hessian.entries == [2, 0, 0, 2])
  }

  /// pow(x, y) in both variables: ∂ₓ = y·x^(y−1), ∂ᵧ = x^y·log x, ∂ₓ∂ᵧ = x^(y−1)(1 + y log x).
  @Test func powerOfTwoVariables() throws {
    let surface = try ExpressionSurface(formula: "pow(x, y)", coordinates: ["x", "y"])
    let (x, y) = (1.7, 2.3)
    let gradient = surface.gradient(at: [x, y])
    let hessian = surface.hessian(at: [x, y])
    let expected: [(Double, Double)] = [
      (gradient[0], y * pow(x, y - 1)), (gradient[1], pow(x, y) * log(x)),
      (hessian[0, 0], y * (y - 1) * pow(x, y - 2)), (hessian[1, 1], pow(x, y) * log(x) * log(x)),
      (hessian[0, 1], pow(x, y - 1) * (1 + y * log(x))),
      (hessian[1, 0], pow(x, y - 1) * (1 + y * log(x))),
    ]
    for (computed, exact) in expected {
      #expect(abs(computed - exact) <= 1e-14 * abs(exact), "\(computed) vs \(exact)")
    }
  }

  // MARK: Finite differences

  /// Problems with the gradient and Hessian of `surface` at `point` against fourth-order
  /// central differences: each must agree within three times the differences' own error
  /// estimate plus `floor`. Returns the problems and the largest error estimate relative
  /// to `scale`, so callers can also require the comparison to be tight.
  static func derivativeProblems(
    _ surface: any Surface, at point: Vector, step: Double, floor: Double, scale: Double
  ) -> (problems: [String], loosest: Double) {
    var problems: [String] = []
    var loosest = 0.0
    let gradient = surface.gradient(at: point)
    let hessian = surface.hessian(at: point)
    for axis in 0..<surface.dimension {
      let energyDifference = fourthOrderDifference(at: point, axis: axis, step: step) {
        [surface.energy(at: $0)]
      }
      let gradientDifference = fourthOrderDifference(at: point, axis: axis, step: step) {
        surface.gradient(at: $0).components
      }
      var pairs = [(gradient[axis], energyDifference.estimate[0], energyDifference.error[0], "g")]
      for row in 0..<surface.dimension {
        pairs.append(
          (
            hessian[row, axis], gradientDifference.estimate[row], gradientDifference.error[row],
            "H[\(row)]"
          ))
      }
      for (exact, difference, error, name) in pairs {
        loosest = max(loosest, error / scale)
        if !(abs(exact - difference) <= 3 * error + floor) {
          problems.append("\(name)[\(axis)] = \(exact), differences \(difference) ± \(error)")
        }
      }
    }
    return (problems, loosest)
  }

  @Test(arguments: shippedExpressionNames)
  func shippedFormulasAgreeWithFiniteDifferences(_ name: String) throws {
    let potential = try builtIn(name)
    let box = try #require(potential.plotRange)
    let scale = try potential.scale().gradient
    var generator = SeededGenerator(seed: 0x4644_0001)
    for _ in 0..<12 {
      let point = box.randomPoint(using: &generator)
      let curvature = potential.surface.hessian(at: point).entries.map(abs).max() ?? 1
      let (problems, loosest) = Self.derivativeProblems(
        potential.surface, at: point, step: 1e-3, floor: 1e-9 * max(scale, curvature),
        scale: max(scale, curvature))
      #expect(problems.isEmpty, "\(name) at \(point): \(problems)")
      #expect(loosest < 1e-6, "\(name) at \(point): differences too coarse to test")
    }
  }

  @Test func theFormulaMullerBrownIsTheBuiltInOne() throws {
    let formula = try builtIn("muller-brown-formula").surface
    let builtIn = referenceMullerBrown
    var generator = SeededGenerator(seed: 0x4D42_0001)
    let box = Potential.Box(lower: [-1.75, -0.5], upper: [1.25, 2.25])
    for _ in 0..<200 {
      let point = box.randomPoint(using: &generator)
      let (e0, g0) = builtIn.energyAndGradient(at: point)
      let (e1, g1) = formula.energyAndGradient(at: point)
      let h0 = builtIn.hessian(at: point)
      let h1 = formula.hessian(at: point)
      let scale = max(abs(e0), g0.maxMagnitude, h0.entries.map(abs).max() ?? 0, 1)
      #expect(isClose(e1, e0, absolute: 1e-13 * scale), "E at \(point)")
      #expect((g1 - g0).maxMagnitude <= 1e-13 * scale, "∇V at \(point)")
      #expect(
        zip(h0.entries, h1.entries).allSatisfy { abs($0 - $1) <= 1e-13 * scale }, "H at \(point)")
      // The energy-only tape is a separate program: it must agree with the gradient's.
      #expect(formula.energy(at: point) == e1)
    }
  }

  // MARK: Random formulas

  static let randomNames = [["x"], ["x", "y"], ["a", "b_2", "c"], ["q1", "q2", "q3", "q4"]]

  /// Seeded random formulas of the whole grammar: the value agrees with the tree's own
  /// evaluation (within a propagated rounding bound, so parsing and simplification are
  /// right), and the derivatives with finite differences, at every point where all are
  /// finite; most comparisons must be tight, so the test cannot pass by being vacuous.
  @Test(arguments: [0x5246_0001, 0x5246_0002, 0x5246_0003] as [UInt64])
  func randomFormulasAgreeWithTheirTreesAndWithFiniteDifferences(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    var compared = 0
    var tight = 0
    var problems: [String] = []
    for iteration in 0..<150 {
      let names = Self.randomNames[iteration % Self.randomNames.count]
      let constants = [(name: "k", value: 0.75), (name: "w2", value: -1.25)]
      let formulas = FormulaGenerator(coordinates: names, constants: constants)
      let tree = formulas.tree(depth: Int.random(in: 1...5, using: &generator), using: &generator)
      let text = formulas.text(tree, using: &generator)
      let surface = try ExpressionSurface(
        formula: text, coordinates: names, constants: ["k": 0.75, "w2": -1.25])
      for _ in 0..<3 {
        let point = generator.point(dimension: names.count, range: 1.5)
        let (value, error) = tree.evaluate(at: point.components)
        let computed = surface.energy(at: point)
        guard value.isFinite, error.isFinite else { continue }
        if !(abs(computed - value) <= 64 * error + 1e-300) {
          problems.append("seed \(seed) #\(iteration) \(text) at \(point): \(computed) vs \(value)")
        }
        let gradient = surface.gradient(at: point)
        let hessian = surface.hessian(at: point)
        guard gradient.isFinite, hessian.isFinite, error < 1e-8 * max(1, abs(value)) else {
          continue
        }
        let scale = max(1, abs(value), gradient.maxMagnitude, hessian.entries.map(abs).max() ?? 0)
        let (found, loosest) = Self.derivativeProblems(
          surface, at: point, step: 1e-4, floor: 1e-8 * scale, scale: scale)
        guard loosest.isFinite else { continue }
        compared += 1
        if loosest < 1e-6 { tight += 1 }
        if !found.isEmpty {
          problems.append("seed \(seed) #\(iteration) \(text) at \(point): \(found)")
        }
      }
    }
    #expect(problems.isEmpty, "\(problems.prefix(3))")
    #expect(compared > 200, "seed \(seed): only \(compared) points compared")
    #expect(Double(tight) >= 0.8 * Double(compared), "seed \(seed): \(tight) of \(compared) tight")
  }
}
