import Foundation
import Testing

@testable import IRCKit

/// The IRC of atoms against references computed independently of `MassWeightedSurface`:
/// a tight RK4 integration of dq/ds = −g_q/|g_q| written here, with g_q = ∇V/√m from the
/// Cartesian surface.
@Suite struct MolecularPathTests {
  static let dhhMasses = [2.01410177812, 1.00782503223, 1.00782503223]
  static let cartesian = LEPSTriatomic(parameters: referenceLEPSParameters)

  /// The reference flow: classical RK4 on dq/ds = −g_q/|g_q| with steps of `h`, returning
  /// the point every step (arc length k·h).
  static func referencePath(from q0: Vector, length: Double, h: Double, masses: [Double])
    -> [Vector]
  {
    let roots = masses.flatMap { Array(repeating: $0.squareRoot(), count: 3) }
    func direction(_ q: Vector) -> Vector {
      let x = Vector(q.indices.map { q[$0] / roots[$0] })
      let gx = cartesian.gradient(at: x)
      let g = Vector(gx.indices.map { gx[$0] / roots[$0] })
      return -g / g.norm
    }
    var q = q0
    var points = [q]
    for _ in 0..<Int((length / h).rounded()) {
      let k1 = direction(q)
      let k2 = direction(q.adding(h / 2, times: k1))
      let k3 = direction(q.adding(h / 2, times: k2))
      let k4 = direction(q.adding(h, times: k3))
      q = q + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
      points.append(q)
    }
    return points
  }

  /// The D + H₂ saddle in q, refined, and the mass-weighted view.
  static func dhhSaddle() throws -> (Potential, StationaryPoint) {
    let view = try #require(try h3Potential(["D", "H", "H"]).massWeighted())
    var evaluator = Evaluator(view.surface)
    let start = view.massWeighting!.massWeighted(h3SaddleGeometry)
    let saddle = try SaddleRefiner(options: .scaled(to: view.scale(including: start))).refine(
      from: start, on: &evaluator
    ).saddle
    return (view, saddle)
  }

  /// The distance from `q` to the polyline through `points` (dense, so the nearest
  /// segment is enough).
  static func distance(_ q: Vector, toPolyline points: [Vector]) -> Double {
    var best = Double.infinity
    for (a, b) in zip(points, points.dropFirst()) {
      let ab = b - a
      let t = max(0, min(1, (q - a).dot(ab) / max(ab.dot(ab), 1e-300)))
      best = min(best, q.distance(to: a.adding(t, times: ab)))
    }
    return best
  }

  @Test func dPlusH2FollowsTheMassWeightedPathNotTheUnweightedOne() throws {
    let (view, saddle) = try Self.dhhSaddle()
    let tolerance = 1e-6
    let settings = try TraceSettings(
      potential: view, saddle: saddle,
      overrides: .init(gradientTolerance: 1e-2, method: .adaptive, pathTolerance: tolerance))
    let path = try settings.tracer().trace(from: saddle, on: view.surface)
    // (A loose --gtol: the comparison needs only the first 1.2 amu^½·Å of each branch.)
    // The reference leaves the saddle along the same transition vector, 10⁻⁴ out (its
    // straight departure is then 10⁻⁸ off the path), and runs 1.2 amu^½·Å.
    let vector = IRCTracer.transitionVector(of: saddle)
    let length = 1.2
    var worst = 0.0
    for (branch, sign) in [(path.forward, 1.0), (path.backward, -1.0)] {
      let reference = Self.referencePath(
        from: saddle.coordinates.adding(sign * 1e-4, times: vector), length: length, h: 2e-3,
        masses: Self.dhhMasses)
      for point in branch.points where point.arcLength > 0.05 && point.arcLength < length - 0.05 {
        worst = max(worst, Self.distance(point.coordinates, toPolyline: reference))
      }
    }
    // Measured 5.1e-6: the per-step tolerance accumulated over ~100 steps.
    #expect(worst < 10 * tolerance, "largest deviation from the reference \(worst)")

    // The unweighted path (every mass 1) from the same saddle, compared in Å.
    let unweighted = Self.referencePath(
      from: h3SaddleGeometry.adding(1e-4, times: Self.unweightedVector()), length: 1.0,
      h: 2e-3, masses: [1, 1, 1])
    let weightedForward = path.forward.points.filter { $0.arcLength < 1.2 }
      .map { view.massWeighting!.cartesian($0.coordinates) }
    let separation = weightedForward.map { Self.distance($0, toPolyline: unweighted) }.max()!
    // Measured 0.34 Å.
    #expect(separation > 0.1, "the D + H2 path lies within \(separation) Å of the unweighted one")
  }

  /// The transition vector of the unit-mass problem at the reference saddle, signed like
  /// the tracer's (largest component positive).
  static func unweightedVector() -> Vector {
    let hessian = FiniteDifferences.hessian(at: h3SaddleGeometry) { cartesian.gradient(at: $0) }
    var v = hessian.eigensystem.vectors[0]
    if let index = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[index] < 0 { v = -v }
    return v
  }

  @Test func integratorsKeepTheirOrderInMassWeightedCoordinates() throws {
    let (view, saddle) = try Self.dhhSaddle()
    // A bent start 0.1 off the saddle, so that all nine coordinates move.
    var start = saddle.coordinates.adding(0.1, times: IRCTracer.transitionVector(of: saddle))
    start[4] += 0.05
    start[7] -= 0.03
    let length = 0.2
    let exact = Self.referencePath(from: start, length: length, h: 1e-4, masses: Self.dhhMasses)
      .last!
    var evaluator = Evaluator(view.surface)
    let origin = try StationaryPoint(at: start, on: &evaluator)
    _ = saddle
    func error(_ method: String, _ h: Double) throws -> Double {
      var integrator: any PathIntegrator =
        method == "euler" ? EulerIntegrator() : RungeKuttaIntegrator(.rk4)
      var point = PathPoint(
        step: 0, arcLength: 0, coordinates: start, energy: origin.energy,
        gradient: origin.gradient, kind: .saddle)
      for index in 1...Int((length / h).rounded()) {
        let step = try integrator.step(from: point, length: h, on: &evaluator)
        integrator.accept(step)
        point = PathPoint(
          step: index, arcLength: point.arcLength + step.arcLength,
          coordinates: step.coordinates, energy: step.energy, gradient: step.gradient,
          kind: .integrator)
      }
      return point.coordinates.distance(to: exact)
    }
    for (method, order, h) in [("euler", 1.0, 0.005), ("rk4", 4.0, 0.01)] {
      let errors = try [h, h / 2, h / 4].map { try error(method, $0) }
      let slope = log2(errors[0] / errors[2]) / 2
      #expect(abs(slope - order) < 0.3, "\(method): errors \(errors), slope \(slope)")
    }
  }

  @Test func aRigidlyMovedStartGivesTheSamePath() throws {
    let potential = try builtIn("lj7")
    let view = try #require(potential.massWeighted())
    let surface = view.massWeighting!
    let listed = try #require(potential.point(labelled: "TS-PBP-CO")).coordinates
    let moved = rigidlyMoved(listed, angles: (0.4, 1.1, -2.3), shift: [5, -3, 2])
    var paths: [ReactionPath] = []
    for x in [listed, moved] {
      var evaluator = Evaluator(view.surface)
      let saddle = try SaddleRefiner(
        options: .scaled(to: view.scale(including: surface.massWeighted(x)))
      )
      .refine(from: surface.massWeighted(x), on: &evaluator).saddle
      let settings = try TraceSettings(
        potential: view, saddle: saddle, overrides: .init(stepLength: 0.08, method: .euler))
      paths.append(try settings.tracer().trace(from: saddle, on: view.surface))
    }
    // The transition vector's sign may flip with the orientation: pair branches by length.
    let lengths = paths.map { $0.branches.map(\.arcLength).sorted() }
    for (a, b) in zip(lengths[0], lengths[1]) { #expect(abs(a - b) <= 1e-6 * a, "\(lengths)") }
    for branch in paths[0].branches {
      let end = surface.cartesian(branch.end.coordinates)
      let nearest = paths[1].branches.map {
        Alignment.distance(surface.cartesian($0.end.coordinates), end, masses: surface.masses)
      }.min()!
      #expect(nearest < 1e-6, "ends \(nearest) apart after alignment")
      #expect(branch.termination == .converged)
    }
  }
}
