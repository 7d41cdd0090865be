/// One tick of an axis: where, and what its label says.
struct Tick: Sendable, Equatable {
  enum Label: Sendable, Equatable {
    case text(String)
    /// 10 to this power, with a raised exponent.
    case power(Int)
  }

  var value: Double
  var label: Label?

  /// Ticks at nice numbers over `range`, about `target` of them, all labelled.
  static func linear(_ range: ClosedRange<Double>, target: Int) -> [Tick] {
    let (step, values) = NiceScale.ticks(
      lower: range.lowerBound, upper: range.upperBound, target: target)
    return values.map { Tick(value: $0, label: .text(NiceScale.label($0, step: step))) }
  }

  /// Ticks at whole decades of a log₁₀ axis, at most `maximumLabels` labelled.
  static func decades(_ range: ClosedRange<Double>, maximumLabels: Int) -> [Tick] {
    let (all, labelled) = NiceScale.decades(
      lower: range.lowerBound, upper: range.upperBound, maximum: maximumLabels)
    return all.map { Tick(value: Double($0), label: labelled.contains($0) ? .power($0) : nil) }
  }
}
