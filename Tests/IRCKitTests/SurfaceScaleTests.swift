import Foundation
import Testing

@testable import IRCKit

/// The yardsticks (issue 10, findings 1 and 2; issue 11, item 5): G costs a counted 400
/// gradients in any dimension, and a yardstick that cannot serve is a typed error.
@Suite struct SurfaceScaleTests {
  /// A formula surface Σ qᵢ² − q_n² in `dimension` coordinates on [−1, 1]ⁿ.
  static func valley(dimension: Int, defaults: String = "") throws -> Potential {
    let names = (1...dimension).map { "q\($0)" }
    let energy = names.dropLast().map { "\($0)^2" }.joined(separator: " + ") + " - q\(dimension)^2"
    let ones = Array(repeating: "1", count: dimension).joined(separator: ", ")
    return try Potential(
      decoding: """
        {"format": "irc-potential/1", "name": "valley", "kind": "expression",
         "coordinates": [\(names.map { "\"\($0)\"" }.joined(separator: ", "))],
         "parameters": {"energy": "\(energy)"}, \(defaults)
         "plotRange": {"lower": [\(ones.replacingOccurrences(of: "1", with: "-1"))],
                       "upper": [\(ones)]}}
        """, file: "valley.json")
  }

  /// Sixty coordinates were a 2⁶⁰-point grid (8.8 TB at 40); now 400 seeded points, fast.
  /// The count is the proof that the cost is bounded; a wall-clock limit would fail under
  /// the load of the whole suite.
  @Test func sixtyCoordinatesCostTheBudget() throws {
    let potential = try Self.valley(dimension: 60)
    let scale = try potential.scale()
    #expect(scale.gradientEvaluations == SurfaceScale.derivationBudget)
    #expect(scale.gradientSource == .derived)
    // |∇V| = 2|q| over a uniform sample of [−1, 1]⁶⁰: |q|² has mean 20, so G ≈ 2√20 ≈ 8.9.
    #expect(abs(scale.gradient - 2 * 20.0.squareRoot()) < 0.5, "G = \(scale.gradient)")
    // Seeded: the same G every time.
    #expect(try potential.scale().gradient == scale.gradient)
  }

  /// Up to 8 coordinates the full grid of ⌊400^(1/n)⌋ per axis, as before: Müller–Brown's
  /// 20 × 20 keeps G = 214.241, the three-dimensional double well 7³ points.
  @Test func smallDimensionsKeepTheirGrid() throws {
    let mullerBrown = try builtIn("muller-brown").scale()
    #expect(mullerBrown.gradientEvaluations == 400)
    #expect(abs(mullerBrown.gradient - 214.241) < 5e-4, "G = \(mullerBrown.gradient)")
    #expect(try builtIn("curved-double-well").scale().gradientEvaluations == 343)
    #expect(try Self.valley(dimension: 8).scale().gradientEvaluations == 256)
    #expect(try Self.valley(dimension: 9).scale().gradientEvaluations == 400)
  }

  /// A given scale costs nothing; the command line's comes before the file's.
  @Test func givenScaleIsNotSampled() throws {
    let potential = try Self.valley(dimension: 3, defaults: "\"defaults\": {\"gradientScale\": 2},")
    let file = try potential.scale()
    #expect(file.gradient == 2 && file.gradientSource == .file && file.gradientEvaluations == 0)
    let given = try potential.scale(gradientScale: 5)
    #expect(given.gradient == 5 && given.gradientSource == .commandLine)
  }

  /// Zero, subnormal and infinite yardsticks are typed errors, not traps downstream.
  @Test func unusableYardsticksAreTypedErrors() throws {
    let subnormal = try Self.valley(
      dimension: 2, defaults: "\"defaults\": {\"gradientScale\": 4.9e-324},")
    #expect(throws: ScaleError.gradientScale(4.9e-324, source: .file, samples: 0)) {
      try subnormal.scale()
    }
    let flat = try Potential(
      decoding: """
        {"format": "irc-potential/1", "name": "flat", "kind": "expression",
         "coordinates": ["x", "y"], "parameters": {"energy": "0*x + 0*y"},
         "plotRange": {"lower": [-1, -1], "upper": [1, 1]}}
        """, file: "flat.json")
    #expect(throws: ScaleError.gradientScale(0, source: .derived, samples: 400)) {
      try flat.scale()
    }
    let box = Potential.Box(lower: [-1e308, 0], upper: [1e308, 1])
    #expect(throws: ScaleError.region(box, source: .given)) {
      try SurfaceScale(region: box, gradient: 1, gradientSource: .file)
    }
    // A side below the round-off of its corners.
    let thin = Potential.Box(lower: [1e10, 0], upper: [1e10 + 1e-3, 1])
    #expect(throws: ScaleError.region(thin, source: .plotRange)) {
      try SurfaceScale.check(thin, source: .plotRange)
    }
  }

  /// Settings outside the range the saddle allows are typed errors that say where the
  /// value came from, so the command line can name the option and a file the field.
  @Test func settingsOutsideTheirRangeSayWhereTheyCameFrom() throws {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let scale = try potential.scale()
    do {
      _ = try TraceSettings(
        potential: potential, saddle: saddle, scale: scale, overrides: .init(stepLength: 1e-9))
      Issue.record("a step of 1e-9 was accepted")
    } catch {
      guard case .outOfRange(.stepLength, 1e-9, let lowest, let highest, .commandLine) = error
      else {
        Issue.record("unexpected \(error)")
        return
      }
      // 1e-5 of L = G/|λ₁| = 0.2853, up to the plot range's diagonal, 4.07.
      #expect(abs(lowest - 2.8533e-6) < 1e-9 && abs(highest - scale.regionDiagonal) < 1e-12)
    }
    #expect(throws: SettingError.self) {
      try TraceSettings(
        potential: potential, saddle: saddle, scale: scale,
        overrides: .init(gradientTolerance: 4.9e-324))
    }
    let settings = try TraceSettings(potential: potential, saddle: saddle, scale: scale)
    #expect(settings.maxSteps <= TraceSettings.maxStepsLimit)
    #expect(TraceSettings.maxStepsLimit(dimension: 60) == 33_333)
  }
}
