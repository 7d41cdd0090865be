import Foundation

/// The vibrational analysis of a molecular Hessian: projection of the rigid-body modes,
/// eigenpairs of the internal ones, the index over the 3N − 6 (3N − 5) internal modes,
/// harmonic frequencies and normal modes. The one analysis that `freq`, saddle
/// verification and the ends of a trace share.
///
/// References:
/// - E. B. Wilson, J. C. Decius and P. C. Cross, *Molecular Vibrations* (1955), ch. 2:
///   ν̃ = √λ/(2πc) for an eigenvalue λ of the mass-weighted Hessian.
/// - W. H. Miller, N. C. Handy and J. E. Adams, J. Chem. Phys. 72, 99 (1980), eq. (2.11).
public struct HessianAnalysis: Sendable, Equatable {
  /// Eigenvalues of the internal modes, ascending (energy/(length²·amu)).
  public let eigenvalues: [Double]
  /// Unit mass-weighted normal modes, `modes[k]` belonging to `eigenvalues[k]`.
  public let modes: [Vector]
  /// The number of rigid-body modes removed (6, 5 for a linear geometry).
  public let rigidBodyModeCount: Int

  /// Analyses the mass-weighted Hessian `hessian` (projected or not) given the orthonormal
  /// rigid-body vectors at the same geometry.
  public init(massWeightedHessian hessian: Matrix, rigidBodyModes: [Vector]) {
    // The rigid directions are lifted far above every internal eigenvalue (twice the
    // Gershgorin bound of the projected matrix, plus one) so that the top k eigenvectors
    // are exactly them and no internal mode mixes with them.
    let projected = RigidBodyModes.project(hessian, removing: rigidBodyModes, shift: 0)
    var bound = 0.0
    for i in 0..<projected.rows {
      var row = 0.0
      for j in 0..<projected.columns { row += abs(projected[i, j]) }
      bound = max(bound, row)
    }
    let lifted = RigidBodyModes.project(
      projected, removing: rigidBodyModes, shift: 2 * bound + 1)
    let system = lifted.eigensystem
    let internalCount = hessian.rows - rigidBodyModes.count
    eigenvalues = Array(system.values.prefix(internalCount))
    modes = Array(system.vectors.prefix(internalCount))
    rigidBodyModeCount = rigidBodyModes.count
  }

  /// Analyses a point of a mass-weighted surface.
  public init(at q: Vector, on surface: MassWeightedSurface) {
    self.init(
      massWeightedHessian: surface.unprojectedHessian(at: q),
      rigidBodyModes: surface.rigidBodyModes(at: q))
  }

  /// Eigenvalues below −10⁻⁸ of the largest magnitude count as negative (the rule of
  /// `StationaryPoint.index`): rounding in a soft mode cannot change the answer.
  public var index: Int {
    let largest = eigenvalues.map(abs).max() ?? 0
    return eigenvalues.filter { $0 < -1e-8 * largest }.count
  }

  /// Wavenumbers for a √(eigenvalue) → cm⁻¹ `factor` (`VibrationalUnits`), an imaginary
  /// one as negative.
  public func wavenumbers(factor: Double) -> [Double] {
    eigenvalues.map { ($0 < 0 ? -1 : 1) * abs($0).squareRoot() * factor }
  }
}

/// Converting eigenvalues of a mass-weighted Hessian to wavenumbers.
public enum VibrationalUnits {
  // CODATA 2018.
  static let joulesPerElectronvolt = 1.602176634e-19
  static let joulesPerHartree = 4.3597447222071e-18
  static let avogadro = 6.02214076e23
  static let kilogramsPerAmu = 1.66053906660e-27
  static let metresPerBohr = 0.529177210903e-10
  static let speedOfLightCmPerSecond = 2.99792458e10

  /// The factor f with ν̃ [cm⁻¹] = f·√λ for λ in (energy unit)/(length unit² · amu), or
  /// nil for units it does not know (reduced units: eigenvalues are reported instead).
  /// eV and Å give 521.4709.
  public static func wavenumberFactor(energyUnit: String, lengthUnit: String) -> Double? {
    let joules: Double
    switch energyUnit.lowercased() {
    case "ev": joules = joulesPerElectronvolt
    case "hartree", "eh", "ha": joules = joulesPerHartree
    case "kcal/mol": joules = 4184 / avogadro
    case "kj/mol": joules = 1000 / avogadro
    default: return nil
    }
    let metres: Double
    switch lengthUnit.lowercased() {
    case "å", "angstrom", "ang", "a": metres = 1e-10
    case "bohr": metres = metresPerBohr
    default: return nil
    }
    let angular = (joules / (metres * metres * kilogramsPerAmu)).squareRoot()
    return angular / (2 * Double.pi * speedOfLightCmPerSecond)
  }
}
