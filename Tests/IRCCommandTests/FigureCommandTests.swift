import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `irc plot` and the `--svg` option of trace, saddle, neb, map and bench: each writes one
/// well-formed SVG file, whole or not at all, and the figure shows what the run found.
@Suite struct FigureCommandTests {
  /// The elements of an SVG file: name, own classes and text. Fails if it is not
  /// well-formed XML or its root is not `<svg>`.
  struct SVGDocument {
    var elements: [(name: String, classes: [String], text: String)] = []

    init(_ url: URL) throws {
      let collector = Collector()
      let parser = XMLParser(data: try Data(contentsOf: url))
      parser.delegate = collector
      try #require(parser.parse(), "\(url.lastPathComponent) is not well-formed XML")
      try #require(collector.elements.first?.name == "svg", "the root element is not <svg>")
      elements = collector.elements
    }

    func count(ofClass name: String) -> Int {
      elements.filter { $0.classes.contains(name) }.count
    }

    var texts: [String] { elements.filter { $0.name == "text" }.map(\.text) }
  }

  private final class Collector: NSObject, XMLParserDelegate {
    var elements: [(name: String, classes: [String], text: String)] = []
    private var open: [Int] = []

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes: [String: String] = [:]
    ) {
      let classes = (attributes["class"] ?? "").split(separator: " ").map(String.init)
      elements.append((elementName, classes, ""))
      open.append(elements.count - 1)
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      if let text = open.last(where: { elements[$0].name == "text" }) {
        elements[text].text += string
      }
    }
  }

  @Test func plotDrawsTheDefaultSurfaceWithItsListedPoints() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(["plot", "--svg", "mb.svg"], in: directory.url)
    #expect(run.status == 0, "\(run)")
    #expect(run.stderr == "")
    #expect(run.stdout.hasPrefix("irc plot: muller-brown ("), "\(run)")
    #expect(run.stdout.contains("\n  map                200×200 grid over "), "\(run)")
    #expect(run.stdout.hasSuffix(" kB)\n"), "\(run)")
    #expect(try directory.contents() == ["mb.svg"], "a temporary file was left behind")
    let svg = try SVGDocument(directory.file("mb.svg"))
    #expect(svg.count(ofClass: "bands") == 1)
    #expect(svg.count(ofClass: "minimum") == 3)
    #expect(svg.count(ofClass: "saddle") == 2)
    for label in ["MA", "MB", "MC", "S1", "S2"] {
      #expect(svg.texts.contains(label), "no label \(label)")
    }
  }

  @Test func plotTakesARangeAndAColourCeiling() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      [
        "plot", "leps-harmonic", "--svg", "lh.svg", "--range", "0.5,-2,3.3,2.5",
        "--energy-max", "0", "--grid", "60",
      ],
      in: directory.url)
    #expect(run.status == 0, "\(run)")
    #expect(run.stdout.contains("  map                60×60 grid over 0.5,-2,3.3,2.5 (--range)\n"))
    #expect(run.stdout.contains(" to 0 (--energy-max)"), "\(run)")
    _ = try SVGDocument(directory.file("lh.svg"))
  }

  /// The map needs a colour scale that reaches above the lowest energy in view.
  @Test func plotRefusesACeilingBelowTheSurface() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["plot", "--svg", "mb.svg", "--energy-max", "-1000"], in: directory.url)
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.hasPrefix("Error: cannot draw muller-brown: "), "\(run)")
    #expect(run.stdout == "")
    #expect(try directory.contents() == [])
  }

  /// A three-coordinate surface has no map: `plot` says so and writes nothing.
  @Test func plotRefusesASurfaceThatIsNotTwoDimensional() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["plot", "curved-double-well", "--svg", "cdw.svg"], in: directory.url)
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.hasPrefix("Error: cannot draw curved-double-well: "), "\(run)")
    #expect(try directory.contents() == [])
  }

  /// A saddle search's figure is a map alone: on a three-coordinate surface `--svg` is
  /// refused before the search runs, with nothing on stdout and nothing written.
  @Test func saddleRefusesAFigureWithoutAMapBeforeSearching() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["saddle", "curved-double-well", "--from", "0.1,0.1,0.1", "--svg", "cdw.svg"],
      in: directory.url)
    #expect(run.status == 1, "\(run)")
    #expect(
      run.stderr
        == "Error: cannot draw curved-double-well: a map needs a surface of 2 coordinates; "
        + "this one has 3\n", "\(run)")
    #expect(run.stdout == "", "the search must not have run")
    #expect(try directory.contents() == [])
  }

  @Test func plotRefusesAMissingDirectoryBeforeComputing() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(["plot", "--svg", "no/such/mb.svg"], in: directory.url)
    #expect(run.status == 1, "\(run)")
    #expect(run.stderr.hasPrefix("Error: --svg no/such/mb.svg: the directory "), "\(run)")
    #expect(run.stdout == "")
  }

  /// `trace --svg` keeps stdout for the JSON summary and draws both branches on the map.
  @Test func traceDrawsBothBranches() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["trace", "--svg", "s1.svg", "--json", "--xyz", "s1.xyz"], in: directory.url)
    #expect(run.status == 0, "\(run)")
    #expect(try JSONDocument.object(run.stdout)["potential"] as? String == "muller-brown")
    #expect(run.stderr.hasSuffix(" kB)\n"), "\(run)")
    #expect(try directory.contents() == ["s1.svg", "s1.xyz"])
    let svg = try SVGDocument(directory.file("s1.svg"))
    #expect(svg.count(ofClass: "forwardBranch") == 1)
    #expect(svg.count(ofClass: "backwardBranch") == 1)
    #expect(svg.count(ofClass: "profile") == 1, "the energy profile beside the map")
    #expect(svg.count(ofClass: "tolerance") == 1, "the |∇V| log's tolerance line")
  }

  /// The three-coordinate curved double well has no map; its trace figure is the profile.
  @Test func traceOfAThreeDimensionalSurfaceDrawsTheProfileAlone() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let run = try await IRC.run(
      ["trace", "curved-double-well", "--svg", "cdw.svg", "--json"], in: directory.url)
    #expect(run.status == 0, "\(run)")
    let svg = try SVGDocument(directory.file("cdw.svg"))
    #expect(svg.count(ofClass: "bands") == 0)
    #expect(svg.count(ofClass: "profile") == 1)

    let refused = try await IRC.run(
      ["trace", "curved-double-well", "--svg", "cdw2.svg", "--grid", "50"], in: directory.url)
    #expect(refused.status == 64, "\(refused)")
    #expect(
      refused.stderr.hasPrefix(
        "Error: --grid applies to the map, and curved-double-well has 3 coordinates, not 2"),
      "\(refused)")
  }

  @Test func nebSaddleAndMapDrawTheirResults() async throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let neb = try await IRC.run(
      ["neb", "--from", "MA", "--to", "MB", "--svg", "band.svg"], in: directory.url)
    #expect(neb.status == 0, "\(neb)")
    let saddle = try await IRC.run(
      ["saddle", "--from", "-0.8,0.6", "--svg", "saddle.svg"], in: directory.url)
    #expect(saddle.status == 0, "\(saddle)")
    let map = try await IRC.run(["map", "--svg", "network.svg"], in: directory.url)
    #expect(map.status == 0, "\(map)")
    #expect(try directory.contents() == ["band.svg", "network.svg", "saddle.svg"])

    let band = try SVGDocument(directory.file("band.svg"))
    #expect(band.count(ofClass: "profile") == 1)
    let network = try SVGDocument(directory.file("network.svg"))
    // Müller–Brown's network: MA, MB, MC and the saddles S1, S2, each with two IRC branches.
    #expect(network.count(ofClass: "minimum") == 3)
    #expect(network.count(ofClass: "saddle") == 2)
    #expect(network.count(ofClass: "curve") == 4)
    _ = try SVGDocument(directory.file("saddle.svg"))
  }
}
