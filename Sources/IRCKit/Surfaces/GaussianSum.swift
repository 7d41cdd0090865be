import Foundation

/// A sum of two-dimensional Gaussians, V(x, y) = Σₖ Aₖ exp φₖ with
/// φₖ = aₖ(x − x0ₖ)² + bₖ(x − x0ₖ)(y − y0ₖ) + cₖ(y − y0ₖ)².
///
/// References:
/// - K. Müller and L. D. Brown, Theor. Chim. Acta 53, 75 (1979), eq. (4): the Müller–Brown
///   surface is this form with four terms.
///
/// Derivatives are exact: ∇V = Σ Aₖ e^φₖ ∇φₖ and ∇²V = Σ Aₖ e^φₖ (∇φₖ∇φₖᵀ + ∇²φₖ), with
/// ∇φ = (2a dx + b dy, b dx + 2c dy) and ∇²φ = [[2a, b], [b, 2c]].
public struct GaussianSum: Surface, Equatable {
  public struct Term: Sendable, Equatable {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// The amplitude Aₖ (the paper's symbol; lower-case `a` is the x² coefficient).
    public var A: Double
    public var a: Double
    public var b: Double
    public var c: Double
    public var x0: Double
    public var y0: Double

    // swift-format-ignore: AlwaysUseLowerCamelCase
    public init(A: Double, a: Double, b: Double, c: Double, x0: Double, y0: Double) {
      self.A = A
      self.a = a
      self.b = b
      self.c = c
      self.x0 = x0
      self.y0 = y0
    }
  }

  public var terms: [Term]

  public init(terms: [Term]) { self.terms = terms }

  public var dimension: Int { 2 }
  public var derivativeSource: DerivativeSource { .analytic }

  public func energy(at point: Vector) -> Double {
    let (x, y) = (point[0], point[1])
    var sum = 0.0
    for term in terms {
      let dx = x - term.x0
      let dy = y - term.y0
      sum += term.A * exp(term.a * dx * dx + term.b * dx * dy + term.c * dy * dy)
    }
    return sum
  }

  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    let (x, y) = (point[0], point[1])
    var energy = 0.0
    var gx = 0.0
    var gy = 0.0
    for term in terms {
      let dx = x - term.x0
      let dy = y - term.y0
      let value = term.A * exp(term.a * dx * dx + term.b * dx * dy + term.c * dy * dy)
      energy += value
      gx += value * (2 * term.a * dx + term.b * dy)
      gy += value * (term.b * dx + 2 * term.c * dy)
    }
    return (energy, [gx, gy])
  }

  public func hessian(at point: Vector) -> Matrix {
    let (x, y) = (point[0], point[1])
    var hxx = 0.0
    var hxy = 0.0
    var hyy = 0.0
    for term in terms {
      let dx = x - term.x0
      let dy = y - term.y0
      let value = term.A * exp(term.a * dx * dx + term.b * dx * dy + term.c * dy * dy)
      let px = 2 * term.a * dx + term.b * dy
      let py = term.b * dx + 2 * term.c * dy
      hxx += value * (px * px + 2 * term.a)
      hxy += value * (px * py + term.b)
      hyy += value * (py * py + 2 * term.c)
    }
    return Matrix([[hxx, hxy], [hxy, hyy]])
  }
}
