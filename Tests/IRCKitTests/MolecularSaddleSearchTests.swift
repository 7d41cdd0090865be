import Foundation
import Testing

@testable import IRCKit

/// Single-ended saddle searches on molecules: from a listed saddle of lj7 (and the H + H₂
/// saddle) distorted by a seeded random 0.02 Å, the dimer and P-RFO return that saddle —
/// not a neighbour, not the molecule wandered off — checked after removing rigid-body
/// motion and by the index over internal modes only.
struct MolecularSaddleSearchTests {
  static let lj7Saddles = [
    "TS-PBP-CO", "TS-BTBP-PBP", "TS-TCT-CO", "TS-CO-BTBP", "TS-TCT-PBP",
  ]

  /// A Cartesian geometry moved by `length` along a seeded random direction.
  static func distorted(_ x: Vector, length: Double, seed: UInt64) -> Vector {
    var generator = SeededGenerator(seed: seed)
    let direction = Vector((0..<x.count).map { _ in Double.random(in: -1...1, using: &generator) })
    return x.adding(length, times: direction.normalized)
  }

  /// Root-mean-square atomic displacement after the best rigid superposition (Å).
  static func alignedRMSD(_ x: Vector, _ reference: Vector, masses: [Double]) -> Double {
    let moved = Alignment.aligned(x, onto: reference, masses: masses)
    return (moved - reference).norm / Double(masses.count).squareRoot()
  }

  enum Search: CustomStringConvertible, CaseIterable {
    case dimerLowestMode, dimerRandom, prfo
    var description: String {
      switch self {
      case .dimerLowestMode: return "dimer (lowest-mode start)"
      case .dimerRandom: return "dimer (random start)"
      case .prfo: return "prfo"
      }
    }

    func make(_ scale: SurfaceScale) throws -> any SaddleSearch {
      switch self {
      case .prfo: return try SaddleSearchMethod.prfo.search(scale: scale)
      case .dimerLowestMode, .dimerRandom:
        var dimer = try #require(try SaddleSearchMethod.dimer.search(scale: scale) as? DimerSearch)
        dimer.orientation = self == .dimerRandom ? .random(seed: 42) : .automatic
        return dimer
      }
    }
  }

  /// Searches `potential` from its listed `label` distorted by 0.02 Å and checks the result.
  func expectReturnsToListedSaddle(
    _ potential: Potential, _ label: String, _ search: Search, seed: UInt64
  ) throws {
    let view = try #require(potential.massWeighted())
    let surface = try #require(view.massWeighting)
    let listed = try #require(potential.point(labelled: label)).coordinates
    let start = surface.massWeighted(Self.distorted(listed, length: 0.02, seed: seed))
    let scale = try view.scale(including: start)
    var evaluator = Evaluator(view.surface)
    let context = "\(potential.name) \(label) \(search) seed \(seed)"
    let found = try search.make(scale).search(from: start, on: &evaluator)
    let x = surface.cartesian(found.saddle.coordinates)
    let rmsd = Self.alignedRMSD(x, listed, masses: surface.masses)
    #expect(rmsd < 1e-3, "\(context): RMSD \(rmsd) Å after alignment")
    let analysis = HessianAnalysis(at: found.saddle.coordinates, on: surface)
    #expect(analysis.index == 1, "\(context): internal eigenvalues \(analysis.eigenvalues)")
    #expect(found.saddle.gradientNorm <= 1e-10 * scale.gradient * (1 + 1e-9), "\(context)")
    if search != .prfo {
      // Gradients only, plus at most the first orientation's Hessian and the verification.
      #expect(found.counts.hessians <= 2, "\(context): \(found.counts)")
      #expect(found.counts.gradients <= 400, "\(context): \(found.counts)")
    }
  }

  @Test(arguments: Search.allCases)
  func lj7SaddlesFromDistortedStarts(_ search: Search) throws {
    let potential = try builtIn("lj7")
    for (offset, label) in Self.lj7Saddles.enumerated() {
      try expectReturnsToListedSaddle(potential, label, search, seed: 2026 + UInt64(offset))
    }
  }

  @Test(arguments: Search.allCases)
  func h3SaddleFromADistortedStart(_ search: Search) throws {
    try expectReturnsToListedSaddle(try builtIn("h3-leps"), "TS", search, seed: 12)
  }

  /// The orientation never holds a rigid-body component: the lowest curvature of a
  /// molecule away from a stationary point is often a rotation's, and a dimer that may
  /// turn into it climbs nowhere.
  @Test func theDimerStartsInternal() throws {
    let potential = try builtIn("lj7")
    let view = try #require(potential.massWeighted())
    let surface = try #require(view.massWeighting)
    let listed = try #require(potential.point(labelled: "TS-PBP-CO")).coordinates
    let q = surface.massWeighted(Self.distorted(listed, length: 0.02, seed: 5))
    let dimer = try DimerSearch(gradientTolerance: 1e-8, maximumStep: 0.1, separation: 1e-5)
    for orientation in [DimerSearch.Orientation.lowestHessianMode, .random(seed: 3), .gradient] {
      var search = dimer
      search.orientation = orientation
      var evaluator = Evaluator(view.surface)
      let n = try search.initialOrientation(
        at: q, gradient: surface.gradient(at: q), frame: InternalFrame(view.surface),
        on: &evaluator)
      #expect(abs(n.norm - 1) < 1e-12)
      for mode in surface.rigidBodyModes(at: q) {
        #expect(abs(mode.dot(n)) < 1e-12, "\(orientation): rigid component \(mode.dot(n))")
      }
    }
  }

  /// The band's forces on a molecule have no rigid-body component, even where its tangent
  /// would have one (here the ends differ by a rotation the band was not given aligned):
  /// springs and the climbing image neither turn nor shift an image.
  @Test func elasticBandForcesStayInternal() throws {
    let potential = try builtIn("lj7")
    let view = try #require(potential.massWeighted())
    let surface = try #require(view.massWeighting)
    let a = surface.massWeighted(try #require(potential.point(labelled: "CO")).coordinates)
    let pbp = try #require(potential.point(labelled: "PBP")).coordinates
    let b = surface.massWeighted(rigidlyMoved(pbp, angles: (0.3, 0.2, -0.4), shift: [0, 0, 0]))
    let count = 6
    let positions = (0...(count + 1)).map { a + (Double($0) / Double(count + 1)) * (b - a) }
    let evaluated = positions.map { surface.energyAndGradient(at: $0) }
    let band = try NudgedElasticBand.scaled(
      to: view.scale(including: a), from: a, to: b, images: count)
    let forces = band.bandForces(
      positions, evaluated.map(\.energy), evaluated.map(\.gradient), climbing: 3,
      frame: InternalFrame(view.surface))
    let unprojected = band.bandForces(
      positions, evaluated.map(\.energy), evaluated.map(\.gradient), climbing: 3)
    var largestWithout = 0.0
    for i in 1...count {
      for mode in surface.rigidBodyModes(at: positions[i]) {
        #expect(abs(mode.dot(forces[i])) <= 1e-10 * forces[i].norm, "image \(i)")
        largestWithout = max(largestWithout, abs(mode.dot(unprojected[i])) / unprojected[i].norm)
      }
    }
    // The check can fail: without the projection the same band pushes images rigidly.
    #expect(largestWithout > 1e-3)
  }
}
