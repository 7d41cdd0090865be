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

  /// How one branch of the run compares with the reference's, in the run's length unit
  /// (amu^½·bohr for a molecule, the unit its accuracy target is stated in).
  struct BranchComparison {
    var direction: PathDirection
    /// The largest distance of an integrated point from the reference curve.
    var integrated: Double
    /// The same over every point after the saddle, the Newton polish's included.
    var all: Double
    /// From the run's end to the reference's.
    var end: Double
    var referenceTermination: Termination
    var referenceEndGradient: Double
    var referenceArcLength: Double
    var arcLength: Double
  }

  /// The reference's settings and cost, and each branch compared.
  struct Comparison {
    var pathTolerance: Double
    var gradientTolerance: Double
    var counts: EvaluationCounts
    /// "amu^1/2·bohr" for a molecule, else the surface's own length unit.
    var unit: String
    var branches: [BranchComparison]

    var log: String {
      var text =
        "reference: adaptive at path tolerance \(NumberFormat.significant(pathTolerance, 3)), "
        + "steps ≤ ℓ/\(Int(stepsPerLength)), |∇V| ≤ \(NumberFormat.significant(gradientTolerance, 3))"
        + ": \(counts.gradients) gradients, \(counts.hessians) Hessians\n"
      func length(_ value: Double) -> String {
        NumberFormat.significant(value, 3) + (unit.isEmpty ? "" : " \(unit)")
      }
      for branch in branches {
        text +=
          TraceLog.pad(branch.direction.rawValue + ":", 10, right: false)
          + "path within \(length(branch.integrated)) of the reference (\(length(branch.all)) "
          + "with the Newton polish); end \(length(branch.end)) from its end "
          + "(\(branch.referenceTermination), |∇V| = "
          + NumberFormat.significant(branch.referenceEndGradient, 3) + ", s = "
          + NumberFormat.significant(branch.referenceArcLength, 7) + " against "
          + NumberFormat.significant(branch.arcLength, 7) + ")\n"
      }
      return text
    }

    var json: JSONValue {
      .object([
        .init("pathTolerance", .number(pathTolerance)),
        .init("gradientTolerance", .number(gradientTolerance)),
        .init("gradientEvaluations", .number(Double(counts.gradients))),
        .init("hessianEvaluations", .number(Double(counts.hessians))),
        .init("distanceUnit", .string(unit)),
        .init(
          "branches",
          .array(
            branches.map { branch in
              .object([
                .init("direction", .string(branch.direction.rawValue)),
                .init("integratedPointsWithin", .number(branch.integrated)),
                .init("allPointsWithin", .number(branch.all)),
                .init("endDistance", .number(branch.end)),
                .init("referenceTermination", .string(branch.referenceTermination.name)),
              ])
            })),
      ])
    }
  }

  /// `compare` on `potential` (the mass-weighted view for a molecule, whose points are
  /// fitted rigidly onto the reference's before they are measured).
  static func compare(
    _ traced: ReactionPath, on potential: Potential, settings: TraceSettings,
    molecular: MolecularRun?
  ) throws -> Comparison {
    try compare(
      traced, on: potential.surface, settings: settings,
      lengthUnit: (molecular?.cartesian ?? potential).units.lengthName,
      align: molecular.map { run in
        { point, target in
          run.surface.massWeighted(
            Alignment.aligned(
              run.surface.cartesian(point), onto: run.surface.cartesian(target),
              masses: run.molecule.masses))
        }
      })
  }

  /// Traces the reference from the run's saddle and compares the run with it;
  /// `lengthUnit` is the run's (Å for a molecule, whose distances are then given in
  /// amu^½·bohr). The reference's cost is what the `Evaluator` counted for it.
  ///
  /// `align` moves a point rigidly onto another (a molecule's mass-weighted Kabsch fit):
  /// steps free of rigid-body components still turn a molecule by a little that depends on
  /// the steps taken (the Eckart conditions are not integrable), so two paths of one
  /// molecule are compared point by point after the fit, as geometries are.
  static func compare(
    _ traced: ReactionPath, on surface: any Surface, settings: TraceSettings, lengthUnit: String,
    align: ((_ point: Vector, _ onto: Vector) -> Vector)?
  ) throws -> Comparison {
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
    let perUnit = lengthUnit == "Å" ? 1 / AtomicUnits.bohr : 1
    let branches = traced.branches.map { branch in
      let ref = reference.path.branches.first { $0.direction == branch.direction }!
      func distance(_ point: PathPoint) -> Double {
        let fitted =
          align?(point.coordinates, reference.point(atArcLength: point.arcLength, branch.direction))
          ?? point.coordinates
        return reference.distance(from: fitted, branch.direction)
      }
      let points = branch.points.dropFirst()
      let target = reference.end(branch.direction)
      let end = (align?(branch.end.coordinates, target) ?? branch.end.coordinates).distance(
        to: target)
      return BranchComparison(
        direction: branch.direction,
        integrated: perUnit * (points.filter { $0.kind != .newton }.map(distance).max() ?? 0),
        all: perUnit * (points.map(distance).max() ?? 0), end: perUnit * end,
        referenceTermination: ref.termination, referenceEndGradient: ref.end.gradientNorm,
        referenceArcLength: ref.arcLength, arcLength: branch.arcLength)
    }
    return Comparison(
      pathTolerance: pathToleranceFraction * settings.lengthScale,
      gradientTolerance: gradientToleranceFraction * settings.gradientTolerance, counts: counts,
      unit: lengthUnit == "Å" ? "amu^1/2·bohr" : "", branches: branches)
  }
}
