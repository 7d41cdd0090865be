import Foundation

/// Step-size control from a local error estimate: the one rule by which every error-
/// controlled loop (the tracer, its departure, the model paths the predictor–corrector and
/// surrogate methods follow) picks its next step.
///
/// References:
/// - E. Hairer, S. P. Nørsett and G. Wanner, *Solving Ordinary Differential Equations I*,
///   2nd ed. (1993), §II.4, eq. (4.13): h_new = h·min(facmax, max(facmin, fac·(tol/err)^(1/(q+1)))),
///   q the order of the embedded (lower-order) solution, with facmax = 5, facmin = 0.2 and the
///   safety factor fac = 0.9 they recommend, so a step grows at most fivefold, shrinks at
///   most fivefold, and aims a little below the tolerance to spare a rejection.
struct StepSizeController: Sendable {
  var tolerance: Double
  /// The order q of the error estimate's lower-order solution.
  var order: Int

  static let safety = 0.9
  static let largestGrowth = 5.0
  static let largestShrink = 0.2

  /// The factor for the next step after a step of error `error`, for an estimate of
  /// order `order`; the largest growth when the error is zero.
  func factor(error: Double, order: Int) -> Double {
    guard error > 0 else { return Self.largestGrowth }
    let ideal = Self.safety * pow(tolerance / error, 1 / Double(order + 1))
    return min(Self.largestGrowth, max(Self.largestShrink, ideal))
  }

  /// The factor with the controller's own order.
  func factor(error: Double) -> Double { factor(error: error, order: order) }
}
