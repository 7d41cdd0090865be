import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// The `xtb` kind against the installed program. Skipped, saying so, where xtb is not
/// installed (`.ci/run` installs it, so CI always runs these).
@Suite(
  .enabled(if: installedXTB != nil, "xtb is not installed (apt-get install xtb, or set IRC_XTB)"))
struct XTBEngineTests {
  /// Bent HCN (a guess for the HCN ⇌ HNC saddle) written the way people write it: in the
  /// xy plane with C at the origin and N on the x axis, so C and N share y = 0 (and all
  /// three z = 0), where xtb 6.5.1's analytic gradient is wrong by up to 0.03 hartree/Å.
  static let hcn: (symbols: [String], positions: Vector) = (
    ["H", "C", "N"], [0.6, 0.9, 0, 0, 0, 0, 1.15, 0, 0]
  )

  /// The gradient in the generic orientation is the slope of xtb's own energies; the same
  /// geometry fed to xtb as is (identity orientation) gives a gradient off by far more,
  /// so this test sees the defect it guards against.
  @Test func axisAlignedHCNGetsTheGradientOfItsEnergies() throws {
    // Seed 5 for the directions.
    let engine = XTBEngine(program: installedXTB!)
    let (symbols, x) = Self.hcn
    let result = try engine.evaluate(symbols: symbols, positions: x)
    var plain = engine
    plain.orientation = Matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    let raw = try plain.evaluate(symbols: symbols, positions: x)
    #expect(abs(raw.energy - result.energy) < 1e-9)
    // Energies at ±1e-3 Å resolve slopes to about 1e-5 hartree/Å (measured: 5e-6).
    var generator = SeededGenerator(seed: 5)
    let directions = (0..<3).map { _ in
      Vector((0..<9).map { _ in Double.random(in: -1...1, using: &generator) }).normalized
    }
    var rawError = 0.0
    for direction in directions {
      let slope = try centralDifference(along: direction, at: x, step: 1e-3) {
        try engine.evaluate(symbols: symbols, positions: $0).energy
      }
      #expect(abs(slope - result.gradient.dot(direction)) < 2e-5)
      rawError = max(rawError, abs(slope - raw.gradient.dot(direction)))
    }
    // The rotation changes only the orientation: the gradient of the raw call is wrong.
    #expect(rawError > 1e-3, "xtb's axis defect did not show: \(rawError)")
  }

  @Test func aMissingProgramIsTyped() throws {
    let engine = XTBEngine(program: "/nonexistent/xtb")
    let (symbols, x) = Self.hcn
    #expect(
      throws: EngineFailure(
        engine: "xtb", cause: .missingProgram("/nonexistent/xtb (No such file or directory)"),
        symbols: symbols, positions: x)
    ) { try engine.evaluate(symbols: symbols, positions: x) }
  }
}

/// The Turbomole files xtb writes, read without xtb.
@Suite struct TurbomoleOutputTests {
  @Test func readsTheLastCycleWithEitherHeaderAndDExponents() throws {
    let text = """
      $gradient
        cycle =      1    SCF energy =    -5.0   |dE/dxyz| =  0.1
          0.0 0.0 0.0 h
          1.0D+00 0.0 0.0 c
          9.0 9.0 9.0
          9.0 9.0 9.0
        cycle =      2    SCF energy =    -5.5   |dE/dxyz| =  0.04
          0.0 0.0 0.0 h
          1.0D+00 0.0 0.0 c
          1.0D-02 -2.0d-2 0.0
          -1.0E-02 2.0E-02 0.0
      $end
      """
    let gradient = try TurbomoleOutput.gradient(text, atoms: 2)
    #expect(gradient == Vector([0.01, -0.02, 0, -0.01, 0.02, 0].map { $0 / AtomicUnits.bohr }))
    #expect(throws: EngineFailure.Cause.wrongAtomCount(expected: 3, found: 2)) {
      try TurbomoleOutput.gradient(text, atoms: 3)
    }
    let energy = "$energy\n     1    -5.0 -5.0 -5.0\n     2    -5.50262879571D0  0 0\n$end\n"
    #expect(try TurbomoleOutput.energy(energy) == -5.50262879571)
    #expect(
      throws: EngineFailure.Cause.unreadableOutput(
        "the gradient file's line \"********** 0.0 0.0\" is not a coordinate or gradient line")
    ) {
      try TurbomoleOutput.gradient(
        "$grad\ncycle = 1\n0 0 0 h\n********** 0.0 0.0\n$end\n", atoms: 1)
    }
  }
}
