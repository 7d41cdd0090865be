import Testing

@testable import IRCKit

/// Nice numbers, ticks and labels (Heckbert 1990), and the contour levels of a map.
struct PlotScaleTests {
  @Test func niceNumbersAreOneTwoOrFiveTimesAPowerOfTen() {
    #expect(NiceScale.niceNumber(0.37, round: true) == 0.5)
    #expect(NiceScale.niceNumber(0.37, round: false) == 0.5)
    #expect(NiceScale.niceNumber(1.4, round: true) == 1)
    #expect(NiceScale.niceNumber(1.4, round: false) == 2)
    #expect(NiceScale.niceNumber(7.5, round: true) == 10)
    #expect(isClose(NiceScale.niceNumber(0.0023, round: true), 0.002, absolute: 1e-15))
  }

  @Test func ticksCoverTheRangeAtMultiplesOfTheStep() {
    let (step, values) = NiceScale.ticks(lower: -1.75, upper: 1.25, target: 6)
    #expect(step == 0.5)
    #expect(values == [-1.5, -1, -0.5, 0, 0.5, 1])
    #expect(
      values.map { NiceScale.label($0, step: step) } == ["−1.5", "−1", "−0.5", "0", "0.5", "1"])
    // Multiples are k·step, not sums: no 0.30000000000000004.
    let fine = NiceScale.multiples(of: 0.1, from: 0, to: 1)
    #expect(fine.count == 11 && fine[3] == 3 * 0.1)
    #expect(NiceScale.ticks(lower: 1, upper: 1, target: 5).values.isEmpty)
    #expect(NiceScale.ticks(lower: 0, upper: .nan, target: 5).values.isEmpty)
  }

  /// −1.2 is −6·0.2 = −1.2000000000000002 in floating point: still the axis's first tick.
  @Test func aTickOnTheRangesEndIsKept() {
    let frame = PlotFrame(
      left: 0, top: 0, width: 100, height: 100, xRange: -1.2...0.3, yRange: 0...1)
    let ticks = Tick.linear(frame.xRange, target: 6).filter { frame.containsX($0.value) }
    #expect(ticks.first?.label == .text("−1.2"))
    #expect(ticks.last?.label == .text("0.2"))
  }

  @Test func decadesAreThinnedToTheLabelBudget() {
    let (all, labelled) = NiceScale.decades(lower: -13.2, upper: 3, maximum: 6)
    #expect(all == Array(-13...3))
    #expect(labelled.count <= 6)
    #expect(labelled.allSatisfy { $0 % 5 == 0 })
  }

  /// Müller–Brown: from its lowest value MA ≈ −146.7 to half the S1 barrier above S1,
  /// −146.7 + 1.5·106 = 12.4, rounded up to the step of 10.
  @Test func defaultLevelsOfMullerBrown() throws {
    let figure = try SurfaceFigure(potential: try builtIn("muller-brown"), grid: 60)
    #expect(isClose(figure.energyMinimum, -146.699517, absolute: 1e-5))
    #expect(figure.contourStep == 10)
    #expect(figure.energyMax == 20)
    #expect(figure.levels.levels.first == -140)
    #expect(figure.levels.levels.last == 20)
    #expect(figure.levels.levels.count == 17)
  }

  @Test func aGivenClipIsTheLastLevel() throws {
    let levels = try ContourLevels(lowest: -146.7, highest: 1000, reference: -40, energyMax: 33)
    #expect(levels.levels.last == 33)
    #expect(levels.levels.dropLast().allSatisfy { $0 < 33 - 0.25 * levels.step })
    #expect(throws: PlotError.energyMaxTooLow(energyMax: -150, lowest: -146.7)) {
      try ContourLevels(lowest: -146.7, highest: 1000, reference: -40, energyMax: -150)
    }
  }
}
