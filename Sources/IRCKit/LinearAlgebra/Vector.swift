/// A dense vector of `Double`s: a point or a direction in a surface's coordinate space.
///
/// The surfaces this tool handles have a handful of coordinates, so a plain array is the
/// right storage; the operators below keep the numerical code close to the formulas.
/// (`[Double] + [Double]` already means concatenation, which is why this is a type of its own.)
public struct Vector: Sendable, Hashable, RandomAccessCollection, MutableCollection,
  ExpressibleByArrayLiteral, CustomStringConvertible
{
  public var components: [Double]

  public init(_ components: [Double]) { self.components = components }
  public init(arrayLiteral elements: Double...) { self.components = elements }
  public init(repeating value: Double, count: Int) {
    self.components = Array(repeating: value, count: count)
  }
  public static func zero(_ dimension: Int) -> Vector { Vector(repeating: 0, count: dimension) }

  /// The unit vector along coordinate `index`.
  public static func unit(_ index: Int, dimension: Int) -> Vector {
    var vector = Vector.zero(dimension)
    vector[index] = 1
    return vector
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { components.count }
  public subscript(index: Int) -> Double {
    get { components[index] }
    set { components[index] = newValue }
  }

  public var dimension: Int { components.count }

  public func dot(_ other: Vector) -> Double {
    precondition(count == other.count, "dimension mismatch")
    var sum = 0.0
    for index in components.indices { sum += components[index] * other.components[index] }
    return sum
  }

  /// The Euclidean norm. The plain sum of squares is exact enough and fast; only when it
  /// overflows or underflows is the sum redone on components scaled by the largest.
  public var norm: Double {
    var sum = 0.0
    for value in components { sum += value * value }
    if sum.isFinite && sum >= Double.leastNormalMagnitude { return sum.squareRoot() }
    let scale = maxMagnitude
    guard scale > 0, scale.isFinite else { return sum.isNaN ? .nan : scale }
    var scaledSum = 0.0
    for value in components {
      let scaled = value / scale
      scaledSum += scaled * scaled
    }
    return scale * scaledSum.squareRoot()
  }

  public var normalized: Vector { self / norm }

  /// The largest absolute component (the infinity norm).
  public var maxMagnitude: Double { components.reduce(0) { Swift.max($0, abs($1)) } }

  public var isFinite: Bool { components.allSatisfy(\.isFinite) }

  public func distance(to other: Vector) -> Double { (self - other).norm }

  public var description: String {
    "(" + components.map { "\($0)" }.joined(separator: ", ") + ")"
  }

  public static func + (lhs: Vector, rhs: Vector) -> Vector {
    precondition(lhs.count == rhs.count, "dimension mismatch")
    var result = lhs
    for index in result.components.indices { result.components[index] += rhs.components[index] }
    return result
  }

  public static func - (lhs: Vector, rhs: Vector) -> Vector {
    precondition(lhs.count == rhs.count, "dimension mismatch")
    var result = lhs
    for index in result.components.indices { result.components[index] -= rhs.components[index] }
    return result
  }

  public static prefix func - (vector: Vector) -> Vector { Vector(vector.components.map { -$0 }) }

  public static func * (scalar: Double, vector: Vector) -> Vector {
    Vector(vector.components.map { scalar * $0 })
  }

  public static func * (vector: Vector, scalar: Double) -> Vector { scalar * vector }

  public static func / (vector: Vector, scalar: Double) -> Vector {
    Vector(vector.components.map { $0 / scalar })
  }

  public static func += (lhs: inout Vector, rhs: Vector) { lhs = lhs + rhs }
  public static func -= (lhs: inout Vector, rhs: Vector) { lhs = lhs - rhs }
  public static func *= (lhs: inout Vector, rhs: Double) { lhs = rhs * lhs }

  /// `self + scalar * direction` without an intermediate vector.
  public func adding(_ scalar: Double, times direction: Vector) -> Vector {
    precondition(count == direction.count, "dimension mismatch")
    var result = self
    for index in result.components.indices {
      result.components[index] += scalar * direction.components[index]
    }
    return result
  }
}
