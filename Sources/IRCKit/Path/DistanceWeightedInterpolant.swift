/// A surface interpolated between points where the energy, gradient and Hessian are known,
/// by distance-weighted second-order Taylor expansions.
///
/// References:
/// - M. A. Collins, Theor. Chem. Acc. 108, 313 (2002): V(q) = Σᵢ wᵢ(q) Tᵢ(q) with Tᵢ the
///   Taylor expansion at qᵢ and wᵢ = vᵢ/Σⱼvⱼ, vᵢ = |q − qᵢ|⁻⁴.
/// - H. P. Hratchian and H. B. Schlegel, J. Chem. Phys. 120, 9918 (2004), eqs. (9)–(11):
///   the interpolant as the corrector surface of an IRC step.
///
/// At each data point the interpolant reproduces the energy, gradient and Hessian there.
public struct DistanceWeightedInterpolant: Surface {
  public struct Node: Sendable, Equatable {
    public var coordinates: Vector
    public var energy: Double
    public var gradient: Vector
    public var hessian: Matrix

    public init(coordinates: Vector, energy: Double, gradient: Vector, hessian: Matrix) {
      self.coordinates = coordinates
      self.energy = energy
      self.gradient = gradient
      self.hessian = hessian
    }

    func taylor(_ q: Vector) -> (energy: Double, gradient: Vector) {
      let d = q - coordinates
      let hd = hessian * d
      return (energy + gradient.dot(d) + 0.5 * d.dot(hd), gradient + hd)
    }
  }

  public var nodes: [Node]

  public init(nodes: [Node]) { self.nodes = nodes }

  public var dimension: Int { nodes[0].coordinates.count }

  public func energy(at point: Vector) -> Double { energyAndGradient(at: point).energy }

  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    var weights: [Double] = []
    var weightGradients: [Vector] = []
    var taylors: [(energy: Double, gradient: Vector)] = []
    for node in nodes {
      let d = point - node.coordinates
      let d2 = d.dot(d)
      // At a node the interpolant is that node's expansion.
      if d2 == 0 { return node.taylor(point) }
      let v = 1 / (d2 * d2)
      weights.append(v)
      weightGradients.append((-4 * v / d2) * d)
      taylors.append(node.taylor(point))
    }
    let total = weights.reduce(0, +)
    var totalGradient = Vector.zero(point.count)
    for g in weightGradients { totalGradient += g }
    var energy = 0.0
    var gradient = Vector.zero(point.count)
    for (index, taylor) in taylors.enumerated() {
      let w = weights[index] / total
      let dw = (weightGradients[index] - w * totalGradient) / total
      energy += w * taylor.energy
      gradient = gradient + w * taylor.gradient + taylor.energy * dw
    }
    return (energy, gradient)
  }
}
