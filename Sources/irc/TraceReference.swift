import Foundation
import IRCEngines
import IRCKit

/// `irc trace --reference`: after the run, the same IRC traced again tightly from the same
/// saddle, independently of the run's method, and the run measured against it. A
/// measurement, not a routine: the reference costs some thousand gradients.
///
/// The reference is `ReferencePath` (DOPRI5 with error control; exact Hessians at its
/// ends) at a path tolerance `pathToleranceFraction`·ℓ with steps of at most
/// ℓ/`stepsPerLength` (ℓ = G/|λ₁|), down to |∇V| ≤ `gradientToleranceFraction` of the run's
/// tolerance, so that its ends are the minima to far better than the run's.
enum TraceReference {
  static let option = OptionSpec.flag(
    "--reference",
    "After the trace, integrate the IRC again from the same saddle, tightly (adaptive "
      + "Dormand–Prince, many more gradients), and print how far the path and its ends are from it")

  /// 10⁻⁷ℓ per step: far below the 10⁻³ amu^½·bohr the runs are judged at, and above
  /// where the noise of an SCF gradient makes steps fail over and over.
  static let pathToleranceFraction = 1e-7
  /// Steps of at most ℓ/30 (about 130 over HCN ⇌ HNC at GFN2-xTB): the reference's cubic
  /// Hermite interpolation between them is then far more accurate than the runs it judges.
  static let stepsPerLength = 30.0
  /// The ends of the reference go 30 times further down in |∇V| than the run's.
  static let gradientToleranceFraction = 1.0 / 30

  /// The comparison as log lines; `lengthUnit` is the run's (Å for a molecule, whose
  /// distances are then also shown in amu^½·bohr). The reference's cost is what the
  /// `Evaluator` counted for it.
  ///
  /// `align` moves a point rigidly onto another (a molecule's mass-weighted Kabsch fit):
  /// steps free of rigid-body components still turn a molecule by a little that depends on
  /// the steps taken (the Eckart conditions are not integrable), so two paths of one
  /// molecule are compared point by point after the fit, as geometries are.
  static func compare(
    _ traced: ReactionPath, on surface: any Surface, settings: TraceSettings, lengthUnit: String,
    align: ((_ point: Vector, _ onto: Vector) -> Vector)?
  ) throws -> String {
    let reference: ReferencePath
    do {
      reference = try ReferencePath(
        saddle: traced.saddle, on: surface, lengthScale: settings.lengthScale,
        gradientTolerance: gradientToleranceFraction * settings.gradientTolerance,
        pathTolerance: pathToleranceFraction * settings.lengthScale,
        stepsPerLength: stepsPerLength, branchHessian: .updated)
    } catch {
      throw CommandError(
        message: "the reference path could not be traced: \(error)", code: .goalNotReached)
    }
    let counts = reference.path.branches.reduce(reference.path.departureCounts) { $0 + $1.counts }
    let perBohr = lengthUnit == "Å" ? 1 / AtomicUnits.bohr : nil
    func length(_ value: Double) -> String {
      let own = NumberFormat.significant(value, 3)
      guard let perBohr else { return own }
      return NumberFormat.significant(value * perBohr, 3) + " amu^1/2·bohr"
    }
    var text =
      "reference: adaptive at path tolerance "
      + NumberFormat.significant(pathToleranceFraction * settings.lengthScale, 3)
      + ", steps ≤ ℓ/\(Int(stepsPerLength)), |∇V| ≤ "
      + NumberFormat.significant(gradientToleranceFraction * settings.gradientTolerance, 3)
      + ": \(counts.gradients) gradients, \(counts.hessians) Hessians\n"
    for branch in traced.branches {
      let ref = reference.path.branches.first { $0.direction == branch.direction }!
      func distance(_ point: PathPoint) -> Double {
        let fitted =
          align?(point.coordinates, reference.point(atArcLength: point.arcLength, branch.direction))
          ?? point.coordinates
        return reference.distance(from: fitted, branch.direction)
      }
      let points = branch.points.dropFirst()
      let integrated = points.filter { $0.kind != .newton }.map(distance).max() ?? 0
      let all = points.map(distance).max() ?? 0
      let target = reference.end(branch.direction)
      let end = (align?(branch.end.coordinates, target) ?? branch.end.coordinates).distance(
        to: target)
      text +=
        TraceLog.pad(branch.direction.rawValue + ":", 10, right: false)
        + "path within \(length(integrated)) of the reference (\(length(all)) with the Newton "
        + "polish); end \(length(end)) from its end (\(ref.termination), |∇V| = "
        + NumberFormat.significant(ref.end.gradientNorm, 3) + ", s = "
        + NumberFormat.significant(ref.arcLength, 7) + " against "
        + NumberFormat.significant(branch.arcLength, 7) + ")\n"
    }
    return text
  }
}
