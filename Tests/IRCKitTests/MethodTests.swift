import Foundation
import Testing

@testable import IRCKit

/// Every integrator through the foundation's branch tests, at its default settings.
struct MethodTests {
  static func trace(
    _ potential: Potential, _ label: String, _ method: PathMethod, pathTolerance: Double? = nil
  ) throws -> (ReactionPath, TraceSettings) {
    let saddle = try refinedSaddle(potential, label)
    let settings = try TraceSettings(
      potential: potential, saddle: saddle,
      overrides: .init(method: method, pathTolerance: pathTolerance))
    return (try settings.tracer().trace(from: saddle, on: potential.surface), settings)
  }

  /// Both branches `converged` at the right minima, the energy falling at every step
  /// (a Newton step onto a minimum may leave it unchanged to rounding), the last |∇V|
  /// below the tolerance after it first rose above it.
  @Test(arguments: PathMethod.allCases)
  func everyMethodReachesTheRightMinima(_ method: PathMethod) throws {
    for reference in TracerTests.references {
      let potential = try builtIn(reference.potential)
      let (path, settings) = try Self.trace(potential, reference.saddle, method)
      for (branch, expected) in [
        (path.forward, reference.forward), (path.backward, reference.backward),
      ] {
        let context = "\(method) \(reference) \(branch.direction)"
        #expect(branch.termination == .converged, "\(context): \(branch.termination)")
        let minimum = try #require(potential.point(labelled: expected.label))
        #expect(branch.end.coordinates.distance(to: minimum.coordinates) < 1e-3, "\(context)")
        #expect(branch.end.gradientNorm <= settings.gradientTolerance, "\(context)")
        #expect(branch.points.contains { $0.gradientNorm > settings.gradientTolerance })
        for (before, after) in zip(branch.points, branch.points.dropFirst()) {
          #expect(
            after.energy <= before.energy + 64 * before.energy.ulp,
            "\(context): energy rose at step \(after.step)")
        }
        #expect(
          isClose(branch.arcLength, expected.arcLength, absolute: 0.5 * settings.stepLength + 1e-3))
      }
    }
  }

  /// The predictor–corrector methods at four times the derived step on the formula
  /// surfaces whose curvature that step outruns: both branches still reach their minima,
  /// the energy falling at every step. (They used to carry the energy across a correction
  /// as long as the step and end `energy-rise` with |∇V| ≈ 1.7.)
  @Test(arguments: [PathMethod.hpc, .eulerpc], [HessianSource.exact, .updated])
  func predictorCorrectorSurvivesLongSteps(_ method: PathMethod, _ hessian: HessianSource) throws {
    for (name, label) in [("curved-double-well", "TS"), ("anapot", "TS")] {
      let potential = try builtIn(name)
      let saddle = try refinedSaddle(potential, label)
      let derived = try TraceSettings(potential: potential, saddle: saddle).stepLength
      let settings = try TraceSettings(
        potential: potential, saddle: saddle,
        overrides: .init(stepLength: 4 * derived, method: method, hessian: hessian))
      let path = try settings.tracer().trace(from: saddle, on: potential.surface)
      for branch in path.branches {
        let context = "\(method) \(hessian) \(name) \(branch.direction)"
        #expect(branch.termination == .converged, "\(context): \(branch.termination)")
        for (before, after) in zip(branch.points, branch.points.dropFirst()) {
          #expect(after.energy <= before.energy + 64 * before.energy.ulp, "\(context)")
          // Every reported energy is the surface's own at the reported point.
          let exact = potential.surface.energy(at: after.coordinates)
          #expect(abs(after.energy - exact) <= 0.05 * abs(before.energy - after.energy) + 1e-12)
        }
      }
    }
  }

  /// LEPS model 1 has no minima: every method ends both branches `asymptotic`.
  @Test(arguments: PathMethod.allCases)
  func everyMethodEndsLEPSAsymptotic(_ method: PathMethod) throws {
    let (path, _) = try Self.trace(try builtIn("leps"), "TS", method)
    for branch in path.branches {
      #expect(
        branch.termination == .asymptotic, "\(method) \(branch.direction): \(branch.termination)")
    }
  }

  /// `adaptive` keeps its promise: over T = 10⁻³…10⁻⁸ on every built-in saddle the largest
  /// distance of any path point from the reference path is at most 3T (measured in
  /// release builds: at most 1.8T on these, 2.1T on Neria–Fischer–Karplus). LEPS model 1
  /// stops at 10⁻⁶ here because its long valleys make 10⁻⁷ and 10⁻⁸ slow in a debug
  /// build; `irc bench` covers them. The three formula surfaces are the ones whose
  /// departure a fixed length cbrt(T)·ℓ put 3–11T off the path before the departure was
  /// error-controlled.
  @Test(arguments: [
    ("muller-brown", "S1", 8, 100), ("muller-brown", "S2", 8, 100),
    ("leps-harmonic", "TS", 8, 100), ("leps", "TS", 6, 100),
    ("neria-fischer-karplus", "TS", 8, 1000), ("anapot", "TS", 8, 1000),
    ("curved-double-well", "TS", 8, 1000),
  ])
  func adaptiveDeliversItsTolerance(_ saddleCase: (String, String, Int, Double)) throws {
    let potential = try builtIn(saddleCase.0)
    let saddle = try refinedSaddle(potential, saddleCase.1)
    // The reference samples every ℓ/n (last argument): on the formula surfaces ℓ = G/|λ₁|
    // is as long as the whole path (Neria–Fischer–Karplus: 8.1 against 3.4), and at
    // ℓ/100 the reference's interpolation alone is 1e-7 off there.
    let reference = try testReference(potential, saddle, stepsPerLength: saddleCase.3)
    for exponent in 3...saddleCase.2 {
      let tolerance = pow(10, -Double(exponent))
      let (path, _) = try Self.trace(potential, saddleCase.1, .adaptive, pathTolerance: tolerance)
      let deviation = path.branches.map { reference.maxDeviation(of: $0) }.max() ?? .infinity
      #expect(
        deviation <= 3 * tolerance, "\(saddleCase.0) \(saddleCase.1) T = \(tolerance): \(deviation)"
      )
      #expect(path.reachedGoal)
    }
  }

  /// The reference path reproduces the exact arc lengths of the reference table.
  @Test func referencePathMatchesTheExactArcLengths() throws {
    for reference in TracerTests.references {
      let potential = try builtIn(reference.potential)
      let saddle = try refinedSaddle(potential, reference.saddle)
      let settings = try TraceSettings(potential: potential, saddle: saddle)
      let path = try ReferencePath(
        saddle: saddle, on: potential.surface, lengthScale: settings.lengthScale,
        gradientTolerance: 1e-9 * settings.scale.gradient
      ).path
      #expect(isClose(path.forward.arcLength, reference.forward.arcLength, absolute: 1e-6))
      #expect(isClose(path.backward.arcLength, reference.backward.arcLength, absolute: 1e-6))
    }
  }

  /// The accuracy-per-gradient targets on both branches of Müller–Brown S1, counting every
  /// evaluation after the saddle (Hessians at 2n = 4 gradients): the surrogate reaches a
  /// deviation of 10⁻⁴ within 50 gradient-equivalents and 10⁻⁶ within 250.
  @Test func surrogateMeetsTheBudgets() throws {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let reference = try testReference(potential, saddle)
    for (tolerance, accuracy, budget) in [(2e-4, 1e-4, 50), (5e-7, 1e-6, 250)] {
      let (path, _) = try Self.trace(potential, "S1", .surrogate, pathTolerance: tolerance)
      let deviation = path.branches.map { reference.maxDeviation(of: $0) }.max() ?? .infinity
      let cost = path.counts.gradientEquivalents(dimension: 2)
      #expect(deviation <= accuracy, "T = \(tolerance): deviation \(deviation)")
      #expect(cost <= budget, "T = \(tolerance): \(cost) gradient-equivalents")
      #expect(path.forward.termination == .converged && path.backward.termination == .converged)
    }
  }
}
