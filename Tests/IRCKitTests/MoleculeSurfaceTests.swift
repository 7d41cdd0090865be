import Foundation
import Testing

@testable import IRCKit

/// Molecular surfaces against independent facts: derivatives against fourth-order
/// differences, the H + H₂ LEPS saddle and its frequencies (molecules.md), LJ₇ and M₇
/// global minima (Cambridge Cluster Database values quoted in molecules.md), and
/// invariance under rigid motion.
@Suite struct MoleculeSurfaceTests {
  /// Largest relative mismatch of the analytic gradient and Hessian against fourth-order
  /// central differences at `point`.
  func derivativeMismatch(_ surface: any Surface, at point: Vector) -> Double {
    let gradient = surface.gradient(at: point)
    let hessian = surface.hessian(at: point)
    let scale = max(1, hessian.maxMagnitude)
    var worst = 0.0
    for axis in 0..<surface.dimension {
      let energy = fourthOrderDifference(at: point, axis: axis, step: 1e-3) {
        [surface.energy(at: $0)]
      }
      worst = max(worst, abs(energy.estimate[0] - gradient[axis]) / scale)
      let column = fourthOrderDifference(at: point, axis: axis, step: 1e-3) {
        surface.gradient(at: $0).components
      }
      for row in 0..<surface.dimension {
        worst = max(worst, abs(column.estimate[row] - hessian[row, axis]) / scale)
      }
    }
    return worst
  }

  @Test(arguments: [11, 12, 13] as [UInt64])
  func analyticDerivativesMatchDifferences(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    // Atoms jiggled around sensible geometries so no pair is too close.
    func jiggled(_ x: Vector) -> Vector {
      Vector(x.map { $0 + Double.random(in: -0.1...0.1, using: &generator) })
    }
    let surfaces: [(any Surface, Vector)] = [
      (
        LEPSTriatomic(parameters: referenceLEPSParameters),
        jiggled([0, 0, 0, 1.0, 0.3, 0, 2.1, 0.1, 0.2])
      ),
      (
        PairCluster(pair: .lennardJones(epsilon: 1, sigma: 1), atomCount: 7),
        jiggled(pentagonalBipyramid())
      ),
      (
        PairCluster(pair: .morse(depth: 1, equilibrium: 1, alpha: 6), atomCount: 7),
        jiggled(pentagonalBipyramid(1.0))
      ),
    ]
    for (surface, point) in surfaces {
      let mismatch = derivativeMismatch(surface, at: point)
      #expect(mismatch < 1e-7, "seed \(seed): \(type(of: surface)) mismatch \(mismatch)")
    }
  }

  @Test func h3SaddleFrequenciesMatchReference() throws {
    let potential = try h3Potential()
    let view = try #require(potential.massWeighted())
    let surface = try #require(view.massWeighting)
    var evaluator = Evaluator(view.surface)
    let start = surface.massWeighted(h3SaddleGeometry)
    let result = try SaddleRefiner(options: .scaled(to: view.scale(including: start))).refine(
      from: start, on: &evaluator)
    let x = surface.cartesian(result.saddle.coordinates)
    let rAB = PairGeometry(x, 0, 1).r
    let rBC = PairGeometry(x, 1, 2).r
    #expect(abs(rAB - 1.1493779934) < 1e-8)
    #expect(abs(rBC - 0.8624687699) < 1e-8)
    #expect(abs(result.saddle.energy - -3.1769130867) < 1e-9)
    #expect(result.saddle.index == 1)
    let analysis = HessianAnalysis(at: result.saddle.coordinates, on: surface)
    #expect(analysis.rigidBodyModeCount == 5)
    #expect(analysis.index == 1)
    let factor = try #require(VibrationalUnits.wavenumberFactor(energyUnit: "eV", lengthUnit: "Å"))
    #expect(abs(factor - 521.4709) < 1e-3)
    let wavenumbers = analysis.wavenumbers(factor: factor)
    let expected = [-2113.14, 679.67, 679.67, 2020.30]
    #expect(wavenumbers.count == 4)
    for (found, reference) in zip(wavenumbers, expected) {
      #expect(abs(found - reference) < 0.5, "\(wavenumbers)")
    }
  }

  @Test func lj7AndM7GlobalMinima() throws {
    let cases: [(PairCluster.Pair, Double, Double)] = [
      (.lennardJones(epsilon: 1, sigma: 1), 1.12, -16.505384),
      (.morse(depth: 1, equilibrium: 1, alpha: 6), 1.0, -16.207580),
    ]
    for (pair, spacing, reference) in cases {
      let cluster = PairCluster(pair: pair, atomCount: 7)
      let surface = MassWeightedSurface(cluster, masses: Array(repeating: 1, count: 7))
      var evaluator = Evaluator(surface)
      let minimum = try Minimizer(gradientTolerance: 1e-9, trustRadius: 0.1).minimize(
        from: pentagonalBipyramid(spacing), on: &evaluator)
      #expect(abs(minimum.saddle.energy - reference) < 1e-6, "\(pair)")
      let analysis = HessianAnalysis(at: minimum.saddle.coordinates, on: surface)
      #expect(analysis.rigidBodyModeCount == 6)
      #expect(analysis.index == 0)
      #expect(analysis.eigenvalues.allSatisfy { $0 > 1e-3 }, "\(analysis.eigenvalues)")
    }
  }

  @Test func rigidMotionChangesNothingButTheOrientation() throws {
    let masses = [2.01410177812, 1.00782503223, 1.00782503223]
    let surface = MassWeightedSurface(
      LEPSTriatomic(parameters: referenceLEPSParameters), masses: masses)
    let bent: Vector = [0, 0, 0, 1.05, 0.2, 0, 1.9, 0.6, 0.1]
    let angles = (0.7, -1.3, 2.1)
    let moved = rigidlyMoved(bent, angles: angles, shift: [3.0, -1.5, 0.25])
    let (q, qMoved) = (surface.massWeighted(bent), surface.massWeighted(moved))
    let energy = surface.energy(at: q)
    #expect(abs(surface.energy(at: qMoved) - energy) <= 1e-12 * abs(energy))
    let a = HessianAnalysis(at: q, on: surface).eigenvalues
    let b = HessianAnalysis(at: qMoved, on: surface).eigenvalues
    #expect(a.count == 3)
    for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-8 * abs(u), "\(a) vs \(b)") }
    // The gradient rotates with the molecule.
    let rotation = rotationMatrix(angles)
    let g = surface.base.gradient(at: bent)
    let gMoved = surface.base.gradient(at: moved)
    for atom in 0..<3 {
      for i in 0..<3 {
        let rotated = (0..<3).reduce(0.0) { $0 + rotation[i][$1] * g[3 * atom + $1] }
        #expect(abs(rotated - gMoved[3 * atom + i]) < 1e-12 * max(1, g.norm))
      }
    }
    // Alignment undoes the motion.
    #expect(Alignment.distance(moved, bent, masses: masses) < 1e-10)
    #expect(Alignment.aligned(moved, onto: bent, masses: masses).distance(to: bent) < 1e-10)
  }

  @Test func rigidBodyModesAreSixOrFiveForALine() {
    let masses = [1.0, 2.0, 3.0]
    #expect(RigidBodyModes.vectors(at: h3SaddleGeometry, masses: masses).count == 5)
    let bent: Vector = [0, 0, 0, 1, 0, 0, 1, 1, 0]
    let modes = RigidBodyModes.vectors(at: bent, masses: masses)
    #expect(modes.count == 6)
    for a in modes.indices {
      for b in modes.indices {
        #expect(abs(modes[a].dot(modes[b]) - (a == b ? 1 : 0)) < 1e-12)
      }
    }
    // The mass-weighted gradient of an invariant surface has no rigid component.
    let surface = MassWeightedSurface(
      LEPSTriatomic(parameters: referenceLEPSParameters), masses: masses)
    let raw = surface.base.gradient(at: bent)
    let weighted = Vector(raw.indices.map { raw[$0] / masses[$0 / 3].squareRoot() })
    for mode in modes { #expect(abs(mode.dot(weighted)) < 1e-12 * weighted.norm) }
  }

  @Test func projectedHessianHidesTheRigidModes() throws {
    let surface = MassWeightedSurface(
      PairCluster(pair: .lennardJones(epsilon: 1, sigma: 1), atomCount: 7),
      masses: Array(repeating: 1, count: 7))
    let q = pentagonalBipyramid()
    let values = surface.hessian(at: q).eigensystem.values
    let internalValues = HessianAnalysis(at: q, on: surface).eigenvalues
    // No eigenvalue near zero: the six rigid directions carry a positive curvature no
    // larger than the largest internal eigenvalue.
    #expect(values.allSatisfy { abs($0) > 1e-3 * values.map(abs).max()! })
    #expect(values.max()! <= internalValues.max()! * (1 + 1e-12))
  }
}
