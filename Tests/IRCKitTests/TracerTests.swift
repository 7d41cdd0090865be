import Foundation
import Testing

@testable import IRCKit

/// Reference IRC arc lengths of `shared/reference/surfaces.md` and the minima each branch
/// must reach.
struct BranchReference: Sendable, CustomTestStringConvertible {
  var potential: String
  var saddle: String
  /// Minimum label and exact arc length for the forward and the backward branch.
  var forward: (label: String, arcLength: Double)
  var backward: (label: String, arcLength: Double)
  var testDescription: String { "\(potential) \(saddle)" }
}

struct TracerTests {
  static let references = [
    BranchReference(
      potential: "muller-brown", saddle: "S1", forward: ("MC", 0.802082), backward: ("MA", 1.034186)
    ),
    BranchReference(
      potential: "muller-brown", saddle: "S2", forward: ("MC", 0.333828), backward: ("MB", 0.528732)
    ),
    BranchReference(
      potential: "leps-harmonic", saddle: "TS", forward: ("shallow", 1.903081),
      backward: ("deep", 2.537498)),
  ]

  static func trace(
    _ potential: Potential, _ saddleLabel: String, step: Double? = nil
  ) throws -> (ReactionPath, TraceSettings) {
    let saddle = try refinedSaddle(potential, saddleLabel)
    let settings = TraceSettings(
      potential: potential, saddle: saddle, overrides: .init(stepLength: step))
    let path = try IRCTracer(options: settings.options()).trace(from: saddle, on: potential.surface)
    return (path, settings)
  }

  /// Each branch ends `converged` at the right minimum with |∇V| below tolerance after it
  /// first rose above it, the energy falls at every step, and the Euler arc length agrees
  /// with the exact one within 0.5·h: Euler's path drifts from the IRC by O(h) (the
  /// reference measures 0.3·h on S1), and so does the length of its polygon; the largest
  /// error seen here is 0.30·h (S1 → MA).
  @Test(arguments: references, [0.01, 0.005])
  func branchesConvergeToTheRightMinima(_ reference: BranchReference, _ step: Double) throws {
    let potential = try builtIn(reference.potential)
    let h = reference.potential == "leps-harmonic" ? 2 * step : step
    let (path, settings) = try Self.trace(potential, reference.saddle, step: h)
    for (branch, expected) in [
      (path.forward, reference.forward), (path.backward, reference.backward),
    ] {
      let context = "\(reference) \(branch.direction) h = \(h)"
      #expect(branch.termination == .converged, "\(context): \(branch.termination)")
      let end = try #require(potential.point(labelled: expected.label))
      #expect(end.kind == .minimum)
      let nearest = potential.match(branch.end.coordinates, kind: .minimum, within: h)
      #expect(nearest?.label == expected.label, "\(context)")
      // The end is the minimum to within |∇V|/λmin.
      #expect(
        branch.end.coordinates.distance(to: end.coordinates) < 1e-4 * settings.scale.regionDiagonal)
      #expect(branch.end.gradientNorm < settings.gradientTolerance, "\(context)")
      #expect(branch.points.contains { $0.gradientNorm > settings.gradientTolerance })
      for (before, after) in zip(branch.points, branch.points.dropFirst()) {
        #expect(after.energy < before.energy, "\(context): energy rose at step \(after.step)")
        #expect(after.arcLength > before.arcLength)
        #expect(after.step == before.step + 1)
      }
      #expect(
        abs(branch.arcLength - expected.arcLength) <= 0.5 * h, "\(context): s = \(branch.arcLength)"
      )
      // Step budget: the arc length in steps of h, plus a few for the polish and rejections.
      #expect(
        branch.steps <= Int(1.1 * expected.arcLength / h) + 10, "\(context): \(branch.steps) steps")
      #expect(branch.counts.gradients == branch.steps + branch.rejectedSteps)
      let minimum = try #require(branch.endEigenvalues)
      #expect(minimum.allSatisfy { $0 > 0 })
    }
  }

  /// Halving the step halves the arc-length error: first order, as Euler must be.
  @Test func arcLengthErrorIsFirstOrder() throws {
    let potential = try builtIn("muller-brown")
    let coarse = try Self.trace(potential, "S1", step: 0.01).0.backward.arcLength - 1.034186
    let fine = try Self.trace(potential, "S1", step: 0.005).0.backward.arcLength - 1.034186
    let order = log2(abs(coarse) / abs(fine))
    #expect(abs(order - 1) < 0.3, "measured order \(order)")
  }

  /// LEPS model 1 has no finite minima: both branches run down dissociation valleys and end
  /// `asymptotic` where |∇V| falls below the tolerance, with the lowest Hessian eigenvalue
  /// ≈ 0; neither claims a minimum.
  @Test func lepsModelOneEndsAsymptotic() throws {
    let potential = try builtIn("leps")
    let (path, settings) = try Self.trace(potential, "TS")
    #expect(potential.points(of: .minimum).isEmpty)
    for branch in path.branches {
      #expect(branch.termination == .asymptotic, "\(branch.direction): \(branch.termination)")
      #expect(branch.end.gradientNorm <= settings.gradientTolerance)
      let eigenvalues = try #require(branch.endEigenvalues)
      #expect(eigenvalues[0] / eigenvalues[1] < 1e-4)
      for (before, after) in zip(branch.points, branch.points.dropFirst()) {
        #expect(after.energy < before.energy)
      }
    }
    // One branch dissociates C (r_BC → ∞, r_AB → r0), the other A; the energies approach
    // −d_AB/(1+a) = −4.52000 and −d_BC/(1+b) = −3.650769.
    let ends = path.branches.map(\.end).sorted { $0.energy < $1.energy }
    #expect(abs(ends[0].coordinates[0] - 0.742) < 1e-3 && ends[0].coordinates[1] > 4)
    #expect(abs(ends[1].coordinates[1] - 0.742) < 1e-3 && ends[1].coordinates[0] > 4)
    #expect(abs(ends[0].energy - -4.52) < 1e-3 && abs(ends[1].energy - -3.650769) < 1e-3)
  }

  /// The transition vector is a unit eigenvector of the negative eigenvalue whose
  /// largest-magnitude component is positive; forward leaves the saddle along it.
  @Test func transitionVectorSignRule() throws {
    for name in ["muller-brown", "leps", "leps-harmonic"] {
      let potential = try builtIn(name)
      for listed in potential.points(of: .saddle) {
        let saddle = try refinedSaddle(potential, listed.label)
        let vector = IRCTracer.transitionVector(of: saddle)
        #expect(abs(vector.norm - 1) < 1e-14)
        let largest = try #require(vector.indices.max { abs(vector[$0]) < abs(vector[$1]) })
        #expect(vector[largest] > 0)
        let hv = saddle.hessian * vector
        #expect(
          (hv - saddle.eigensystem.lowest * vector).maxMagnitude < 1e-9
            * saddle.hessian.maxMagnitude)
        let options = try TraceOptions(stepLength: 0.01, gradientTolerance: 1, maxSteps: 1)
        let path = try IRCTracer(options: options).trace(from: saddle, on: potential.surface)
        // Each branch departs along ±v, bent by the path's curvature c ⊥ v.
        let c = path.departureCurvature
        #expect(abs(c.dot(vector)) < 1e-12 * max(c.norm, 1))
        let forward = path.forward.points[1].coordinates - saddle.coordinates
        let backward = path.backward.points[1].coordinates - saddle.coordinates
        #expect((forward - 0.01 * vector - 0.5e-4 * c).maxMagnitude < 1e-15)
        #expect((backward + 0.01 * vector - 0.5e-4 * c).maxMagnitude < 1e-15)
        #expect(path.forward.points[1].kind == .displacement)
        #expect(path.departureCounts.gradients == 2)
      }
    }
  }

  @Test func stepLimitEndsWithMaxSteps() throws {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let options = try TraceOptions(stepLength: 0.01, gradientTolerance: 1e-3, maxSteps: 5)
    let path = try IRCTracer(options: options).trace(from: saddle, on: potential.surface)
    for branch in path.branches {
      #expect(branch.termination == .maxSteps)
      #expect(branch.steps == 5)
      #expect(!branch.termination.reachedGoal)
    }
    #expect(!path.reachedGoal)
  }

  /// A surface that becomes NaN beyond a line: the branch that runs into it ends `failed`
  /// with the point named, and no non-finite number enters the path.
  struct PoisonedSurface: Surface {
    var dimension: Int { 2 }
    var derivativeSource: DerivativeSource { .analytic }
    func poisoned(_ point: Vector) -> Bool { point[1] > 1.0 }
    func energy(at point: Vector) -> Double {
      poisoned(point) ? .nan : referenceMullerBrown.energy(at: point)
    }
    func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
      poisoned(point) ? (.nan, [.nan, .nan]) : referenceMullerBrown.energyAndGradient(at: point)
    }
    func hessian(at point: Vector) -> Matrix { referenceMullerBrown.hessian(at: point) }
  }

  /// A surface whose engine fails beyond a line: the branch that reaches it ends
  /// `engine-failed` carrying the failure, keeps every point before it, and the other
  /// branch is unharmed.
  struct FailingEngineSurface: Surface {
    static let failure = EngineFailure(
      engine: "test", cause: .exitStatus(3), stderrTail: ["SCF did not converge"],
      symbols: ["X"], positions: [0, 0, 0])
    var dimension: Int { 2 }
    var derivativeSource: DerivativeSource { .analytic }
    func energy(at point: Vector) -> Double { referenceMullerBrown.energy(at: point) }
    func hessian(at point: Vector) -> Matrix { referenceMullerBrown.hessian(at: point) }
    func evaluateEnergyAndGradient(
      at point: Vector
    ) throws(EvaluationError) -> (energy: Double, gradient: Vector) {
      guard point[1] <= 1.0 else { throw .engine(Self.failure) }
      return referenceMullerBrown.energyAndGradient(at: point)
    }
  }

  @Test func aFailedEngineEndsTheBranchEngineFailedKeepingThePath() throws {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let options = try TraceOptions(stepLength: 0.01, gradientTolerance: 1e-3, maxSteps: 1000)
    let path = try IRCTracer(options: options).trace(from: saddle, on: FailingEngineSurface())
    #expect(path.forward.termination == .converged)
    #expect(path.backward.termination == .engineFailed(FailingEngineSurface.failure))
    #expect(path.backward.termination.name == "engine-failed")
    #expect(!path.backward.termination.reachedGoal)
    // The path runs up to the line, every point a real evaluation below it.
    #expect(path.backward.points.count > 10)
    #expect(path.backward.points.allSatisfy { $0.coordinates[1] <= 1.0 })
    #expect(path.backward.points.last.map { $0.coordinates[1] > 0.9 } == true)
  }

  @Test func nonFiniteSurfaceEndsTheBranchAsFailed() throws {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let options = try TraceOptions(stepLength: 0.01, gradientTolerance: 1e-3, maxSteps: 1000)
    let path = try IRCTracer(options: options).trace(from: saddle, on: PoisonedSurface())
    // S1 → MA climbs in y past 1.0; S1 → MC stays below.
    #expect(path.forward.termination == .converged)
    let reason = try #require(path.backward.termination.reason)
    #expect(reason.contains("not finite"))
    for point in path.orderedPoints.map(\.point) {
      #expect(point.energy.isFinite && point.gradient.isFinite && point.coordinates.isFinite)
    }
  }

  /// A wall the gradient does not see: past it every step climbs. Step control shortens
  /// the step until it is below its floor, then ends the branch `energyRise`.
  struct WalledSurface: Surface {
    var center: Vector
    var radius: Double
    var dimension: Int { 2 }
    var derivativeSource: DerivativeSource { .analytic }
    func energy(at point: Vector) -> Double { energyAndGradient(at: point).energy }
    func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
      let (energy, gradient) = referenceMullerBrown.energyAndGradient(at: point)
      return (point.distance(to: center) > radius ? energy + 1e6 : energy, gradient)
    }
    func hessian(at point: Vector) -> Matrix { referenceMullerBrown.hessian(at: point) }
  }

  @Test func aWallEndsTheBranchWithEnergyRise() throws {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let options = try TraceOptions(stepLength: 0.01, gradientTolerance: 1e-3, maxSteps: 1000)
    let surface = WalledSurface(center: saddle.coordinates, radius: 0.05)
    let path = try IRCTracer(options: options).trace(from: saddle, on: surface)
    for branch in path.branches {
      #expect(branch.termination == .energyRise)
      #expect(branch.end.coordinates.distance(to: saddle.coordinates) <= 0.05)
    }
  }

  @Test func startsThatAreNotSaddlesAreRefused() throws {
    let potential = try builtIn("muller-brown")
    var evaluator = Evaluator(potential.surface)
    let minimum = try StationaryPoint(
      at: try #require(potential.point(labelled: "MA")).coordinates, on: &evaluator)
    let options = try TraceOptions(stepLength: 0.01, gradientTolerance: 1e-3, maxSteps: 10)
    #expect(throws: TraceError.notASaddle(index: 0, eigenvalues: minimum.hessianEigenvalues)) {
      try IRCTracer(options: options).trace(from: minimum, on: potential.surface)
    }
  }

  @Test func optionsRefuseNonsense() {
    #expect(throws: OptionError.self) {
      try TraceOptions(stepLength: 0, gradientTolerance: 1, maxSteps: 1)
    }
    #expect(throws: OptionError.self) {
      try TraceOptions(stepLength: .nan, gradientTolerance: 1, maxSteps: 1)
    }
    #expect(throws: OptionError.self) {
      try TraceOptions(stepLength: 1, gradientTolerance: -1, maxSteps: 1)
    }
    #expect(throws: OptionError.self) {
      try TraceOptions(stepLength: 1, gradientTolerance: 1, maxSteps: 0)
    }
    #expect(
      Termination.maxSteps.name == "max-steps" && Termination.energyRise.name == "energy-rise")
    #expect(Termination.failed("x").name == "failed" && Termination.failed("x").reason == "x")
  }

  /// Without `defaults` in the file, settings are derived from the surface: the step from
  /// the saddle's Hessian, the tolerance from the gradient scale; the trace still converges.
  @Test func derivedDefaultsTraceMullerBrown() throws {
    var potential = try builtIn("muller-brown")
    potential.defaults = Potential.Defaults()
    let saddle = try refinedSaddle(potential, "S1")
    let settings = TraceSettings(potential: potential, saddle: saddle)
    #expect(settings.stepLengthSource == .derived && settings.gradientToleranceSource == .derived)
    let scale = potential.scale()
    #expect(abs(settings.stepLength - scale.gradient / 750.863 / 30) < 1e-3 * settings.stepLength)
    #expect(settings.gradientTolerance == 1e-5 * scale.gradient)
    #expect(settings.maxSteps >= 1000)
    let path = try IRCTracer(options: settings.options()).trace(from: saddle, on: potential.surface)
    #expect(path.forward.termination == .converged && path.backward.termination == .converged)
    let overridden = TraceSettings(
      potential: potential, saddle: saddle,
      overrides: .init(stepLength: 0.02, gradientTolerance: 0.1, maxSteps: 7))
    #expect(overridden.stepLength == 0.02 && overridden.stepLengthSource == .commandLine)
    #expect(overridden.gradientTolerance == 0.1 && overridden.maxSteps == 7)
  }
}
