import Foundation

/// Normal modes as an XYZ animation (outputs.md rules) that Jmol, VMD and ASE play.
extension HessianAnalysis {
  /// Every internal mode in turn, `framesPerMode` frames each over one period: the atoms at
  /// x + A·sin(2πk/frames)·d, d = M^−½u the mode's Cartesian displacement scaled so that
  /// the atom moving most moves `amplitude` (length units). Each comment line carries
  /// `mode`, `frequency` (cm⁻¹, imaginary negative; the eigenvalue in reduced units),
  /// `frame` and `energy` of the equilibrium geometry.
  public func animation(
    symbols: [String], at x: Vector, masses: [Double], frequencies: [Double], energy: Double,
    amplitude: Double = 0.25, framesPerMode: Int = 20
  ) -> String {
    var text = ""
    for (index, mode) in modes.enumerated() {
      var displacement = Vector.zero(x.count)
      for i in x.indices { displacement[i] = mode[i] / masses[i / 3].squareRoot() }
      var largest = 0.0
      for atom in 0..<symbols.count {
        let d = (0..<3).map { displacement[3 * atom + $0] }
        largest = max(largest, (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).squareRoot())
      }
      if largest > 0 { displacement = displacement / largest }
      for frame in 0..<framesPerMode {
        let phase = amplitude * sin(2 * Double.pi * Double(frame) / Double(framesPerMode))
        let point = x.adding(phase, times: displacement)
        text += "\(symbols.count)\n"
        text += XYZ.comment([
          ("mode", String(index + 1)), ("frequency", NumberFormat.roundTrip(frequencies[index])),
          ("frame", String(frame)), ("energy", NumberFormat.roundTrip(energy)),
        ])
        text += "\n"
        for atom in 0..<symbols.count {
          text +=
            XYZ.atomLine(
              Atom(symbols[atom], point[3 * atom], point[3 * atom + 1], point[3 * atom + 2]))
            + "\n"
        }
      }
    }
    return text
  }
}
