import Foundation
import Testing

@testable import IRCKit

/// Near-linear geometries and the classification of a molecular path's ends.
struct MolecularEndTests {
  /// H–N–C (bond lengths 0.995 and 1.17 Å) bent at N by `degrees` from linear, in a plane
  /// tilted off every axis so that no coordinate is exactly zero.
  static func bentHNC(_ degrees: Double) -> Vector {
    let angle = degrees * Double.pi / 180
    let flat: Vector = [-0.995, 0, 0, 0, 0, 0, 1.17 * cos(angle), 1.17 * sin(angle), 0]
    return rigidlyMoved(flat, angles: (0.3, -0.7, 1.1), shift: [0.2, -0.4, 0.9])
  }

  static let hncMasses = [1.00782503223, 14.00307400443, 12.0]

  @Test func aTriatomicBentBy005DegreesIsLinear() throws {
    let x = Self.bentHNC(0.05)
    #expect(RigidBodyModes.isLinear(x, masses: Self.hncMasses))
    let modes = RigidBodyModes.vectors(at: x, masses: Self.hncMasses)
    #expect(modes.count == 5)
    // Orthonormal.
    for (i, a) in modes.enumerated() {
      for (j, b) in modes.enumerated() {
        #expect(abs(a.dot(b) - (i == j ? 1 : 0)) < 1e-12)
      }
    }
  }

  @Test(arguments: [5.0, 1.0])
  func aClearlyBentTriatomicIsNot(_ degrees: Double) throws {
    let x = Self.bentHNC(degrees)
    #expect(!RigidBodyModes.isLinear(x, masses: Self.hncMasses))
    #expect(RigidBodyModes.vectors(at: x, masses: Self.hncMasses).count == 6)
  }

  /// The H + H₂ saddle bent by 0.05° is analysed as the linear one: 5 rigid-body modes, 4
  /// internal, the reference frequencies (molecules.md: 2113.14i, 679.67 twice, 2020.30)
  /// within 0.5 cm⁻¹ — the second bend is kept, not projected away as a rotation.
  @Test func theH3SaddleBentBy005DegreesKeepsBothBends() throws {
    let view = try #require(try h3Potential().massWeighted())
    let surface = try #require(view.massWeighting)
    let angle = 0.05 * Double.pi / 180
    let rBC = 0.8624687699
    var x = h3SaddleGeometry
    x[6] = 1.1493779934 + rBC * cos(angle)
    x[7] = rBC * sin(angle)
    let analysis = HessianAnalysis(at: surface.massWeighted(x), on: surface)
    #expect(analysis.rigidBodyModeCount == 5)
    let factor = try #require(VibrationalUnits.wavenumberFactor(energyUnit: "eV", lengthUnit: "Å"))
    let frequencies = analysis.wavenumbers(factor: factor)
    let reference = [-2113.14, 679.67, 679.67, 2020.30]
    #expect(frequencies.count == 4)
    for (value, expected) in zip(frequencies, reference) {
      #expect(abs(value - expected) < 0.5, "\(frequencies)")
    }
  }

  /// H + H₂ traced with a loose tolerance stops while the leaving atom still feels a
  /// repulsive |∇V|: the collinear ends bend down by ≈ 0.9|∇V| (4i–50i cm⁻¹). That is the
  /// gradient's curvature, not a ridge: both ends are asymptotic, as at tight tolerances.
  @Test func h3EndsAtALooseToleranceAreAsymptoticNotFailed() throws {
    let view = try #require(try h3Potential().massWeighted())
    var evaluator = Evaluator(view.surface)
    let start = view.massWeighting!.massWeighted(h3SaddleGeometry)
    let saddle = try SaddleRefiner(options: .scaled(to: view.scale(including: start)))
      .refine(from: start, on: &evaluator).saddle
    for tolerance in [1e-2, 1e-4] {
      let settings = try TraceSettings(
        potential: view, saddle: saddle,
        overrides: .init(gradientTolerance: tolerance, method: .euler))
      let path = try settings.tracer().trace(from: saddle, on: view.surface)
      for branch in path.branches {
        #expect(branch.termination == .asymptotic, "gtol \(tolerance): \(branch.termination)")
        // The bend at the end is negative, and within |∇V|/ℓ.
        let lowest = try #require(branch.endEigenvalues?.first)
        #expect(lowest < 0 && -lowest <= branch.end.gradientNorm / settings.lengthScale)
      }
    }
  }

  /// A genuinely negative curvature still counts: next to the H + H₂ saddle, where |∇V| is
  /// as small as at a loose end, the reaction mode (−16.4) is far beyond |∇V|/ℓ.
  @Test func aRealSaddleAtAnEndStillCountsAsNegative() throws {
    let view = try #require(try h3Potential().massWeighted())
    let surface = try #require(view.massWeighting)
    let q = surface.massWeighted(h3SaddleGeometry)
    var evaluator = Evaluator(view.surface)
    let saddle = try StationaryPoint(at: q, on: &evaluator)
    let mode = saddle.eigensystem.vectors[0]
    let nearby = q.adding(1e-3, times: mode)
    let (energy, gradient) = surface.energyAndGradient(at: nearby)
    let point = PathPoint(
      step: 1, arcLength: 1e-3, coordinates: nearby, energy: energy, gradient: gradient,
      kind: .integrator)
    let length = 0.5 * 1.00782503223.squareRoot() * 0.8624687699  // ℓ at the saddle
    let curvature = try Curvature(
      at: point, on: &evaluator, flatRatio: 1e-4, noiseLength: length)
    #expect(gradient.norm < 0.05)
    #expect(
      curvature.isNegative, "lowest \(curvature.eigensystem.lowest), noise \(curvature.noise)")
  }

  /// The allowance is a molecule's (a fragment swung about a pivot); an abstract surface's
  /// ends are judged as before.
  @Test func onlyAMoleculeGetsTheGradientNoiseAllowance() throws {
    let lj7 = try #require(try builtIn("lj7").massWeighted())
    var evaluator = Evaluator(lj7.surface)
    let ts = try StationaryPoint(
      at: try #require(lj7.point(labelled: "TS-PBP-CO")).coordinates, on: &evaluator)
    let molecular = try TraceSettings(potential: lj7, saddle: ts)
    #expect(molecular.gradientNoiseLength == molecular.lengthScale)
    #expect(try molecular.options().gradientNoiseLength == molecular.lengthScale)
    let mullerBrown = try builtIn("muller-brown")
    var plain = Evaluator(mullerBrown.surface)
    let s1 = try StationaryPoint(
      at: try #require(mullerBrown.point(labelled: "S1")).coordinates, on: &plain)
    let abstract = try TraceSettings(potential: mullerBrown, saddle: s1)
    #expect(abstract.gradientNoiseLength == nil)
    #expect(try abstract.options().gradientNoiseLength == nil)
  }
}
