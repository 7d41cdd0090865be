/// The collinear LEPS system with A and C fixed, coupled to a harmonic oscillator:
/// V(r_AB, x) = V_LEPS(r_AB, r_AC − r_AB) + 2·k_c·(r_AB − (r_AC/2 − x/c))².
///
/// References:
/// - G. Henkelman, G. Jóhannesson and H. Jónsson, in *Theoretical Methods in Condensed Phase
///   Chemistry* (Kluwer, 2000), appendix A, eq. (A4): the oscillator term and k_c, c.
public struct LEPSHarmonic: Surface, Equatable {
  public var parameters: LEPS.Parameters
  /// The fixed A–C distance.
  public var rAC: Double
  /// The force constant k_c of the oscillator.
  public var kc: Double
  /// The coupling scale c of the oscillator coordinate.
  public var c: Double

  public init(parameters: LEPS.Parameters, rAC: Double, kc: Double, c: Double) {
    self.parameters = parameters
    self.rAC = rAC
    self.kc = kc
    self.c = c
  }

  public var dimension: Int { 2 }
  public var derivativeSource: DerivativeSource { .analytic }

  /// r = (r_AB, r_AC − r_AB, r_AC) is linear in q = (r_AB, x).
  private static let jacobian: [[Double]] = [[1, 0], [-1, 0], [0, 0]]

  private func distances(_ q: Vector) -> [Double] { [q[0], rAC - q[0], rAC] }

  /// The spring's extension r_AB − (r_AC/2 − x/c) and its gradient (1, 1/c).
  private func springExtension(_ q: Vector) -> Double { q[0] - (rAC / 2 - q[1] / c) }

  public func energy(at point: Vector) -> Double {
    let stretch = springExtension(point)
    return parameters.energy(distances: distances(point)) + 2 * kc * stretch * stretch
  }

  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    let terms = parameters.derivatives(distances: distances(point))
    let stretch = springExtension(point)
    var gradient = LEPS.Parameters.chainGradient(terms.gradient, Self.jacobian)
    gradient[0] += 4 * kc * stretch
    gradient[1] += 4 * kc * stretch / c
    return (terms.energy + 2 * kc * stretch * stretch, gradient)
  }

  public func hessian(at point: Vector) -> Matrix {
    let terms = parameters.derivatives(distances: distances(point))
    var matrix = LEPS.Parameters.chainHessian(terms.hessian, Self.jacobian)
    matrix[0, 0] += 4 * kc
    matrix[0, 1] += 4 * kc / c
    matrix[1, 0] += 4 * kc / c
    matrix[1, 1] += 4 * kc / (c * c)
    return matrix
  }
}
