/// The first guess of a band between two geometries of the same atoms, interpolated in the
/// interatomic distances instead of the Cartesian coordinates, for when the straight line
/// would push atoms into each other.
///
/// References:
/// - S. Smidstrup, A. Pedersen, K. Stokbro and H. Jónsson, J. Chem. Phys. 140, 214106
///   (2014): the straight line between two ends can bring atoms unphysically close (a
///   hydrogen moving around a bond passes through it); interpolating every pair distance
///   linearly between the ends (their eq. (2)) cannot, since each distance stays between
///   its two end values. (They then fit each image to its distances by a weighted NEB; the
///   closed-form embedding below is enough for a first guess that the band then relaxes.)
/// - W. S. Torgerson, Psychometrika 17, 401 (1952): classical multidimensional scaling,
///   the points whose distances best match a distance matrix, from the top eigenpairs of
///   its doubly centred squares B = −½ J D⁽²⁾ J (J = 1 − 11ᵀ/N), X = V₃ Λ₃^½.
public enum DistanceInterpolation {
  /// The straight line is used unless it brings some pair of atoms closer than this
  /// fraction of the shorter of their two end distances: then an atom passes through a
  /// bond (HCN ⇌ HNC: H meets C at 0.003 Å), and no relaxation starts well from there.
  public static let squeezeLimit = 0.5

  /// The smallest ratio, over the `count` interior images of the straight line from `a` to
  /// `b` (Cartesian, Å) and over every pair of atoms, of the pair's distance there to the
  /// shorter of its distances at the ends. 1 for a rigid motion; near 0 when atoms collide.
  public static func squeeze(from a: Vector, to b: Vector, count: Int) -> Double {
    let atoms = a.count / 3
    var smallest = 1.0
    for k in 1...max(1, count) {
      let t = Double(k) / Double(count + 1)
      let x = a + t * (b - a)
      for i in 0..<atoms {
        for j in (i + 1)..<atoms {
          let ends = min(distance(a, i, j), distance(b, i, j))
          if ends > 0 { smallest = min(smallest, distance(x, i, j) / ends) }
        }
      }
    }
    return smallest
  }

  /// Points of the distance path per interior image, before they are spaced evenly.
  static let samplesPerImage = 10

  /// `count` interior images from `a` to `b` (Cartesian, Å), evenly spaced (mass-weighted)
  /// along the path whose point at t has the distances (1 − t)·d(a) + t·d(b). Each point
  /// is embedded in three dimensions and rigidly placed twice, moved (rotation, or its
  /// mirror image when that lies closer) onto its neighbour towards `a` and onto its
  /// neighbour towards `b`, so that neither chain turns more than the distances make it;
  /// the point is then placed onto the blend (1 − t)·forward + t·backward, which joins both
  /// ends without a jump where the two chains' frames differ.
  public static func images(from a: Vector, to b: Vector, count: Int, masses: [Double])
    -> [Vector]
  {
    let steps = samplesPerImage * (count + 1)
    let embedded = (0...steps).map { embedding(of: a, b, at: Double($0) / Double(steps)) }
    var forward = embedded
    forward[0] = a
    for k in 1...steps { forward[k] = placed(embedded[k], onto: forward[k - 1], masses) }
    var backward = embedded
    backward[steps] = b
    for k in stride(from: steps - 1, through: 0, by: -1) {
      backward[k] = placed(embedded[k], onto: backward[k + 1], masses)
    }
    let path = (0...steps).map { k -> Vector in
      let t = Double(k) / Double(steps)
      return Alignment.aligned(
        forward[k], onto: (1 - t) * forward[k] + t * backward[k], masses: masses)
    }
    return evenlySpaced(path, count: count, masses: masses)
  }

  /// `geometry` rigidly moved onto `reference`, or its mirror image if that lies closer.
  static func placed(_ geometry: Vector, onto reference: Vector, _ masses: [Double]) -> Vector {
    var mirrored = geometry
    for atom in masses.indices { mirrored[3 * atom + 2] = -mirrored[3 * atom + 2] }
    let candidates = [geometry, mirrored].map {
      Alignment.aligned($0, onto: reference, masses: masses)
    }
    return candidates.min { distance($0, reference, masses) < distance($1, reference, masses) }!
  }

  /// `count` points at equal mass-weighted arc length along the polyline `path`, its ends
  /// excluded.
  static func evenlySpaced(_ path: [Vector], count: Int, masses: [Double]) -> [Vector] {
    var lengths = [0.0]
    for k in 1..<path.count {
      lengths.append(lengths[k - 1] + distance(path[k], path[k - 1], masses))
    }
    let total = lengths[lengths.count - 1]
    var segment = 1
    return (1...count).map { i in
      let s = total * Double(i) / Double(count + 1)
      while segment < path.count - 1 && lengths[segment] < s { segment += 1 }
      let width = lengths[segment] - lengths[segment - 1]
      let u = width > 0 ? (s - lengths[segment - 1]) / width : 0
      return path[segment - 1] + u * (path[segment] - path[segment - 1])
    }
  }

  /// Classical scaling of the distances (1 − t)·d(a) + t·d(b) into three dimensions.
  static func embedding(of a: Vector, _ b: Vector, at t: Double) -> Vector {
    let n = a.count / 3
    var squares = Matrix.zero(n, n)
    for i in 0..<n {
      for j in 0..<n where j != i {
        let d = (1 - t) * distance(a, i, j) + t * distance(b, i, j)
        squares[i, j] = d * d
      }
    }
    let rowMeans = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + squares[i, $1] } / Double(n) }
    let mean = rowMeans.reduce(0, +) / Double(n)
    var gram = Matrix.zero(n, n)
    for i in 0..<n {
      for j in 0..<n {
        gram[i, j] = -0.5 * (squares[i, j] - rowMeans[i] - rowMeans[j] + mean)
      }
    }
    let system = gram.eigensystem
    var x = Vector.zero(3 * n)
    for axis in 0..<min(3, n) {
      let index = n - 1 - axis
      let scale = max(0, system.values[index]).squareRoot()
      for atom in 0..<n { x[3 * atom + axis] = scale * system.vectors[index][atom] }
    }
    return x
  }

  static func distance(_ x: Vector, _ i: Int, _ j: Int) -> Double {
    let dx = x[3 * i] - x[3 * j]
    let dy = x[3 * i + 1] - x[3 * j + 1]
    let dz = x[3 * i + 2] - x[3 * j + 2]
    return (dx * dx + dy * dy + dz * dz).squareRoot()
  }

  /// The mass-weighted distance between two geometries.
  static func distance(_ x: Vector, _ y: Vector, _ masses: [Double]) -> Double {
    var sum = 0.0
    for atom in masses.indices {
      for axis in 0..<3 {
        let d = x[3 * atom + axis] - y[3 * atom + axis]
        sum += masses[atom] * d * d
      }
    }
    return sum.squareRoot()
  }
}
