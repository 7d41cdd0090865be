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
  public var newtonStep: Vector { eigensystem.newtonStep(for: gradientFromComponents) }

  /// |H⁻¹g|: how far the model's stationary point is (+∞ on a singular model).
  public var newtonDistance: Double { eigensystem.newtonDistance(for: gradientFromComponents) }

  /// The order of the error estimate a flow step is judged by (the angle defect at its
  /// end, O(h²) in position) for the step controller.
  static let errorOrder = 2

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

  /// |dΔ/dt| = |g + HΔ(t)| = √Σ gᵢ²e^(−2λᵢt): the model's gradient norm along its flow.
  func speed(at t: Double) -> Double {
    var sum = 0.0
    for (lambda, g) in zip(eigensystem.values, gradientComponents) {
      let decay = exp(-lambda * t)
      sum += g * g * decay * decay
    }
    return sum.squareRoot()
  }

  /// The arc length of the flow from 0 to t, ∫₀ᵗ |g + HΔ(τ)| dτ, by 8-point Gauss–Legendre
  /// quadrature on panels that halve towards τ = 0 (where stiff modes decay within 1/λ)
  /// and are split wherever a rate times the panel width exceeds 2, so that every panel's
  /// integrand is a smooth sum of slowly varying exponentials: about 10⁻¹⁴ relative.
  /// ⌈estimate⌉ within 1…limit; an estimate that is not finite (an overflowing product
  /// of a huge time and rate) takes the limit rather than trapping in `Int(_:)`.
  static func clampedCount(_ estimate: Double, limit: Int) -> Int {
    guard estimate.isFinite else { return limit }
    return Int(min(max(estimate.rounded(.up), 1), Double(limit)))
  }

  public func arcLength(to t: Double) -> Double {
    guard t > 0 else { return 0 }
    let fastest = eigensystem.values.reduce(0) { max($0, abs($1)) }
    let halvings = Self.clampedCount(log2(max(t * fastest, 1)) + 4, limit: 60)
    var total = 0.0
    var upper = t
    for panel in 0..<halvings {
      let lower = panel == halvings - 1 ? 0 : upper / 2
      // Only modes still alive on the panel set its resolution: a mode that decayed to
      // 10⁻¹⁶ of the largest by the panel's start no longer shapes the integrand.
      let amplitudes = zip(eigensystem.values, gradientComponents).map { lambda, g in
        (lambda, log(max(abs(g), Double.leastNormalMagnitude)) - lambda * lower)
      }
      let largest = amplitudes.map(\.1).max() ?? 0
      let rate = amplitudes.filter { $0.1 > largest - 37 }.map { abs($0.0) }.max() ?? 0
      let pieces = Self.clampedCount(rate * (upper - lower) / 2, limit: 4096)
      let width = (upper - lower) / Double(pieces)
      for piece in 0..<pieces {
        let a = lower + Double(piece) * width
        let center = a + width / 2
        var sum = 0.0
        for (node, weight) in zip(Self.gaussNodes, Self.gaussWeights) {
          sum += weight * speed(at: center + 0.5 * width * node)
        }
        total += 0.5 * width * sum
      }
      upper = lower
    }
    return total
  }

  /// Gauss–Legendre nodes and weights of order 8 on [−1, 1] (Abramowitz and Stegun,
  /// Table 25.4).
  static let gaussNodes: [Double] = [
    -0.960_289_856_497_536_2, -0.796_666_477_413_626_7, -0.525_532_409_916_329_0,
    -0.183_434_642_495_649_8, 0.183_434_642_495_649_8, 0.525_532_409_916_329_0,
    0.796_666_477_413_626_7, 0.960_289_856_497_536_2,
  ]
  static let gaussWeights: [Double] = [
    0.101_228_536_290_376_3, 0.222_381_034_453_374_5, 0.313_706_645_877_887_3,
    0.362_683_783_378_362_0, 0.362_683_783_378_362_0, 0.313_706_645_877_887_3,
    0.222_381_034_453_374_5, 0.101_228_536_290_376_3,
  ]

  /// The point of the flow at arc length `length` measured along the flow (not the chord),
  /// as the local quadratic approximation prescribes; the whole flow (the Newton step) when
  /// the model is positive definite and its total length is shorter. Returns the
  /// displacement and the arc length covered.
  public func step(arcLength length: Double) -> (displacement: Vector, arcLength: Double) {
    if eigensystem.lowest > 0 {
      // The flow's total length: integrate until the remaining speed is negligible.
      let horizon = 40 / eigensystem.lowest
      let total = arcLength(to: horizon)
      if total <= length { return (newtonStep, total) }
    }
    // Bracket t, then Newton on s(t) − length with s'(t) = speed, safeguarded by bisection.
    var high = length / max(speed(at: 0), Double.leastNormalMagnitude)
    var growth = 0
    while arcLength(to: high) < length && growth < 200 {
      high *= 2
      growth += 1
    }
    var low = 0.0
    var t = 0.5 * high
    for _ in 0..<100 {
      let residual = arcLength(to: t) - length
      if abs(residual) <= 1e-14 * length { break }
      if residual < 0 { low = t } else { high = t }
      let newton = t - residual / max(speed(at: t), Double.leastNormalMagnitude)
      t = newton > low && newton < high ? newton : 0.5 * (low + high)
      if high - low <= 1e-16 * high { break }
    }
    return (displacement(at: t), length)
  }
}
