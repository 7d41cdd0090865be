import Foundation
import Testing

@testable import IRCKit

/// The LEPS parameters of `shared/reference/molecules.md`, written out independently of
/// the shipped files.
let referenceLEPSParameters = LEPS.Parameters(
  a: 0.05, b: 0.30, c: 0.05, dAB: 4.746, dBC: 4.746, dAC: 3.445, r0: 0.742, alpha: 1.942)

/// H + H₂ on the LEPS parameters, three atoms in space, with `symbols`.
func h3Potential(_ symbols: [String] = ["H", "H", "H"]) throws -> Potential {
  Potential(
    name: "h3", energyUnit: "eV", lengthUnit: "Å",
    coordinateNames: Molecule.coordinateNames(atomCount: 3),
    model: .lepsTriatomic(LEPSTriatomic(parameters: referenceLEPSParameters)),
    molecule: try Molecule(symbols: symbols))
}

/// The collinear H + H₂ saddle of molecules.md on the x axis.
let h3SaddleGeometry: Vector = [0, 0, 0, 1.1493779934, 0, 0, 1.1493779934 + 0.8624687699, 0, 0]

/// A rotation matrix from Euler angles, applied to every atom, plus a translation.
func rigidlyMoved(_ x: Vector, angles: (Double, Double, Double), shift: [Double]) -> Vector {
  let rotation = rotationMatrix(angles)
  var result = x
  for atom in 0..<(x.count / 3) {
    for i in 0..<3 {
      result[3 * atom + i] =
        (0..<3).reduce(0.0) { $0 + rotation[i][$1] * x[3 * atom + $1] } + shift[i]
    }
  }
  return result
}

func rotationMatrix(_ angles: (Double, Double, Double)) -> [[Double]] {
  let (a, b, c) = angles
  let rz = [[cos(a), -sin(a), 0], [sin(a), cos(a), 0], [0, 0, 1.0]]
  let ry = [[cos(b), 0, sin(b)], [0, 1, 0.0], [-sin(b), 0, cos(b)]]
  let rx = [[1, 0, 0.0], [0, cos(c), -sin(c)], [0, sin(c), cos(c)]]
  func times(_ p: [[Double]], _ q: [[Double]]) -> [[Double]] {
    (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0.0) { $0 + p[i][$1] * q[$1][j] } } }
  }
  return times(rz, times(ry, rx))
}

/// The pentagonal bipyramid of seven atoms with nearest-neighbour distance ≈ `d`.
func pentagonalBipyramid(_ d: Double = 1.12) -> Vector {
  let radius = d / (2 * sin(Double.pi / 5))
  let height = (d * d - radius * radius).squareRoot()
  var coordinates: [Double] = []
  for k in 0..<5 {
    let angle = 2 * Double.pi * Double(k) / 5
    coordinates += [radius * cos(angle), radius * sin(angle), 0]
  }
  coordinates += [0, 0, height, 0, 0, -height]
  return Vector(coordinates)
}
