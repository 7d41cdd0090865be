import Foundation
import Testing

@testable import IRCKit

/// The engines' tracer (`TraceSettings.engineTracer`: EulerPC on updated Hessians) near a
/// minimum: its steps shrink onto it, and the Newton polish starts close, from an
/// evaluated gradient, on the freshest Hessian, so that no polish point leaves the path by
/// more than the integrated points do. Judged against a tight reference traced
/// independently (DOPRI5 under error control, `ReferencePath`), on LJ7 (analytic, so no
/// engine is needed).
@Suite struct MinimumApproachTests {
  /// An LJ7 saddle in q with its evaluated Hessian, and the settings an engine run uses.
  static func lj7(_ label: String) throws -> (Potential, StationaryPoint, TraceSettings) {
    let lj7 = try #require(try builtIn("lj7").massWeighted())
    var evaluator = Evaluator(lj7.surface)
    let saddle = try StationaryPoint(
      at: try #require(lj7.point(labelled: label)).coordinates, on: &evaluator)
    let settings = try TraceSettings(
      potential: lj7, saddle: saddle, overrides: .init(method: .eulerpc, hessian: .updated))
    return (lj7, saddle, settings)
  }

  /// Per branch: the largest distance from the reference of its integrated points and of
  /// its Newton-polish points.
  static func deviations(_ path: ReactionPath, _ reference: ReferencePath)
    -> [(integrated: Double, polish: Double)]
  {
    path.branches.map { branch in
      (
        reference.maxDeviation(of: branch) { $0.kind != .newton },
        reference.maxDeviation(of: branch) { $0.kind == .newton }
      )
    }
  }

  /// Measured: with the policy, polish/integrated ≤ 0.8 on these branches; handing over one
  /// step from the minimum without shortening the steps (the former policy), the polish
  /// was 1.7 and 5.5 times the integrated points' deviation on one branch of each.
  @Test(arguments: ["TS-PBP-CO", "TS-CO-BTBP"])
  func thePolishStaysAsCloseToThePathAsTheIntegratedPoints(_ label: String) throws {
    let (lj7, saddle, settings) = try Self.lj7(label)
    let reference = try ReferencePath(
      saddle: saddle, on: lj7.surface, lengthScale: settings.lengthScale,
      gradientTolerance: settings.gradientTolerance / 30,
      pathTolerance: 1e-7 * settings.lengthScale, stepsPerLength: 30)
    let tracer = try settings.engineTracer()
    let path = try tracer.trace(from: saddle, on: lj7.surface)
    #expect(path.branches.map(\.termination) == [.converged, .converged])
    for (deviation, branch) in zip(Self.deviations(path, reference), path.branches) {
      #expect(branch.newtonSteps > 0)
      #expect(deviation.polish <= deviation.integrated, "\(label) \(branch.direction)")
    }
    // The former hand-over (one step out, steps not shortened) fails the same check.
    var former = tracer
    former.options.approachSteps = 1
    former.options.approachStepFraction = nil
    let formerPath = try former.trace(from: saddle, on: lj7.surface)
    #expect(
      Self.deviations(formerPath, reference).contains { $0.polish > $0.integrated },
      "\(label): the test would not tell the policies apart")
  }

  /// A branch ends on an evaluated gradient: the last point's gradient is the surface's, not
  /// one a predictor–corrector carried there (a carried energy 3e-6 too low once made every
  /// polish step from it look uphill, and this branch ended `energy-rise`).
  @Test func theEndIsDecidedOnAnEvaluatedGradient() throws {
    let (lj7, saddle, settings) = try Self.lj7("TS-PBP-CO")
    let path = try settings.engineTracer().trace(from: saddle, on: lj7.surface)
    for branch in path.branches {
      let exact = lj7.surface.gradient(at: branch.end.coordinates)
      #expect(branch.end.gradient == exact, "\(branch.direction)")
      #expect(branch.end.gradientNorm <= settings.gradientTolerance)
    }
  }
}
