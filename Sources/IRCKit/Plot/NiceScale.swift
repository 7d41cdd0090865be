import Foundation

/// Tick marks at "nice" numbers (1, 2 or 5 times a power of ten) and their labels.
///
/// References:
/// - P. S. Heckbert, "Nice numbers for graph labels", in Graphics Gems, ed. A. S.
///   Glassner (Academic Press, 1990), pp. 61–63: `niceNumber` is his `nicenum`, and the
///   ticks are his "loose labelling" restricted to the data range (tight ends), so that an
///   axis spans exactly the box drawn.
enum NiceScale {
  /// The nice number nearest `value` (`round`), or the smallest one not below it.
  static func niceNumber(_ value: Double, round: Bool) -> Double {
    guard value > 0 && value.isFinite else { return 1 }
    let exponent = floor(log10(value))
    let power = pow(10, exponent)
    let fraction = value / power
    let nice: Double
    if round {
      nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    } else {
      nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    }
    return nice * power
  }

  /// A nice step giving about `target` intervals over `lower…upper`, and the multiples of
  /// it within the range (ends included up to a part in 10⁹ of the step).
  static func ticks(lower: Double, upper: Double, target: Int) -> (step: Double, values: [Double]) {
    guard lower.isFinite, upper.isFinite, upper > lower else { return (1, []) }
    let step = niceNumber((upper - lower) / Double(max(1, target)), round: true)
    return (step, multiples(of: step, from: lower, to: upper))
  }

  /// The multiples of `step` in `lower…upper`, each computed as k·step so that no
  /// rounding accumulates.
  static func multiples(of step: Double, from lower: Double, to upper: Double) -> [Double] {
    guard step > 0, step.isFinite, upper >= lower else { return [] }
    let slack = 1e-9
    let first = (lower / step - slack).rounded(.up)
    let last = (upper / step + slack).rounded(.down)
    guard last >= first, last - first < 10_000 else { return [] }
    return stride(from: first, through: last, by: 1).map { $0 * step }
  }

  /// A label for a tick of an axis whose ticks are `step` apart: as many decimals as the
  /// step needs, a true minus sign, never "−0".
  static func label(_ value: Double, step: Double) -> String {
    let decimals = max(0, min(12, Int(-floor(log10(step) + 1e-9))))
    return label(value, decimals: decimals)
  }

  /// `value` with `decimals` digits after the point, in the style of tick labels.
  static func label(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "" }
    var bytes: [UInt8] = []
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * scale).rounded()
    guard abs(scaled) < 1e15 else { return String(format: "%.3g", value) }
    SVGWriter.appendScaled(Int(scaled), decimals: decimals, to: &bytes)
    let text = String(decoding: bytes, as: UTF8.self)
    return text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
  }

  /// A short label with `digits` significant digits, for values without an axis step
  /// (a clip energy, a tolerance): "1e−05" style only when fixed point would be long.
  static func compact(_ value: Double, digits: Int = 3) -> String {
    guard value.isFinite else { return "" }
    let text = String(format: "%.\(digits)g", value)
    return text.replacingOccurrences(of: "-", with: "\u{2212}")
  }

  /// Whole exponents for decade ticks over `lower…upper` (in log₁₀ units), the labelled
  /// ones thinned to every 2nd, 5th, 10th, … decade so that at most `maximum` are.
  static func decades(lower: Double, upper: Double, maximum: Int) -> (all: [Int], labelled: [Int]) {
    guard lower.isFinite, upper.isFinite, upper >= lower, upper - lower < 1000 else {
      return ([], [])
    }
    let first = Int(ceil(lower - 1e-9))
    let last = Int(floor(upper + 1e-9))
    let all = last >= first ? Array(first...last) : []
    let steps = [1, 2, 5, 10, 20, 50]
    let every = steps.first { (all.count + $0 - 1) / $0 <= max(1, maximum) } ?? 100
    return (all, all.filter { $0 % every == 0 })
  }
}
