/// An atom of a trajectory frame: an element symbol and a Cartesian position.
public struct Atom: Sendable, Equatable {
  public var symbol: String
  public var position: (x: Double, y: Double, z: Double)

  public init(_ symbol: String, _ x: Double, _ y: Double, _ z: Double) {
    self.symbol = symbol
    self.position = (x, y, z)
  }

  public static func == (lhs: Atom, rhs: Atom) -> Bool {
    lhs.symbol == rhs.symbol && lhs.position == rhs.position
  }
}

extension Potential {
  /// The atoms that stand for a point of the surface in a trajectory, the same number in
  /// every frame:
  /// - `gaussian-sum` (an abstract surface): one pseudo-atom `X` at (x, y, 0).
  /// - `leps`: A, B and C on the x axis at 0, r_AB, and r_AB + r_BC (`rAC: "sum"`) or r_AC.
  /// - `leps-harmonic`: A at 0, B at r_AB, C at r_AC on the x axis, plus a pseudo-atom `X`
  ///   at (r_AC/2 − x/c, −1, 0): the anchor of the oscillator's spring, which pulls B
  ///   towards its x position, drawn 1 Å below the axis so viewers keep it apart from B.
  /// - a molecular surface (`molecule` set): its atoms, isotopes as their element, at their
  ///   Cartesian positions.
  /// - `expression` (an abstract surface of n coordinates): ⌈n/3⌉ pseudo-atoms `X` holding
  ///   the coordinates three at a time in order, the last one padded with zeros: (x, y, 0)
  ///   for two coordinates, as for `gaussian-sum`; (q₁, q₂, q₃) and (q₄, 0, 0) for four.
  public func atoms(at point: Vector) -> [Atom] {
    if let molecule {
      return Self.atoms(of: molecule.elements, at: massWeighting?.cartesian(point) ?? point)
    }
    switch model {
    case .gaussianSum:
      return [Atom("X", point[0], point[1], 0)]
    case .leps(let surface, let symbols):
      let rAB = point[0]
      let rC: Double
      switch surface.acDistance {
      case .sum: rC = rAB + point[1]
      case .fixed(let rAC): rC = rAC
      }
      return [Atom(symbols[0], 0, 0, 0), Atom(symbols[1], rAB, 0, 0), Atom(symbols[2], rC, 0, 0)]
    case .lepsHarmonic(let surface, let symbols):
      return [
        Atom(symbols[0], 0, 0, 0), Atom(symbols[1], point[0], 0, 0),
        Atom(symbols[2], surface.rAC, 0, 0),
        Atom("X", surface.rAC / 2 - point[1] / surface.c, -1, 0),
      ]
    case .lepsTriatomic, .cluster, .engine:
      return Self.atoms(of: molecule?.elements ?? [], at: point)
    case .expression:
      let n = point.count
      return stride(from: 0, to: n, by: 3).map { first in
        Atom(
          "X", point[first], first + 1 < n ? point[first + 1] : 0,
          first + 2 < n ? point[first + 2] : 0)
      }
    }
  }
}

extension Potential {
  /// Atoms with these symbols at the Cartesian positions x1, y1, z1, x2, … of `point`.
  static func atoms(of symbols: [String], at point: Vector) -> [Atom] {
    symbols.indices.map { Atom(symbols[$0], point[3 * $0], point[3 * $0 + 1], point[3 * $0 + 2]) }
  }
}
