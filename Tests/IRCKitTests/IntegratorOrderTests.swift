import Foundation
import Testing

@testable import IRCKit

/// V = ½(λ₁x² + λ₂y²): its steepest-descent paths are known exactly,
/// y/y₀ = (x/x₀)^(λ₂/λ₁).
struct QuadraticSurface: Surface {
  var lambda1: Double
  var lambda2: Double
  var dimension: Int { 2 }
  var derivativeSource: DerivativeSource { .analytic }
  func energy(at point: Vector) -> Double {
    0.5 * (lambda1 * point[0] * point[0] + lambda2 * point[1] * point[1])
  }
  func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    (energy(at: point), [lambda1 * point[0], lambda2 * point[1]])
  }
  func hessian(at point: Vector) -> Matrix { Matrix([[lambda1, 0], [0, lambda2]]) }

  /// The exact path point at arc length `s` from (x₀, y₀), x₀, y₀ > 0: s(x) =
  /// ∫ₓ^x₀ √(1 + y′(t)²) dt by 16-point-per-panel Gauss–Legendre, then bisection on x.
  func exactPoint(from start: Vector, arcLength s: Double) -> Vector {
    let p = lambda2 / lambda1
    let (x0, y0) = (start[0], start[1])
    func y(_ x: Double) -> Double { y0 * pow(x / x0, p) }
    func length(from x: Double) -> Double {
      let panels = 400
      let width = (x0 - x) / Double(panels)
      var total = 0.0
      for panel in 0..<panels {
        let center = x + (Double(panel) + 0.5) * width
        for (node, weight) in zip(QuadraticFlow.gaussNodes, QuadraticFlow.gaussWeights) {
          let t = center + 0.5 * width * node
          let slope = y0 * p * pow(t / x0, p - 1) / x0
          total += 0.5 * width * weight * (1 + slope * slope).squareRoot()
        }
      }
      return total
    }
    var low = 0.0
    var high = x0
    for _ in 0..<200 {
      let middle = 0.5 * (low + high)
      if length(from: middle) > s { low = middle } else { high = middle }
    }
    let x = 0.5 * (low + high)
    return [x, y(x)]
  }
}

struct IntegratorOrderTests {
  static let surface = QuadraticSurface(lambda1: 1, lambda2: 3)
  static let start: Vector = [1, 1]
  static let arcLength = 0.5

  /// The error at arc length 0.5 after steps of h, h/2, h/4 from (1, 1), driving the
  /// integrator directly (no step control).
  static func errors(_ make: (StationaryPoint) -> any PathIntegrator, steps: [Double]) throws
    -> [Double]
  {
    let exact = surface.exactPoint(from: start, arcLength: arcLength)
    var evaluator = Evaluator(surface)
    let origin = try StationaryPoint(at: start, on: &evaluator)
    return try steps.map { h in
      var integrator = make(origin)
      let (energy, gradient) = surface.energyAndGradient(at: start)
      var point = PathPoint(
        step: 0, arcLength: 0, coordinates: start, energy: energy, gradient: gradient, kind: .saddle
      )
      let count = Int((arcLength / h).rounded())
      for index in 1...count {
        let step = try integrator.step(from: point, length: h, on: &evaluator)
        integrator.accept(step)
        point = PathPoint(
          step: index, arcLength: point.arcLength + step.arcLength, coordinates: step.coordinates,
          energy: step.energy, gradient: step.gradient, kind: .integrator)
      }
      #expect(isClose(point.arcLength, arcLength, absolute: 1e-12))
      return point.coordinates.distance(to: exact)
    }
  }

  static func slopes(_ errors: [Double]) -> [Double] {
    zip(errors, errors.dropFirst()).map { log2($0 / $1) }
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var order: Double
    var make: @Sendable (StationaryPoint) -> any PathIntegrator
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(name: "euler", order: 1) { _ in EulerIntegrator() },
    Case(name: "rk4", order: 4) { _ in RungeKuttaIntegrator(.rk4) },
    Case(name: "dopri5 at fixed steps", order: 5) { _ in RungeKuttaIntegrator(.dormandPrince) },
    Case(name: "bogacki-shampine at fixed steps", order: 3) { _ in
      RungeKuttaIntegrator(.bogackiShampine)
    },
    Case(name: "gs2", order: 2) { GonzalezSchlegelIntegrator(saddle: $0, hessian: .exact) },
    Case(name: "gs2, updated Hessians", order: 2) {
      GonzalezSchlegelIntegrator(saddle: $0, hessian: .updated)
    },
  ]

  /// The slope of log error against log h, over h, h/2, h/4, within ±0.3 of the method's
  /// order: a wrong coefficient in a tableau shows here even when endpoints look fine.
  @Test(arguments: cases)
  func orderOnTheQuadraticSurface(_ testCase: Case) throws {
    let errors = try Self.errors(testCase.make, steps: [0.05, 0.025, 0.0125])
    for slope in Self.slopes(errors) {
      #expect(isClose(slope, testCase.order, absolute: 0.3), "errors \(errors), slope \(slope)")
    }
  }

  /// The local quadratic approximation and the predictor–correctors on exact Hessians
  /// reproduce the path of a quadratic surface exactly (to the corrector's tolerance).
  @Test func hessianMethodsAreExactOnAQuadraticSurface() throws {
    let exactCases: [(String, Double, (StationaryPoint) -> any PathIntegrator)] = [
      ("lqa", 1e-12, { LocalQuadraticIntegrator(saddle: $0, hessian: .exact) }),
      ("hpc", 1e-8, { PredictorCorrectorIntegrator(predictor: .lqa, saddle: $0, hessian: .exact) }),
      (
        "eulerpc", 1e-8,
        { PredictorCorrectorIntegrator(predictor: .euler, saddle: $0, hessian: .exact) }
      ),
    ]
    for (name, bound, make) in exactCases {
      for error in try Self.errors(make, steps: [0.1, 0.05]) {
        #expect(error < bound, "\(name): error \(error)")
      }
    }
  }
}
