/// A point of a surface with its energy, gradient and Hessian: what a search returns and
/// what a trace starts from.
public struct StationaryPoint: Sendable, Equatable {
  public var coordinates: Vector
  public var energy: Double
  public var gradient: Vector
  public var hessian: Matrix
  public var eigensystem: SymmetricEigensystem

  public init(coordinates: Vector, energy: Double, gradient: Vector, hessian: Matrix) {
    self.coordinates = coordinates
    self.energy = energy
    self.gradient = gradient
    self.hessian = hessian
    self.eigensystem = hessian.eigensystem
  }

  /// Evaluates energy, gradient and Hessian at `coordinates`.
  public init(at coordinates: Vector, on evaluator: inout Evaluator) throws(EvaluationError) {
    let (energy, gradient) = try evaluator.energyAndGradient(at: coordinates)
    self.init(
      coordinates: coordinates, energy: energy, gradient: gradient,
      hessian: try evaluator.hessian(at: coordinates))
  }

  public var gradientNorm: Double { gradient.norm }
  public var hessianEigenvalues: [Double] { eigensystem.values }

  /// The Hessian index: eigenvalues below −10⁻⁸ of the largest magnitude count as negative,
  /// so that rounding in a zero mode cannot change the answer.
  public var index: Int {
    eigensystem.negativeCount(
      threshold: 1e-8 * max(abs(eigensystem.lowest), abs(eigensystem.highest)))
  }

  /// Checks that this point is a stationary point of `kind`: the Newton step −H⁻¹∇V that
  /// would reach the exact one is at most `locality` (where the surface is flat the gradient
  /// vanishes without a stationary point, and the Newton step is long), and the Hessian
  /// index is the kind's.
  public func verify(as kind: StationaryKind, within locality: Double) throws(SaddleSearchError) {
    let newton = eigensystem.apply({ abs($0) > 0 ? 1 / $0 : .infinity }, to: gradient).norm
    guard newton <= locality else {
      throw .flat(at: coordinates, gradientNorm: gradientNorm, eigenvalues: hessianEigenvalues)
    }
    guard index == kind.index else {
      throw .wrongIndex(
        index: index, at: coordinates, eigenvalues: hessianEigenvalues, sought: kind)
    }
  }
}
