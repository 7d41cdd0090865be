import Foundation
import IRCKit
import Testing

@testable import IRCBench

struct SurfaceTimingTests {
  /// The same surface written two ways times finitely and agrees to rounding; the seeded
  /// sample is reproducible and inside the box.
  @Test func timingComparesTheSameSurfaceWrittenTwoWays() throws {
    let baseline = try builtIn("muller-brown")
    let candidate = try builtIn("muller-brown-formula")
    let box = try #require(baseline.plotRange)
    let comparison = SurfaceTiming(points: 50, repeats: 3).compare(
      baseline: baseline.surface, named: "gaussian-sum", candidate: candidate.surface,
      named: "expression", over: box)
    #expect(comparison.baseline.energyAndGradient > 0 && comparison.candidate.hessian > 0)
    #expect(comparison.energyAndGradientRatio.isFinite && comparison.hessianRatio.isFinite)
    let difference = comparison.relativeDifference
    #expect(max(difference.energy, difference.gradient, difference.hessian) < 1e-14)
    #expect(comparison.checksum.isFinite)
    let points = SurfaceTiming.points(in: box, count: 100, seed: 7)
    #expect(points != SurfaceTiming.points(in: box, count: 100, seed: 8), "the seed is used")
    #expect(points.allSatisfy { box.contains($0) })
  }
}
