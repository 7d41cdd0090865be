import Foundation
import Testing

@testable import IRCKit

/// P-RFO on Bofill-updated Hessians: the same saddles as on exact ones, for two evaluated
/// Hessians (the start's and the saddle's) instead of one per iteration.
struct SaddleRefinerUpdateTests {
  @Test(arguments: referencePoints.filter { $0.kind == .saddle })
  func convergesOnUpdatedHessiansWithTwoEvaluated(_ reference: ReferencePoint) throws {
    let potential = try builtIn(reference.potential)
    let scale = try potential.scale()
    var options = try SaddleRefiner.Options.scaled(to: scale)
    options.hessian = .updated
    let radius = 0.01 * (scale.region.sides.components.min() ?? 1)
    let seed: UInt64 = 7
    var generator = SeededGenerator(seed: seed)
    for sample in 0..<10 {
      let angle = Double.random(in: 0..<(2 * Double.pi), using: &generator)
      let start = reference.coordinates + radius * Vector([cos(angle), sin(angle)])
      var evaluator = Evaluator(potential.surface)
      let result = try SaddleRefiner(options: options).refine(from: start, on: &evaluator)
      let context = "seed \(seed) sample \(sample) start \(start)"
      #expect(result.saddle.gradientNorm <= 1e-10 * scale.gradient, "\(context)")
      #expect(result.saddle.index == 1, "\(context)")
      #expect(result.saddle.coordinates.distance(to: reference.coordinates) < 1e-9, "\(context)")
      #expect(result.counts.hessians == 2, "\(context)")
      #expect(result.counts.gradients == result.iterations + 1, "\(context)")
      // The saddle's Hessian is the evaluated one.
      #expect(result.saddle.hessian == potential.surface.hessian(at: result.saddle.coordinates))
    }
  }
}
