import Foundation
import Testing

@testable import IRCKit

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// One element of a parsed SVG document.
struct ParsedElement {
  var name: String
  var attributes: [String: String]
  /// The classes of this element and of every group around it.
  var classes: [String]
  var text = ""
}

/// Parses an SVG document with Foundation's XMLParser: nil if it is not well-formed XML.
func parseSVG(_ svg: String) -> [ParsedElement]? {
  let collector = ElementCollector()
  let parser = XMLParser(data: Data(svg.utf8))
  parser.delegate = collector
  guard parser.parse() else { return nil }
  return collector.elements
}

private final class ElementCollector: NSObject, XMLParserDelegate {
  var elements: [ParsedElement] = []
  private var stack: [(index: Int, classes: [String])] = []

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
  ) {
    let inherited = stack.last?.classes ?? []
    let own = (attributeDict["class"] ?? "").split(separator: " ").map(String.init)
    elements.append(
      ParsedElement(name: elementName, attributes: attributeDict, classes: inherited + own))
    stack.append((elements.count - 1, inherited + own))
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    stack.removeLast()
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    // Text belongs to the innermost open text element (tspans add to their own too).
    for entry in stack.reversed() where elements[entry.index].name == "text" {
      elements[entry.index].text += string
      break
    }
  }
}

/// The absolute vertices of each subpath of path data written by `SVGPath` (M, l and z
/// commands, relative pairs continuing an l).
func parsePathData(_ data: String) -> [[PlotPoint]] {
  var subpaths: [[PlotPoint]] = []
  var numbers: [Double] = []
  var command: Character = " "
  var current = PlotPoint(0, 0)
  var token = ""
  func flushToken() {
    if !token.isEmpty, let value = Double(token) { numbers.append(value) }
    token = ""
  }
  func apply() {
    switch command {
    case "M":
      guard numbers.count >= 2 else { return }
      current = PlotPoint(numbers[0], numbers[1])
      subpaths.append([current])
      numbers.removeFirst(2)
      command = "l"
      apply()
    case "l":
      while numbers.count >= 2 {
        current = PlotPoint(current.x + numbers[0], current.y + numbers[1])
        subpaths[subpaths.count - 1].append(current)
        numbers.removeFirst(2)
      }
    default: break
    }
  }
  for character in data {
    if character.isLetter {
      flushToken()
      apply()
      numbers = []
      if character == "z" {
        if let first = subpaths.last?.first { current = first }
        command = " "
      } else {
        command = character
      }
    } else if character == "-" {
      flushToken()
      token = "-"
    } else if character == " " || character == "," {
      flushToken()
    } else if character == "." && token.contains(".") {
      flushToken()
      token = "."
    } else {
      token.append(character)
    }
  }
  flushToken()
  apply()
  return subpaths
}

/// A number attribute of an element.
func number(_ element: ParsedElement, _ name: String) throws -> Double {
  let text = try #require(element.attributes[name])
  return try #require(Double(text))
}

/// Whether any attribute (numbers, path data) of the elements spells a non-finite
/// number: "nan" or "inf" in any case.
func containsNonFinite(_ elements: [ParsedElement]) -> Bool {
  elements.contains { element in
    element.attributes.values.contains {
      $0.lowercased().contains("nan") || $0.lowercased().contains("inf")
    }
  }
}

/// A traced IRC with its report, from a listed saddle.
func plotTestReport(_ potential: Potential, _ label: String) throws -> TraceReport {
  let start = try #require(potential.point(labelled: label)).coordinates
  var evaluator = Evaluator(potential.surface)
  let refinement = try SaddleRefiner(options: .scaled(to: potential.scale())).refine(
    from: start, on: &evaluator)
  let settings = try TraceSettings(potential: potential, saddle: refinement.saddle)
  let path = try IRCTracer(options: settings.options()).trace(
    from: refinement.saddle, on: potential.surface)
  return TraceReport(potential: potential, settings: settings, refinement: refinement, path: path)
}
