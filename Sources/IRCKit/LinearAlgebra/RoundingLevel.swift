/// The level below which an energy difference is rounding, not information, and the test
/// of progress that follows from it near a minimum.
///
/// Near a minimum a Newton step from |∇V| = g lowers the energy by about g²/2λ, which
/// falls below the energy's last bits long before g reaches the tolerance; there a step
/// that leaves the energy unchanged to rounding but lowers |∇V| is progress. 64 ulps of the
/// energy cover the rounding of a sum of a few dozen terms of the energy's magnitude (every
/// built-in surface), with room to spare.
enum RoundingLevel {
  static let ulps = 64.0

  /// The rounding level of an energy near `energy`.
  static func of(_ energy: Double) -> Double { ulps * energy.ulp }

  /// A step from (energy, |∇V|) to (newEnergy, newGradientNorm) made progress: the energy
  /// fell, or stayed within rounding while |∇V| fell.
  static func isProgress(
    from energy: Double, gradientNorm: Double, to newEnergy: Double, newGradientNorm: Double
  ) -> Bool {
    newEnergy < energy || (newEnergy <= energy + of(energy) && newGradientNorm < gradientNorm)
  }
}
