/// What a molecular trace reports beyond an abstract one: the path back in Cartesian
/// coordinates, the vibrational analysis of the saddle and of each end, and each end's
/// barrier from its side.
public struct PathVibrations: Sendable {
  public var molecule: Molecule
  /// √λ → cm⁻¹ for the file's units; nil in reduced units (eigenvalues are reported).
  public var wavenumberFactor: Double?
  public var saddle: HessianAnalysis
  public var forwardEnd: HessianAnalysis
  public var backwardEnd: HessianAnalysis

  /// The analysis of a branch's end.
  public func end(_ direction: PathDirection) -> HessianAnalysis {
    direction == .backward ? backwardEnd : forwardEnd
  }

  /// Frequencies in cm⁻¹ (imaginary negative), or the eigenvalues in reduced units.
  public func frequencies(_ analysis: HessianAnalysis) -> [Double] {
    wavenumberFactor.map { analysis.wavenumbers(factor: $0) } ?? analysis.eigenvalues
  }

  /// The unit of `frequencies`: wavenumbers, or eigenvalues in reduced units.
  public var unit: FrequencyUnit { FrequencyUnit(wavenumberFactor: wavenumberFactor) }

  /// `unit` as the JSON summary names it: "cm^-1" or "eigenvalue".
  public var frequencyUnit: String { unit.rawValue }

  /// A traced path in q turned back into Cartesian coordinates, with its analysis (one
  /// Hessian at the saddle and one at each end). Arc lengths stay in amu^½·length and the
  /// gradients mass-weighted (the |∇V| the tolerance applies to); the saddle's Hessian is
  /// the projected one with the rigid-body eigenvalues at zero, as chemists print it, and
  /// each end's eigenvalues are the internal ones.
  public static func cartesian(
    _ path: ReactionPath, on surface: MassWeightedSurface, molecule: Molecule,
    energyUnit: String, lengthUnit: String
  ) -> (path: ReactionPath, vibrations: PathVibrations) {
    var mapped = path
    let saddleModes = surface.rigidBodyModes(at: path.saddle.coordinates)
    let projected = RigidBodyModes.project(
      surface.unprojectedHessian(at: path.saddle.coordinates), removing: saddleModes, shift: 0)
    mapped.saddle = StationaryPoint(
      coordinates: surface.cartesian(path.saddle.coordinates), energy: path.saddle.energy,
      gradient: path.saddle.gradient, hessian: projected)
    func convert(_ branch: Branch) -> (Branch, HessianAnalysis) {
      var result = branch
      result.points = branch.points.map { point in
        var moved = point
        moved.coordinates = surface.cartesian(point.coordinates)
        return moved
      }
      let analysis = HessianAnalysis(at: branch.end.coordinates, on: surface)
      if result.endEigenvalues != nil { result.endEigenvalues = analysis.eigenvalues }
      return (result, analysis)
    }
    let (forward, forwardEnd) = convert(path.forward)
    let (backward, backwardEnd) = convert(path.backward)
    mapped.forward = forward
    mapped.backward = backward
    let vibrations = PathVibrations(
      molecule: molecule,
      wavenumberFactor: VibrationalUnits.wavenumberFactor(
        energyUnit: energyUnit, lengthUnit: lengthUnit),
      saddle: HessianAnalysis(
        massWeightedHessian: projected, rigidBodyModes: saddleModes),
      forwardEnd: forwardEnd, backwardEnd: backwardEnd)
    return (mapped, vibrations)
  }
}

/// What a list of frequencies holds: wavenumbers in cm⁻¹ (imaginary ones negative), or the
/// Hessian's eigenvalues where the surface's units are not known (reduced units).
public enum FrequencyUnit: String, Sendable, Equatable {
  case wavenumber = "cm^-1"
  case eigenvalue

  /// Wavenumbers where `VibrationalUnits.wavenumberFactor` knows the units, else eigenvalues.
  public init(wavenumberFactor: Double?) {
    self = wavenumberFactor == nil ? .eigenvalue : .wavenumber
  }
}
