import Foundation
import Testing

@testable import IRCKit

/// The SVG writer: escaping, the finite-number guard, number and path-data formatting.
struct PlotSVGTests {
  @Test func numbersAreFixedPointWithoutTrailingZerosOrNegativeZero() {
    func fixed(_ value: Double, _ decimals: Int) -> String {
      var bytes: [UInt8] = []
      SVGWriter.appendFixed(value, decimals: decimals, to: &bytes)
      return String(decoding: bytes, as: UTF8.self)
    }
    #expect(fixed(12.34, 1) == "12.3")
    #expect(fixed(1.05, 2) == "1.05")
    #expect(fixed(2.5, 3) == "2.5")
    #expect(fixed(-0.04, 1) == "0")
    #expect(fixed(-3, 1) == "-3")
    #expect(fixed(0.001, 3) == "0.001")
    #expect(fixed(123_456.7, 0) == "123457")
  }

  @Test func textAndAttributesAreEscaped() throws {
    let awkward = "a < b & c > d \"quoted\" 'single' E\u{1}"
    var writer = SVGWriter(width: 100, height: 50, fontFamily: "A & B", fontSize: 12)
    writer.text(awkward, [.number("x", 1), .number("y", 2), .text("data-note", awkward)])
    writer.comment("a -- b")
    let svg = writer.finish()
    let elements = try #require(parseSVG(svg))
    let text = try #require(elements.first { $0.name == "text" })
    let expected = "a < b & c > d \"quoted\" 'single' E "
    #expect(text.text == expected)
    #expect(text.attributes["data-note"] == expected)
    #expect(elements.first?.attributes["font-family"] == "A & B")
  }

  @Test func elementsWithNonFiniteNumbersAreLeftOut() throws {
    var writer = SVGWriter(width: 100, height: 50, fontFamily: "sans-serif", fontSize: 12)
    writer.element("circle", [.number("cx", .nan), .number("cy", 1), .number("r", 2)])
    writer.element("circle", [.number("cx", 1), .number("cy", .infinity), .number("r", 2)])
    writer.element("circle", [.number("cx", 1e300), .number("cy", 1), .number("r", 2)])
    writer.text("label", [.number("x", -.infinity), .number("y", 0)])
    writer.element("circle", [.number("cx", 1), .number("cy", 1), .number("r", 2)])
    #expect(writer.droppedElements == 4)
    let elements = try #require(parseSVG(writer.finish()))
    #expect(elements.filter { $0.name == "circle" }.count == 1)
    #expect(elements.filter { $0.name == "text" }.isEmpty)
    #expect(!containsNonFinite(elements))
  }

  /// Relative path data reproduces every absolute vertex to the 0.05 px of its rounding,
  /// however long the path; a non-finite point breaks the line into two subpaths.
  @Test func pathDataIsExactToATenthOfAPixelAndSplitsAtNonFinitePoints() throws {
    var generator = SeededGenerator(seed: 7)
    var points: [PlotPoint] = []
    var position = PlotPoint(200, 100)
    for _ in 0..<2000 {
      position.x += Double.random(in: -3...3, using: &generator)
      position.y += Double.random(in: -3...3, using: &generator)
      points.append(position)
    }
    var path = SVGPath()
    path.polyline(points)
    let parsed = parsePathData(String(decoding: path.bytes, as: UTF8.self))
    #expect(parsed.count == 1)
    let vertices = try #require(parsed.first)
    // Points that round to the same tenth are written once.
    var expected: [PlotPoint] = []
    for point in points {
      let rounded = PlotPoint((point.x * 10).rounded() / 10, (point.y * 10).rounded() / 10)
      if expected.last != rounded { expected.append(rounded) }
    }
    #expect(vertices.count == expected.count)
    let worst = zip(vertices, expected).map { $0.distance(to: $1) }.max() ?? 0
    #expect(worst < 1e-9)

    var broken = SVGPath()
    broken.polyline([
      PlotPoint(1, 1), PlotPoint(2, 2), PlotPoint(.nan, 3), PlotPoint(4, 4), PlotPoint(5, 6),
    ])
    let text = String(decoding: broken.bytes, as: UTF8.self)
    #expect(
      parsePathData(text) == [
        [PlotPoint(1, 1), PlotPoint(2, 2)], [PlotPoint(4, 4), PlotPoint(5, 6)],
      ])
    #expect(!text.lowercased().contains("nan"))
  }

  @Test func viridisRunsFromPurpleToYellow() {
    #expect(ColorMap.viridis.color(at: 0).hex == "#440154")
    #expect(ColorMap.viridis.color(at: 0.5).hex == "#21918c")
    #expect(ColorMap.viridis.color(at: 1).hex == "#fde725")
    #expect(ColorMap.viridis.color(at: .nan).hex == "#440154")
    // Monotone in luminance: it reads in greyscale.
    let luminances = stride(from: 0.0, through: 1, by: 0.05).map {
      ColorMap.viridis.color(at: $0).luminance
    }
    #expect(zip(luminances, luminances.dropFirst()).allSatisfy { $0 < $1 })
  }
}
