import Foundation
import Testing

@testable import IRCKit

struct SaddleRefinerTests {
  static let saddles = referencePoints.filter { $0.kind == .saddle }

  /// Seeded random starts up to 5 % of the plot range's shortest side (the refiner's step
  /// limit: 0.14 on Müller–Brown, 0.15 Å on LEPS) from every saddle converge onto it:
  /// |∇V| ≤ 1e-10·G, one negative eigenvalue, in few iterations.
  @Test(arguments: saddles)
  func convergesFromNearbyStarts(_ reference: ReferencePoint) throws {
    let potential = try builtIn(reference.potential)
    let scale = potential.scale()
    let options = SaddleRefiner.Options.scaled(to: scale)
    let radius = 0.05 * (scale.region.sides.components.min() ?? 1)
    let seed: UInt64 = 42
    var generator = SeededGenerator(seed: seed)
    for sample in 0..<40 {
      let angle = Double.random(in: 0..<(2 * Double.pi), using: &generator)
      let distance = Double.random(in: 0...radius, using: &generator)
      let start = reference.coordinates + distance * Vector([cos(angle), sin(angle)])
      var evaluator = Evaluator(potential.surface)
      let result = try SaddleRefiner(options: options).refine(from: start, on: &evaluator)
      let context = "seed \(seed) sample \(sample) start \(start)"
      #expect(result.saddle.gradientNorm <= 1e-10 * scale.gradient, "\(context)")
      #expect(result.saddle.index == 1, "\(context)")
      #expect(result.saddle.coordinates.distance(to: reference.coordinates) < 1e-9, "\(context)")
      #expect(result.iterations <= 12, "\(context): \(result.iterations) iterations")
      // One gradient per iteration plus the start, counted exactly; a Hessian for each
      // accepted point (a trial in a non-finite region gets none).
      #expect(result.counts.gradients == result.iterations + 1)
      #expect(result.counts.hessians <= result.counts.gradients && result.counts.hessians >= 1)
    }
  }

  /// Starting on a minimum, where the gradient already vanishes, must not report it as a
  /// saddle: the search converges at once to a point of index 0 and says so.
  @Test func aMinimumIsNotReportedAsASaddle() throws {
    let potential = try builtIn("muller-brown")
    let minimum = try #require(potential.point(labelled: "MA")).coordinates
    var evaluator = Evaluator(potential.surface)
    #expect {
      try SaddleRefiner(options: .scaled(to: potential.scale())).refine(
        from: minimum, on: &evaluator)
    } throws: { error in
      guard case .wrongIndex(let index, _, _, _) = error as? SaddleSearchError else { return false }
      return index == 0
    }
  }

  /// Whatever the start, the result is a verified first-order saddle or a typed error:
  /// never a minimum, never a second-order saddle. Starts on a grid over the plot range,
  /// including minimum basins, ridges and the far field.
  @Test func everyResultIsATrueSaddleOrAnError() throws {
    let potential = try builtIn("muller-brown")
    let scale = potential.scale()
    let box = try #require(potential.plotRange)
    var saddles = 0
    var errors = 0
    for i in 0..<12 {
      for j in 0..<12 {
        let start = Vector([
          box.lower[0] + box.sides[0] * Double(i) / 11,
          box.lower[1] + box.sides[1] * Double(j) / 11,
        ])
        var evaluator = Evaluator(potential.surface)
        do {
          let result = try SaddleRefiner(options: .scaled(to: scale)).refine(
            from: start, on: &evaluator)
          #expect(result.saddle.index == 1)
          #expect(result.saddle.gradientNorm <= 1e-10 * scale.gradient)
          #expect(potential.match(result.saddle.coordinates, kind: .saddle, within: 1e-8) != nil)
          saddles += 1
        } catch {
          switch error {
          case .notConverged, .wrongIndex, .evaluation(.nonFinite), .flat: errors += 1
          default: Issue.record("unexpected error \(error) from \(start)")
          }
        }
        #expect(evaluator.counts.gradients <= 102, "the iteration limit bounds the work")
      }
    }
    #expect(saddles > 0 && errors > 0)
  }

  /// A result's counts are every evaluation the search made, also when the first climb out
  /// of a basin failed and the search tried the other way (some starts of this grid do).
  @Test func countsIncludeAFailedFirstClimb() throws {
    let potential = try builtIn("muller-brown")
    let scale = potential.scale()
    let box = scale.region
    var checked = 0
    for i in 0..<20 {
      for j in 0..<20 {
        let start = Vector([
          box.lower[0] + box.sides[0] * Double(i) / 19,
          box.lower[1] + box.sides[1] * Double(j) / 19,
        ])
        var evaluator = Evaluator(potential.surface)
        guard
          let result = try? SaddleRefiner(options: .scaled(to: scale)).refine(
            from: start, on: &evaluator)
        else { continue }
        #expect(result.counts == evaluator.counts, "from \(start)")
        checked += 1
      }
    }
    #expect(checked > 50)
  }

  @Test func badStartsAndOptionsAreTypedErrors() throws {
    let potential = try builtIn("muller-brown")
    var evaluator = Evaluator(potential.surface)
    let refiner = SaddleRefiner(options: .scaled(to: potential.scale()))
    #expect(throws: SaddleSearchError.wrongDimension(expected: 2, found: 3)) {
      try refiner.refine(from: [0, 0, 0], on: &evaluator)
    }
    #expect(throws: OptionError.self) {
      try SaddleRefiner.Options(gradientTolerance: 0, trustRadius: 1)
    }
    #expect(throws: OptionError.self) {
      try SaddleRefiner.Options(gradientTolerance: 1, trustRadius: -1)
    }
    #expect(throws: OptionError.self) {
      try SaddleRefiner.Options(gradientTolerance: 1, trustRadius: 1, maxIterations: 0)
    }
  }

  /// In the far field of Müller–Brown the energy overflows; the search must end with a
  /// typed error rather than a NaN or a hang.
  @Test func farFieldStartEndsWithATypedError() throws {
    let potential = try builtIn("muller-brown")
    var evaluator = Evaluator(potential.surface)
    #expect(throws: SaddleSearchError.self) {
      try SaddleRefiner(options: .scaled(to: potential.scale())).refine(
        from: [40, -40], on: &evaluator)
    }
  }
}
