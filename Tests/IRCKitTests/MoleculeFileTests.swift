import Foundation
import Testing

@testable import IRCKit

/// The molecular potential file (molecules.md) and XYZ starts: strict decoding, every
/// error located.
@Suite struct MoleculeFileTests {
  static let h3Text = """
    {"format": "irc-potential/1", "name": "h3", "kind": "leps", "atoms": ["H", "H", "H"],
     "parameters": {"a": 0.05, "b": 0.30, "c": 0.05, "dAB": 4.746, "dBC": 4.746,
                    "dAC": 3.445, "r0": 0.742, "alpha": 1.942},
     "units": {"energy": "eV", "length": "Å"}}
    """

  func decode(_ text: String) throws(PotentialFileError) -> Potential {
    try Potential(decoding: text, file: "m.json")
  }

  func replacing(_ old: String, _ new: String) -> String {
    Self.h3Text.replacingOccurrences(of: old, with: new)
  }

  @Test func threeLineFileDecodes() throws {
    let potential = try decode(Self.h3Text)
    #expect(potential.coordinateNames == ["x1", "y1", "z1", "x2", "y2", "z2", "x3", "y3", "z3"])
    #expect(potential.molecule?.masses == [1.00782503223, 1.00782503223, 1.00782503223])
    #expect(potential.model.kindName == "leps")
    // The same energy as the 2-D collinear LEPS at the same distances.
    let collinear = LEPS(parameters: referenceLEPSParameters, acDistance: .sum)
    #expect(
      abs(
        potential.surface.energy(at: h3SaddleGeometry)
          - collinear.energy(at: [1.1493779934, 0.8624687699]))
        < 1e-12)
  }

  @Test func massesOverrideTheTable() throws {
    let potential = try decode(replacing(#""atoms""#, #""masses": {"H": 1.00794}, "atoms""#))
    #expect(potential.molecule?.masses == [1.00794, 1.00794, 1.00794])
  }

  @Test func refusedCombinations() {
    #expect(
      throws: PotentialFileError.invalidValue(
        file: "m.json", path: "coordinates",
        expected:
          "no coordinates in a file with atoms: they are the Cartesian positions x1,y1,z1,x2,…; remove the coordinates key"
      )
    ) { try decode(replacing(#""atoms""#, #""coordinates": ["a"], "atoms""#)) }
    #expect(
      throws: PotentialFileError.wrongLength(file: "m.json", path: "atoms", expected: 3, found: 2)
    ) {
      try decode(replacing(#"["H", "H", "H"]"#, #"["H", "H"]"#))
    }
    #expect(
      throws: PotentialFileError.wrongLength(
        file: "m.json", path: "stationaryPoints[0].coordinates", expected: 9, found: 2
      )
    ) {
      try decode(
        replacing(
          #""units""#,
          #""stationaryPoints": [{"label": "TS", "kind": "saddle", "coordinates": [1, 2]}], "units""#
        ))
    }
    #expect(
      throws: PotentialFileError.invalidValue(
        file: "m.json", path: "masses.H", expected: "a positive mass in amu, found -1.0"
      )
    ) { try decode(replacing(#""atoms""#, #""masses": {"H": -1}, "atoms""#)) }
    #expect(
      throws: PotentialFileError.invalidValue(
        file: "m.json", path: "atoms[1]",
        expected:
          "a correctly capitalised element symbol such as \"H\", \"D\" or \"Cl\", found \"h\""
      )
    ) { try decode(replacing(#"["H", "H", "H"]"#, #"["H", "h", "H"]"#)) }
    #expect(
      throws: PotentialFileError.missingField(
        file: "m.json", path: "parameters.sigma", expected: "a positive number"
      )
    ) {
      try decode(
        #"{"format": "irc-potential/1", "name": "c", "kind": "lennard-jones", "atoms": ["Ar", "Ar"], "parameters": {"epsilon": 1}}"#
      )
    }
    #expect(throws: PotentialFileError.self) {
      try decode(replacing(#""units""#, #""plotRange": {"lower": [0], "upper": [1]}, "units""#))
    }
  }

  @Test func xyzFirstFrameAndItsErrors() throws {
    let text =
      "3\nProperties=species:S:1:pos:R:3 energy=1.0\nD 0 0 0\nh 1.1 0 0 9 9 9\nH 2.0 0 0\n3\nnext\n"
    let geometry = try XYZGeometry(parsing: text, file: "s.xyz")
    #expect(geometry.symbols == ["D", "H", "H"])
    #expect(geometry.coordinates == [0, 0, 0, 1.1, 0, 0, 2.0, 0, 0])
    let molecule = try Molecule(symbols: ["H", "H", "H"])
    try geometry.check(against: molecule)
    let relabelled = try molecule.relabelled(geometry.symbols)
    #expect(relabelled.masses[0] == 2.01410177812)
    #expect(
      throws: XYZError.wrongSymbol(file: "s.xyz", line: 4, atom: 2, expected: "F", found: "H")
    ) {
      try geometry.check(against: try Molecule(symbols: ["H", "F", "H"]))
    }
    #expect(throws: XYZError.wrongAtomCount(file: "s.xyz", expected: 4, found: 3)) {
      try geometry.check(against: try Molecule(symbols: ["H", "H", "H", "H"]))
    }
    #expect(throws: XYZError.missingAtoms(file: "s.xyz", line: 5, expected: 3, found: 2)) {
      try XYZGeometry(parsing: "3\n\nH 0 0 0\nH 1 0 0\n", file: "s.xyz")
    }
    #expect(
      throws: XYZError.badAtomLine(file: "s.xyz", line: 3, reason: "\"x\" is not a finite number")
    ) {
      try XYZGeometry(parsing: "1\n\nH x 0 0\n", file: "s.xyz")
    }
    #expect(throws: XYZError.badCount(file: "s.xyz", line: 1, found: "three")) {
      try XYZGeometry(parsing: "three\n", file: "s.xyz")
    }
  }
}

/// The shipped molecular files hold the reference structures of molecules.md.
@Suite struct ShippedMoleculeTests {
  @Test func lj7ListsTheFourKnownMinima() throws {
    let potential = try builtIn("lj7")
    let energies = potential.points(of: .minimum).compactMap(\.energy).sorted()
    let reference = [-16.505384, -15.935043, -15.593211, -15.533060]
    #expect(energies.count == 4)
    for (listed, known) in zip(energies, reference) {
      #expect(abs(listed - known) < 1e-6)
      // The listed energy is the surface's at the listed coordinates.
    }
    for point in potential.stationaryPoints {
      #expect(abs(potential.surface.energy(at: point.coordinates) - point.energy!) < 1e-9)
    }
  }

  @Test func h3LEPSListsTheReferenceSaddle() throws {
    let potential = try builtIn("h3-leps")
    let saddle = try #require(potential.point(labelled: "TS"))
    #expect(abs(PairGeometry(saddle.coordinates, 0, 1).r - 1.1493779934) < 1e-9)
    #expect(abs(PairGeometry(saddle.coordinates, 1, 2).r - 0.8624687699) < 1e-9)
    #expect(abs(potential.surface.energy(at: saddle.coordinates) - -3.1769130867) < 1e-9)
  }

  /// The IRC of each listed LJ7 saddle ends, on both sides, at the minima its label
  /// names (TS-A-B), matched after removing rigid motion and exchanges of like atoms.
  @Test func eachLJ7SaddleConnectsTheMinimaItClaims() throws {
    let potential = try builtIn("lj7")
    let view = try #require(potential.massWeighted())
    for listed in view.points(of: .saddle) {
      var evaluator = Evaluator(view.surface)
      let saddle = try StationaryPoint(at: listed.coordinates, on: &evaluator)
      let settings = TraceSettings(
        potential: view, saddle: saddle, overrides: .init(stepLength: 0.08, method: .euler))
      let path = try settings.tracer().trace(from: saddle, on: view.surface)
      let claimed = Set(listed.label.split(separator: "-").dropFirst().map(String.init))
      var reached: Set<String> = []
      for branch in path.branches {
        #expect(branch.termination == .converged, "\(listed.label) \(branch.direction)")
        let match = view.match(branch.end.coordinates, kind: .minimum, within: 1e-4)
        if let match { reached.insert(match.label) }
      }
      #expect(reached == claimed, "\(listed.label) reached \(reached)")
    }
  }
}
