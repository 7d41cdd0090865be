/// Cubic Hermite interpolation between two points with known tangents.
///
/// References:
/// - E. Hairer, S. P. Nørsett and G. Wanner, *Solving Ordinary Differential Equations I*,
///   2nd ed. (1993), §II.6, eq. (6.7): the cubic through (0, a) and (h, b) with slopes
///   ta and tb, p(u) = (2u³ − 3u² + 1)a + h(u³ − 2u² + u)ta + (−2u³ + 3u²)b + h(u³ − u²)tb
///   at u = s/h; with exact tangents its error is O(h⁴)·|q⁗|/384.
enum CubicHermite {
  /// The interpolant at fraction `u` ∈ [0, 1] of a segment of length `h`, or the straight
  /// line between the ends when either tangent is unknown.
  static func point(
    _ u: Double, from a: Vector, tangent ta: Vector?, to b: Vector, tangent tb: Vector?,
    length h: Double
  ) -> Vector {
    guard let ta, let tb else { return a + u * (b - a) }
    let u2 = u * u
    let u3 = u2 * u
    return (2 * u3 - 3 * u2 + 1) * a + (h * (u3 - 2 * u2 + u)) * ta
      + (-2 * u3 + 3 * u2) * b + (h * (u3 - u2)) * tb
  }
}
