import Foundation
import Testing

@testable import IRCKit

/// The strict potential-file decoder (`shared/reference/potential-file.md`): every shipped
/// file decodes as documented, every malformed file fails with the exact error that names
/// the file and the offending field, and random damage never crashes it.
struct PotentialFileDecodingTests {
  // MARK: Shipped files

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let potentialsFolder = packageRoot.appendingPathComponent("potentials")

  static func shippedText(_ name: String) throws -> String {
    try String(contentsOf: potentialsFolder.appendingPathComponent("\(name).json"), encoding: .utf8)
  }

  static func decodeShipped(_ name: String) throws -> Potential {
    try Potential(decoding: shippedText(name), file: "\(name).json")
  }

  /// The stems of every `.json` file in `potentials/`.
  static let shippedNames: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: potentialsFolder.path)) ?? [])
    .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

  @Test func theBuiltInFilesAreShipped() {
    for name in ["muller-brown", "leps", "leps-harmonic"] {
      #expect(Self.shippedNames.contains(name), "potentials/\(name).json is missing")
    }
  }

  @Test(arguments: shippedNames)
  func everyShippedFileDecodes(_ name: String) throws {
    let potential = try Self.decodeShipped(name)
    #expect(potential.name == name, "the name must be the file's stem")
    #expect(Potential.knownKinds.contains(potential.model.kindName))
    #expect(potential.surface.dimension == potential.dimension)
    for point in potential.stationaryPoints {
      #expect(point.coordinates.count == potential.dimension, "\(point.label)")
    }
    if let box = potential.plotRange {
      #expect(box.lower.indices.allSatisfy { box.lower[$0] < box.upper[$0] })
    }
  }

  @Test func mullerBrownDecodes() throws {
    let potential = try Self.decodeShipped("muller-brown")
    #expect(potential.model.kindName == "gaussian-sum")
    #expect(potential.coordinateNames == ["x", "y"])
    let expected = GaussianSum(terms: [
      .init(A: -200, a: -1, b: 0, c: -10, x0: 1, y0: 0),
      .init(A: -100, a: -1, b: 0, c: -10, x0: 0, y0: 0.5),
      .init(A: -170, a: -6.5, b: 11, c: -6.5, x0: -0.5, y0: 1.5),
      .init(A: 15, a: 0.7, b: 0.6, c: 0.7, x0: -1, y0: 1),
    ])
    #expect(potential.model == .gaussianSum(expected))
    #expect(potential.stationaryPoints.count == 5)
    #expect(potential.stationaryPoints.map(\.label) == ["MA", "MB", "MC", "S1", "S2"])
    #expect(
      potential.stationaryPoints.map(\.kind) == [.minimum, .minimum, .minimum, .saddle, .saddle])
    #expect(
      potential.point(labelled: "MA")
        == .init(
          label: "MA", kind: .minimum, coordinates: [-0.5582236346330243, 1.441725841804669],
          energy: -146.699517209954))
    #expect(potential.units == .arbitrary && potential.units.isArbitrary)
    #expect(potential.defaults == .init(stepLength: 0.01, gradientTolerance: 1e-3))
    #expect(potential.plotRange == .init(lower: [-1.75, -0.5], upper: [1.25, 2.25]))
    #expect(potential.title == "Müller–Brown two-dimensional model surface")
  }

  static let lepsParameters = LEPS.Parameters(
    a: 0.05, b: 0.30, c: 0.05, dAB: 4.746, dBC: 4.746, dAC: 3.445, r0: 0.742, alpha: 1.942)

  @Test func lepsDecodes() throws {
    let potential = try Self.decodeShipped("leps")
    #expect(potential.model.kindName == "leps")
    #expect(potential.coordinateNames == ["rAB", "rBC"])
    #expect(potential.stationaryPoints.map(\.label) == ["TS"])
    #expect(potential.stationaryPoints.map(\.kind) == [.saddle])
    guard case .leps(let surface, let atoms) = potential.model else {
      Issue.record("leps decoded as \(potential.model.kindName)")
      return
    }
    #expect(surface.acDistance == .sum)
    #expect(surface.parameters == Self.lepsParameters)
    #expect(atoms == ["H", "H", "H"])
    #expect(potential.units == Units(energy: "eV", length: "Å"))
  }

  @Test func lepsHarmonicDecodes() throws {
    let potential = try Self.decodeShipped("leps-harmonic")
    #expect(potential.model.kindName == "leps-harmonic")
    #expect(potential.coordinateNames == ["rAB", "x"])
    #expect(potential.stationaryPoints.map(\.label) == ["deep", "shallow", "TS"])
    #expect(potential.stationaryPoints.map(\.kind) == [.minimum, .minimum, .saddle])
    var parameters = Self.lepsParameters
    parameters.b = 0.80
    let expected = LEPSHarmonic(parameters: parameters, rAC: 3.742, kc: 0.2025, c: 1.154)
    #expect(potential.model == .lepsHarmonic(expected, atoms: ["H", "H", "H"]))
  }

  // MARK: Editing documents

  /// One step of a field's path: a member's key or an element's index.
  enum Step: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)
    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }
  }

  /// A shipped file, parsed, to be edited and written out again.
  struct Document {
    var file: String
    var original: String
    var json: JSONValue
    /// Number texts JSON values cannot hold (`1e999`), written in place of placeholders.
    var rawNumbers: [String: String] = [:]
    /// Set by a text edit: the text to decode instead of the serialized `json`.
    var rawText: String?

    init(_ name: String) throws {
      file = "\(name).json"
      original = try PotentialFileDecodingTests.shippedText(name)
      json = try JSONValue(parsing: original)
    }

    mutating func set(_ path: [Step], _ value: JSONValue) {
      json = json.replacing(path[...], with: value)
    }

    mutating func set(_ path: [Step], _ elements: [JSONValue]) { set(path, .array(elements)) }

    mutating func remove(_ path: [Step]) { json = json.replacing(path[...], with: nil) }

    /// Writes `text` (e.g. `1e999`) verbatim as the value at `path`.
    mutating func setRaw(_ path: [Step], _ text: String) {
      let placeholder = "@raw\(rawNumbers.count)@"
      rawNumbers["\"\(placeholder)\""] = text
      set(path, .string(placeholder))
    }

    /// Replaces text in the shipped file itself (for syntax errors at a known place).
    mutating func editText(_ target: String, _ replacement: String) {
      let text = rawText ?? original
      #expect(text.contains(target), "\(file) does not contain \(target)")
      rawText = text.replacingOccurrences(of: target, with: replacement)
    }

    var text: String {
      if let rawText { return rawText }
      var text = json.serialized()
      for (placeholder, raw) in rawNumbers {
        text = text.replacingOccurrences(of: placeholder, with: raw)
      }
      return text
    }
  }

  static func decodingError(_ text: String, file: String) -> PotentialFileError? {
    do {
      _ = try Potential(decoding: text, file: file)
      return nil
    } catch {
      return error
    }
  }

  // MARK: Malformed files

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var base: String
    var edit: @Sendable (inout Document) -> Void
    var expected: PotentialFileError
    var testDescription: String { name }

    init(
      _ name: String, _ base: String = "muller-brown", expected: PotentialFileError,
      edit: @escaping @Sendable (inout Document) -> Void
    ) {
      self.name = name
      self.base = base
      self.edit = edit
      self.expected = expected
    }
  }

  static let mb = "muller-brown.json"
  static let ls = "leps.json"
  static let lh = "leps-harmonic.json"
  static let topLevelKeys = [
    "atoms", "coordinates", "defaults", "format", "kind", "masses", "name", "notes", "parameters",
    "plotRange", "reference", "stationaryPoints", "title", "units",
  ]
  static let termKeys = ["A", "a", "b", "c", "x0", "y0"]
  static let lepsKeys = ["a", "alpha", "atoms", "b", "c", "dAB", "dAC", "dBC", "r0", "rAC"]
  static let idMessage = "a name of ASCII letters, digits and '_' starting with a letter, found"
  static let satoMessage = "a number greater than -1 (the Sato parameter divides by 1 + "
  static let symbolMessage = "a correctly capitalised element symbol such as \"H\" or \"Cl\", found"

  static let structureCases: [Case] = [
    Case(
      "unknown top-level key",
      expected: .unknownKey(file: mb, path: "", key: "colour", allowed: topLevelKeys)
    ) { $0.set(["colour"], "red") },
    Case(
      "unknown key in a term",
      expected: .unknownKey(file: mb, path: "parameters.terms[2]", key: "d", allowed: termKeys)
    ) { $0.set(["parameters", "terms", 2, "d"], 1) },
    Case(
      "misspelt term key",
      expected: .unknownKey(file: mb, path: "parameters.terms[1]", key: "cc", allowed: termKeys)
    ) {
      $0.remove(["parameters", "terms", 1, "c"])
      $0.set(["parameters", "terms", 1, "cc"], -10)
    },
    Case(
      "missing term field",
      expected: .missingField(file: mb, path: "parameters.terms[3].y0", expected: "a number")
    ) { $0.remove(["parameters", "terms", 3, "y0"]) },
    Case(
      "missing format",
      expected: .missingField(file: mb, path: "format", expected: "a string")
    ) { $0.remove(["format"]) },
    Case(
      "format version 2",
      expected: .unsupportedFormat(
        file: mb, found: "irc-potential/2", supported: ["irc-potential/1"])
    ) { $0.set(["format"], "irc-potential/2") },
    Case(
      "format not a string",
      expected: .wrongType(file: mb, path: "format", expected: "a string", found: "a number")
    ) { $0.set(["format"], 1) },
    Case(
      "unknown kind",
      expected: .unknownKind(
        file: mb, found: "gaussian", known: Potential.knownKinds)
    ) { $0.set(["kind"], "gaussian") },
    Case(
      "kind in capitals",
      expected: .unknownKind(
        file: mb, found: "Gaussian-Sum", known: Potential.knownKinds)
    ) { $0.set(["kind"], "Gaussian-Sum") },
    Case(
      "missing parameters",
      expected: .missingField(file: mb, path: "parameters", expected: "an object")
    ) { $0.remove(["parameters"]) },
    Case(
      "top level not an object",
      expected: .wrongType(file: mb, path: "", expected: "an object", found: "an array")
    ) { $0.set([], [1, 2]) },
    Case(
      "invalid name",
      expected: .invalidValue(
        file: mb, path: "name",
        expected: "a non-empty name of letters, digits, '-', '_' or '.' (it is the file's stem)")
    ) { $0.set(["name"], "muller brown") },
    Case(
      "title not a string",
      expected: .wrongType(file: mb, path: "title", expected: "a string", found: "a number")
    ) { $0.set(["title"], 3) },
    Case(
      "unknown unit",
      expected: .unknownKey(file: mb, path: "units", key: "time", allowed: ["energy", "length"])
    ) { $0.set(["units"], .object([.init("time", "fs")])) },
    Case(
      "unit not a string",
      expected: .wrongType(file: mb, path: "units.energy", expected: "a string", found: "a number")
    ) { $0.set(["units"], .object([.init("energy", 1)])) },
  ]

  static let coordinateCases: [Case] = [
    Case(
      "three coordinates for gaussian-sum",
      expected: .wrongLength(file: mb, path: "coordinates", expected: 2, found: 3)
    ) { $0.set(["coordinates"], ["x", "y", "z"]) },
    Case(
      "no coordinates",
      expected: .invalidValue(
        file: mb, path: "coordinates", expected: "at least one coordinate name")
    ) { $0.set(["coordinates"], .array([])) },
    Case(
      "coordinate name with a space",
      expected: .invalidValue(file: mb, path: "coordinates[1]", expected: "\(idMessage) \"y z\"")
    ) { $0.set(["coordinates"], ["x", "y z"]) },
    Case(
      "coordinate name starting with a digit",
      expected: .invalidValue(file: mb, path: "coordinates[0]", expected: "\(idMessage) \"1x\"")
    ) { $0.set(["coordinates"], ["1x", "y"]) },
    Case(
      "non-ASCII coordinate name",
      expected: .invalidValue(file: mb, path: "coordinates[0]", expected: "\(idMessage) \"é\"")
    ) { $0.set(["coordinates"], ["é", "y"]) },
    Case(
      "duplicate coordinate name",
      expected: .invalidValue(
        file: mb, path: "coordinates[1]", expected: "a name not used before, found \"x\" again")
    ) { $0.set(["coordinates"], ["x", "x"]) },
    Case(
      "coordinate name not a string",
      expected: .wrongType(
        file: mb, path: "coordinates[0]", expected: "a string", found: "a number")
    ) { $0.set(["coordinates"], [1, "y"]) },
  ]

  static let numberCases: [Case] = [
    Case(
      "amplitude is a string",
      expected: .wrongType(
        file: mb, path: "parameters.terms[0].A", expected: "a number", found: "a string")
    ) { $0.set(["parameters", "terms", 0, "A"], "x") },
    Case(
      "amplitude is null",
      expected: .wrongType(
        file: mb, path: "parameters.terms[0].A", expected: "a number", found: "null")
    ) { $0.set(["parameters", "terms", 0, "A"], nil) },
    Case("1e999 in a term", expected: .nonFinite(file: mb, path: "parameters.terms[1].c")) {
      $0.setRaw(["parameters", "terms", 1, "c"], "1e999")
    },
    Case(
      "-1e999 in a coordinate",
      expected: .nonFinite(file: mb, path: "stationaryPoints[0].coordinates[1]")
    ) { $0.setRaw(["stationaryPoints", 0, "coordinates", 1], "-1e999") },
    Case("1e999 energy", expected: .nonFinite(file: mb, path: "stationaryPoints[2].energy")) {
      $0.setRaw(["stationaryPoints", 2, "energy"], "1e999")
    },
    Case("1e999 step length", expected: .nonFinite(file: mb, path: "defaults.stepLength")) {
      $0.setRaw(["defaults", "stepLength"], "1e999")
    },
    Case(
      "empty terms",
      expected: .invalidValue(file: mb, path: "parameters.terms", expected: "at least one term")
    ) { $0.set(["parameters", "terms"], .array([])) },
    Case(
      "terms not an array",
      expected: .wrongType(
        file: mb, path: "parameters.terms", expected: "an array of terms", found: "an object")
    ) { $0.set(["parameters", "terms"], .object([])) },
    Case(
      "term not an object",
      expected: .wrongType(
        file: mb, path: "parameters.terms[0]", expected: "an object", found: "a number")
    ) { $0.set(["parameters", "terms", 0], 5) },
  ]

  static let optionalSectionCases: [Case] = [
    Case(
      "stationary point with three coordinates",
      expected: .wrongLength(
        file: mb, path: "stationaryPoints[1].coordinates", expected: 2, found: 3)
    ) { $0.set(["stationaryPoints", 1, "coordinates"], [0.6234994049308765, 0.028, 0]) },
    Case(
      "bad stationary kind",
      expected: .invalidValue(
        file: mb, path: "stationaryPoints[3].kind",
        expected: "\"minimum\" or \"saddle\", found \"maximum\"")
    ) { $0.set(["stationaryPoints", 3, "kind"], "maximum") },
    Case(
      "duplicate label",
      expected: .invalidValue(
        file: mb, path: "stationaryPoints[4].label",
        expected: "a label not used before, found \"MA\" again")
    ) { $0.set(["stationaryPoints", 4, "label"], "MA") },
    Case(
      "label with a space",
      expected: .invalidValue(
        file: mb, path: "stationaryPoints[0].label", expected: "a non-empty label without spaces")
    ) { $0.set(["stationaryPoints", 0, "label"], "M A") },
    Case(
      "unknown key in a stationary point",
      expected: .unknownKey(
        file: mb, path: "stationaryPoints[2]", key: "index",
        allowed: ["coordinates", "energy", "kind", "label"])
    ) { $0.set(["stationaryPoints", 2, "index"], 0) },
    Case(
      "stationary points not an array",
      expected: .wrongType(
        file: mb, path: "stationaryPoints", expected: "an array of points", found: "an object")
    ) { $0.set(["stationaryPoints"], .object([])) },
    Case(
      "plot range lower equals upper",
      expected: .invalidValue(
        file: mb, path: "plotRange.upper[1]",
        expected: "a value greater than plotRange.lower[1] = 2.25")
    ) { $0.set(["plotRange", "lower"], [-1.75, 2.25]) },
    Case(
      "plot range lower above upper",
      expected: .invalidValue(
        file: mb, path: "plotRange.upper[0]",
        expected: "a value greater than plotRange.lower[0] = 2.0")
    ) { $0.set(["plotRange", "lower"], [2, -0.5]) },
    Case(
      "plot range of the wrong length",
      expected: .wrongLength(file: mb, path: "plotRange.upper", expected: 2, found: 1)
    ) { $0.set(["plotRange", "upper"], [1.25]) },
    Case(
      "unknown key in defaults",
      expected: .unknownKey(
        file: mb, path: "defaults", key: "stepSize",
        allowed: ["gradientScale", "gradientTolerance", "maxSteps", "stepLength"])
    ) { $0.set(["defaults", "stepSize"], 0.01) },
    Case(
      "zero step length",
      expected: .invalidValue(
        file: mb, path: "defaults.stepLength", expected: "a positive number, found 0.0")
    ) { $0.set(["defaults", "stepLength"], 0) },
    Case(
      "negative step length",
      expected: .invalidValue(
        file: mb, path: "defaults.stepLength", expected: "a positive number, found -0.01")
    ) { $0.set(["defaults", "stepLength"], -0.01) },
    Case(
      "fractional maxSteps",
      expected: .invalidValue(
        file: mb, path: "defaults.maxSteps", expected: "a whole number from 1 to 100000")
    ) { $0.set(["defaults", "maxSteps"], 2.5) },
    Case(
      "huge maxSteps",
      expected: .invalidValue(
        file: mb, path: "defaults.maxSteps", expected: "a whole number from 1 to 100000")
    ) { $0.set(["defaults", "maxSteps"], 1e8) },
    Case(
      "zero maxSteps",
      expected: .invalidValue(
        file: mb, path: "defaults.maxSteps", expected: "a positive number, found 0.0")
    ) { $0.set(["defaults", "maxSteps"], 0) },
    Case(
      "tolerance as a string",
      expected: .wrongType(
        file: mb, path: "defaults.gradientTolerance", expected: "a number", found: "a string")
    ) { $0.set(["defaults", "gradientTolerance"], "1e-3") },
  ]

  static let lepsCases: [Case] = [
    Case(
      "leps rAC product", "leps",
      expected: .invalidValue(
        file: ls, path: "parameters.rAC",
        expected: "\"sum\" or a positive number, found \"product\"")
    ) { $0.set(["parameters", "rAC"], "product") },
    Case(
      "leps rAC negative", "leps",
      expected: .invalidValue(
        file: ls, path: "parameters.rAC", expected: "a positive number, found -1.0")
    ) { $0.set(["parameters", "rAC"], -1) },
    Case(
      "leps rAC zero", "leps",
      expected: .invalidValue(
        file: ls, path: "parameters.rAC", expected: "a positive number, found 0.0")
    ) { $0.set(["parameters", "rAC"], 0) },
    Case(
      "leps rAC missing", "leps",
      expected: .missingField(
        file: ls, path: "parameters.rAC", expected: "\"sum\" or a positive number")
    ) { $0.remove(["parameters", "rAC"]) },
    Case(
      "leps rAC boolean", "leps",
      expected: .wrongType(
        file: ls, path: "parameters.rAC", expected: "\"sum\" or a positive number",
        found: "a boolean")
    ) { $0.set(["parameters", "rAC"], true) },
    Case("leps rAC 1e999", "leps", expected: .nonFinite(file: ls, path: "parameters.rAC")) {
      $0.setRaw(["parameters", "rAC"], "1e999")
    },
    Case(
      "leps atom in lower case", "leps",
      expected: .invalidValue(
        file: ls, path: "parameters.atoms[1]", expected: "\(symbolMessage) \"h\"")
    ) { $0.set(["parameters", "atoms"], ["F", "h", "H"]) },
    Case(
      "leps atom in capitals", "leps",
      expected: .invalidValue(
        file: ls, path: "parameters.atoms[0]", expected: "\(symbolMessage) \"CL\"")
    ) { $0.set(["parameters", "atoms"], ["CL", "H", "H"]) },
    Case(
      "leps two atoms", "leps",
      expected: .wrongLength(file: ls, path: "parameters.atoms", expected: 3, found: 2)
    ) { $0.set(["parameters", "atoms"], ["F", "H"]) },
    Case(
      "leps four atoms", "leps",
      expected: .wrongLength(file: ls, path: "parameters.atoms", expected: 3, found: 4)
    ) { $0.set(["parameters", "atoms"], ["F", "H", "H", "H"]) },
    Case(
      "leps atoms as a string", "leps",
      expected: .wrongType(
        file: ls, path: "parameters.atoms", expected: "an array of 3 element symbols",
        found: "a string")
    ) { $0.set(["parameters", "atoms"], "FHH") },
    Case(
      "leps a = -1", "leps",
      expected: .invalidValue(file: ls, path: "parameters.a", expected: "\(satoMessage)a)")
    ) { $0.set(["parameters", "a"], -1) },
    Case(
      "leps c = -1.5", "leps",
      expected: .invalidValue(file: ls, path: "parameters.c", expected: "\(satoMessage)c)")
    ) { $0.set(["parameters", "c"], -1.5) },
    Case(
      "leps alpha zero", "leps",
      expected: .invalidValue(
        file: ls, path: "parameters.alpha", expected: "a positive Morse exponent")
    ) { $0.set(["parameters", "alpha"], 0) },
    Case(
      "leps missing dBC", "leps",
      expected: .missingField(file: ls, path: "parameters.dBC", expected: "a number")
    ) { $0.remove(["parameters", "dBC"]) },
    Case(
      "leps with a harmonic section", "leps",
      expected: .unknownKey(file: ls, path: "parameters", key: "harmonic", allowed: lepsKeys)
    ) { $0.set(["parameters", "harmonic"], .object([.init("kc", 0.2), .init("c", 1)])) },
    Case(
      "leps with three coordinates", "leps",
      expected: .wrongLength(file: ls, path: "coordinates", expected: 2, found: 3)
    ) { $0.set(["coordinates"], ["rAB", "rBC", "rAC"]) },
    Case(
      "leps-harmonic rAC sum", "leps-harmonic",
      expected: .wrongType(
        file: lh, path: "parameters.rAC", expected: "a number", found: "a string")
    ) { $0.set(["parameters", "rAC"], "sum") },
    Case(
      "leps-harmonic rAC negative", "leps-harmonic",
      expected: .invalidValue(
        file: lh, path: "parameters.rAC", expected: "a positive number (A and C are fixed)")
    ) { $0.set(["parameters", "rAC"], -3.742) },
    Case(
      "leps-harmonic c zero", "leps-harmonic",
      expected: .invalidValue(
        file: lh, path: "parameters.harmonic.c", expected: "a non-zero number")
    ) { $0.set(["parameters", "harmonic", "c"], 0) },
    Case(
      "leps-harmonic missing harmonic", "leps-harmonic",
      expected: .missingField(file: lh, path: "parameters.harmonic", expected: "an object")
    ) { $0.remove(["parameters", "harmonic"]) },
    Case(
      "leps-harmonic unknown harmonic key", "leps-harmonic",
      expected: .unknownKey(file: lh, path: "parameters.harmonic", key: "k", allowed: ["c", "kc"])
    ) { $0.set(["parameters", "harmonic", "k"], 1) },
    Case(
      "leps-harmonic missing kc", "leps-harmonic",
      expected: .missingField(file: lh, path: "parameters.harmonic.kc", expected: "a number")
    ) { $0.remove(["parameters", "harmonic", "kc"]) },
    Case(
      "leps-harmonic b = -1", "leps-harmonic",
      expected: .invalidValue(file: lh, path: "parameters.b", expected: "\(satoMessage)b)")
    ) { $0.set(["parameters", "b"], -1) },
  ]

  static let syntaxCases: [Case] = [
    Case(
      "missing comma",
      expected: .syntax(
        file: mb, line: 9, column: 3, message: "expected ',' or '}' in the object")
    ) { $0.editText(#""coordinates": ["x", "y"],"#, #""coordinates": ["x", "y"]"#) },
    Case(
      "garbage after a non-ASCII string",
      expected: .syntax(
        file: mb, line: 4, column: 57, message: "expected ',' or '}' in the object")
    ) { $0.editText("model surface\",", "model surface\" x,") },
    Case(
      "duplicate key", "leps",
      expected: .syntax(file: ls, line: 11, column: 16, message: "duplicate key \"a\"")
    ) { $0.editText(#""b": 0.30"#, #""a": 0.30"#) },
    Case(
      "trailing comma",
      expected: .syntax(
        file: mb, line: 15, column: 5, message: "unexpected character ']'; expected a value")
    ) { $0.editText("\"x0\": -1, \"y0\": 1}\n", "\"x0\": -1, \"y0\": 1},\n") },
    Case(
      "empty file",
      expected: .syntax(
        file: mb, line: 1, column: 1, message: "unexpected end of the text; expected a value")
    ) { $0.rawText = "" },
  ]

  /// The field path an error names, as its description must show it.
  static func path(of error: PotentialFileError) -> String {
    switch error {
    case .syntax: return ""
    case .unknownKey(_, let path, _, _), .missingField(_, let path, _),
      .wrongType(_, let path, _, _), .nonFinite(_, let path), .wrongLength(_, let path, _, _),
      .invalidValue(_, let path, _), .tooLarge(_, let path, _, _):
      return path
    case .unknownKind: return "kind"
    case .unsupportedFormat: return "format"
    }
  }

  static let allCases =
    structureCases + coordinateCases + numberCases + optionalSectionCases
    + lepsCases + syntaxCases

  @Test(arguments: allCases)
  func malformedFileFailsWithTheExactError(_ testCase: Case) throws {
    var document = try Document(testCase.base)
    testCase.edit(&document)
    let error = Self.decodingError(document.text, file: document.file)
    #expect(error == testCase.expected)
    guard let error else { return }
    #expect(error.file == document.file)
    let description = error.description
    #expect(description.hasPrefix(document.file + ": "), "\(description)")
    let path = Self.path(of: error)
    #expect(path.isEmpty || description.contains(path), "\(description)")
    switch error {
    case .syntax(_, let line, let column, let message):
      #expect(description.contains("line \(line), column \(column)"))
      #expect(description.contains(message))
    case .unknownKey(_, _, let key, let allowed):
      #expect(description.contains("\"\(key)\""))
      #expect(description.contains(allowed.joined(separator: ", ")))
    case .missingField(_, _, let expected), .invalidValue(_, _, let expected):
      #expect(description.contains(expected))
    case .wrongType(_, _, let expected, let found):
      #expect(description.contains("expected \(expected), found \(found)"))
    case .wrongLength(_, _, let expected, let found):
      #expect(description.contains("expected \(expected)"))
      #expect(description.contains("found \(found)"))
    case .unknownKind(_, let found, let known), .unsupportedFormat(_, let found, let known):
      #expect(description.contains("\"\(found)\""))
      #expect(description.contains(known.joined(separator: ", ")))
    case .nonFinite: break
    case .tooLarge(_, _, let limit, let found):
      #expect(description.contains("\(found) \(limit.unit), more than the limit of \(limit.limit)"))
    }
  }

  @Test func errorDescriptionsReadAsDocumented() {
    let cases: [(PotentialFileError, String)] = [
      (
        .unknownKey(file: Self.mb, path: "parameters.terms[2]", key: "d", allowed: Self.termKeys),
        "muller-brown.json: unknown key \"d\" in parameters.terms[2]; allowed keys: A, a, b, c, x0, y0"
      ),
      (
        .unknownKey(file: Self.mb, path: "", key: "colour", allowed: ["format", "name"]),
        "muller-brown.json: unknown key \"colour\" at the top level; allowed keys: format, name"
      ),
      (
        .nonFinite(file: Self.mb, path: "parameters.terms[1].c"),
        "muller-brown.json: parameters.terms[1].c: the number is not finite; write a finite number"
      ),
      (
        .wrongLength(file: Self.mb, path: "stationaryPoints[1].coordinates", expected: 2, found: 3),
        "muller-brown.json: stationaryPoints[1].coordinates: expected 2 elements, found 3"
      ),
      (
        .syntax(file: Self.mb, line: 9, column: 3, message: "expected ',' or '}' in the object"),
        "muller-brown.json: line 9, column 3: not valid JSON: expected ',' or '}' in the object"
      ),
      (
        .unsupportedFormat(file: Self.mb, found: "irc-potential/2", supported: ["irc-potential/1"]),
        "muller-brown.json: format: unsupported format \"irc-potential/2\"; supported: irc-potential/1"
      ),
    ]
    for (error, expected) in cases {
      #expect(error.description == expected)
    }
  }

  /// An error about the document as a whole has no field path; its message should not show
  /// an empty one (`file: : expected …`).
  @Test func topLevelErrorsDoNotShowAnEmptyPath() throws {
    var document = try Document("muller-brown")
    document.set([], [1, 2])
    let error = try #require(Self.decodingError(document.text, file: document.file))
    #expect(!error.description.contains(": :"), "\(error.description)")
  }

  // MARK: Valid variations

  static func decode(_ document: Document) throws -> Potential {
    try Potential(decoding: document.text, file: document.file)
  }

  @Test func onlyTheRequiredKeysDecodeWithDefaults() throws {
    var document = try Document("muller-brown")
    for key in ["title", "reference", "notes", "stationaryPoints", "defaults", "plotRange"] {
      document.remove([.key(key)])
    }
    let potential = try Self.decode(document)
    #expect(potential.title == nil)
    #expect(potential.stationaryPoints.isEmpty)
    #expect(potential.defaults == Potential.Defaults())
    #expect(potential.plotRange == nil)
    #expect(potential.units.energy == nil)
  }

  @Test func lepsAcceptsAFixedDistanceAndNamedAtoms() throws {
    var document = try Document("leps")
    document.set(["parameters", "rAC"], 3.5)
    document.set(["parameters", "atoms"], ["F", "H", "Cl"])
    let potential = try Self.decode(document)
    guard case .leps(let surface, let atoms) = potential.model else {
      Issue.record("decoded as \(potential.model.kindName)")
      return
    }
    #expect(surface.acDistance == .fixed(3.5))
    #expect(atoms == ["F", "H", "Cl"])
  }

  @Test func optionalDefaultsDecode() throws {
    var document = try Document("muller-brown")
    document.set(["defaults", "maxSteps"], 500)
    document.set(["defaults", "gradientScale"], 100)
    document.set(["units"], .object([.init("energy", "kcal/mol")]))
    let potential = try Self.decode(document)
    #expect(
      potential.defaults
        == .init(stepLength: 0.01, gradientTolerance: 1e-3, maxSteps: 500, gradientScale: 100))
    #expect(potential.units == Units(energy: "kcal/mol", length: nil))
  }

  @Test func aSingleTermAndNegativeZeroDecode() throws {
    var document = try Document("muller-brown")
    let term: JSONValue = .object([
      .init("A", 1), .init("a", -1), .init("b", 0), .init("c", -1), .init("x0", 0),
      .init("y0", 0),
    ])
    document.set(["parameters", "terms"], [term])
    document.setRaw(["parameters", "terms", 0, "x0"], "-0.0")
    let potential = try Self.decode(document)
    #expect(
      potential.model
        == .gaussianSum(GaussianSum(terms: [.init(A: 1, a: -1, b: 0, c: -1, x0: 0, y0: 0)])))
  }
}

extension JSONValue {
  /// The value with the one at `path` replaced (a missing last key or index is appended), or
  /// removed when `new` is nil. A path that does not fit the document leaves it unchanged.
  fileprivate func replacing(
    _ path: ArraySlice<PotentialFileDecodingTests.Step>, with new: JSONValue?
  ) -> JSONValue {
    guard let step = path.first else { return new ?? self }
    let rest = path.dropFirst()
    switch (self, step) {
    case (.object(var members), .key(let key)):
      if let index = members.firstIndex(where: { $0.key == key }) {
        if rest.isEmpty, new == nil {
          members.remove(at: index)
        } else {
          members[index].value = members[index].value.replacing(rest, with: new)
        }
      } else if rest.isEmpty, let new {
        members.append(Member(key, new))
      }
      return .object(members)
    case (.array(var elements), .index(let index)):
      if index < elements.count {
        if rest.isEmpty, new == nil {
          elements.remove(at: index)
        } else {
          elements[index] = elements[index].replacing(rest, with: new)
        }
      } else if rest.isEmpty, let new {
        elements.append(new)
      }
      return .array(elements)
    default:
      return self
    }
  }

  /// The value at `path`, or nil.
  fileprivate func value(at path: ArraySlice<PotentialFileDecodingTests.Step>) -> JSONValue? {
    guard let step = path.first else { return self }
    switch (self, step) {
    case (.object, .key(let key)): return self[key]?.value(at: path.dropFirst())
    case (.array(let elements), .index(let index)):
      return index < elements.count ? elements[index].value(at: path.dropFirst()) : nil
    default: return nil
    }
  }

  /// The paths of every value below this one.
  fileprivate func allPaths() -> [[PotentialFileDecodingTests.Step]] {
    var paths: [[PotentialFileDecodingTests.Step]] = []
    func visit(_ value: JSONValue, _ path: [PotentialFileDecodingTests.Step]) {
      switch value {
      case .object(let members):
        for member in members {
          paths.append(path + [.key(member.key)])
          visit(member.value, path + [.key(member.key)])
        }
      case .array(let elements):
        for (index, element) in elements.enumerated() {
          paths.append(path + [.index(index)])
          visit(element, path + [.index(index)])
        }
      default: break
      }
    }
    visit(self, [])
    return paths
  }
}

// MARK: - Fuzzing

extension PotentialFileDecodingTests {

  /// Fragments that byte-level mutations insert: JSON punctuation, literals, escapes, numbers
  /// that overflow, multi-byte and control characters.
  static let fragments: [[UInt8]] = [
    "{", "}", "[", "]", ",", ":", "\"", "\\", "-", "0", "1", "9", ".", "e", "E", "+", " ", "\n",
    "\t", "true", "false", "null", "1e999", "-1e999", "-0", "1e-999", "\\u", "\\uD800",
    "\\uDC00", "\\uD83D\\uDE00", "é", "\u{0}", "😀", "\u{FEFF}", "\"x\": ", "{}", "[]", "0.5",
    "-1", "\"sum\"", "\"A\": 1", "\"minimum\"", "\"saddle\"", ",\"label\": \"MA\"", "01",
  ].map { Array($0.utf8) }

  /// Values that mean something to the decoder, so that swaps and replacements reach deep
  /// checks rather than stopping at the first type error.
  static let meaningfulValues: [JSONValue] = [
    0, -1, 1, 2.5, -0.5, 1e308, -1e308, .number(.leastNonzeroMagnitude), 1e8, 3, "sum",
    "minimum", "saddle", "H", "h", "", "irc-potential/1", "gaussian-sum", "leps",
    "leps-harmonic", "x", "MA", .array([]), .array([1, 2]),
    .array([1, 2, 3]), .array(["x", "y"]), .array(["H", "H", "H"]), .object([]), nil, true,
  ]

  static let knownKeys = [
    "format", "name", "kind", "coordinates", "parameters", "title", "reference", "notes",
    "units", "stationaryPoints", "defaults", "plotRange", "terms", "A", "a", "b", "c", "x0",
    "y0", "dAB", "dBC", "dAC", "r0", "alpha", "rAC", "atoms", "harmonic", "kc", "label",
    "energy", "lower", "upper", "stepLength", "gradientTolerance", "maxSteps", "gradientScale",
    "length", "Format", "stepsize",
  ]

  static func longString(using generator: inout SeededGenerator) -> String {
    let chunk = JSONTests.randomString(using: &generator, maxLength: 8) + "ab"
    let long = Int.random(in: 0..<8, using: &generator) == 0
    let count = Int.random(in: long ? 1_000...3_000 : 10...300, using: &generator)
    return String(repeating: chunk, count: count)
  }

  /// Nests `value` inside `depth` arrays or single-member objects.
  static func nested(_ value: JSONValue, depth: Int, using generator: inout SeededGenerator)
    -> JSONValue
  {
    var result = value
    let useObjects = Bool.random(using: &generator)
    for _ in 0..<depth {
      result = useObjects ? .object([.init("k", result)]) : .array([result])
    }
    return result
  }

  /// One structural mutation of a parsed document at one of `paths` (those of the original
  /// document: after earlier mutations some may no longer fit, which leaves it unchanged).
  /// Returns whether the result must be written compactly (deep nesting written with
  /// indentation grows quadratically).
  static func mutateValue(
    _ document: inout JSONValue, paths: [[Step]], using generator: inout SeededGenerator
  ) -> Bool {
    guard let path = paths.randomElement(using: &generator) else { return false }
    switch Int.random(in: 0..<8, using: &generator) {
    case 0:
      let other = paths.randomElement(using: &generator)!
      guard let first = document.value(at: path[...]), let second = document.value(at: other[...])
      else { return false }
      document = document.replacing(path[...], with: second).replacing(other[...], with: first)
    case 1:
      document = document.replacing(
        path[...], with: meaningfulValues.randomElement(using: &generator)!)
    case 2:
      document = document.replacing(
        path[...], with: JSONTests.randomValue(depth: 3, using: &generator))
    case 3:
      document = document.replacing(path[...], with: nil)
    case 4:
      var key = JSONTests.randomString(using: &generator)
      if Bool.random(using: &generator) { key = knownKeys.randomElement(using: &generator)! }
      let value = meaningfulValues.randomElement(using: &generator)!
      if case .object = document.value(at: path[...]) {
        document = document.replacing((path + [.key(key)])[...], with: value)
      } else {
        document = document.replacing([.key(key)], with: value)
      }
    case 5:
      let depth = Int.random(in: 1...600, using: &generator)
      let value = document.value(at: path[...]) ?? nil
      document = document.replacing(path[...], with: nested(value, depth: depth, using: &generator))
      return true
    case 6:
      document = document.replacing(path[...], with: .string(longString(using: &generator)))
    default:
      guard let value = document.value(at: path[...]) else { return false }
      if case .array(let elements) = value, !elements.isEmpty {
        let element = elements.randomElement(using: &generator)!
        document = document.replacing(path[...], with: .array(elements + [element]))
      } else {
        document = document.replacing(path[...], with: .array([value, value]))
      }
    }
    return false
  }

  /// One byte-level mutation of a text (which may leave it invalid UTF-8; the `String` the
  /// decoder receives then holds replacement characters, as a file read leniently would).
  static func mutateBytes(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
    let position = Int.random(in: 0...bytes.count, using: &generator)
    func fragment() -> [UInt8] {
      Int.random(in: 0..<4, using: &generator) == 0
        ? [UInt8.random(in: 0...255, using: &generator)]
        : fragments.randomElement(using: &generator)!
    }
    switch Int.random(in: 0..<8, using: &generator) {
    case 0:
      let length = Int.random(in: 1...8, using: &generator)
      bytes.removeSubrange(position..<min(position + length, bytes.count))
    case 1:
      bytes.insert(contentsOf: fragment(), at: position)
    case 2:
      let end = min(position + Int.random(in: 1...4, using: &generator), bytes.count)
      bytes.replaceSubrange(position..<end, with: fragment())
    case 3:
      let end = min(position + Int.random(in: 1...64, using: &generator), bytes.count)
      let slice = Array(bytes[position..<end])
      bytes.insert(contentsOf: slice, at: Int.random(in: 0...bytes.count, using: &generator))
    case 4:
      bytes.removeSubrange(position...)
    case 5:
      let depth = Int.random(in: 1...700, using: &generator)
      let opener = Bool.random(using: &generator) ? "[" : "{\"k\":"
      bytes.insert(contentsOf: Array(String(repeating: opener, count: depth).utf8), at: position)
    default:
      // Keeps the syntax: a digit becomes another digit, a letter another letter (a
      // misspelt key or kind, a changed number), so the decoder's checks are reached.
      guard position < bytes.count else { return }
      let digits = Array("0123456789".utf8)
      let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
      if digits.contains(bytes[position]) {
        bytes[position] = digits.randomElement(using: &generator)!
      } else if letters.contains(bytes[position]) {
        bytes[position] = letters.randomElement(using: &generator)!
      }
    }
  }

  /// What a decoded potential must satisfy whatever the input was.
  static func violations(of potential: Potential) -> [String] {
    var problems: [String] = []
    if potential.dimension != 2 || potential.surface.dimension != 2 {
      problems.append("dimension \(potential.dimension)")
    }
    if !Potential.knownKinds.contains(potential.model.kindName) {
      problems.append("kind \(potential.model.kindName)")
    }
    for point in potential.stationaryPoints
    where point.coordinates.count != potential.dimension
      || !point.coordinates.allSatisfy(\.isFinite) || !(point.energy?.isFinite ?? true)
    {
      problems.append("stationary point \(point.label)")
    }
    if let box = potential.plotRange,
      box.lower.count != potential.dimension || box.upper.count != potential.dimension
        || !box.lower.indices.allSatisfy({ box.lower[$0] < box.upper[$0] })
    {
      problems.append("plot range \(box)")
    }
    let defaults = potential.defaults
    for value in [defaults.stepLength, defaults.gradientTolerance, defaults.gradientScale]
    where value.map({ !($0 > 0 && $0.isFinite) }) ?? false {
      problems.append("default \(String(describing: value))")
    }
    if let steps = defaults.maxSteps, steps < 1 { problems.append("maxSteps \(steps)") }
    return problems
  }

  /// Random damage to the valid documents must end in a `Potential` or a located
  /// `PotentialFileError`, never a crash or a hang. 2 × 10,000 mutations from fixed seeds
  /// (the two run in parallel); a crash replays exactly. The limit catches a hang, not
  /// slowness (a loaded 2-core machine took over 60 s).
  @Test(.timeLimit(.minutes(3)), arguments: [0x504F_5446_0001, 0x504F_5446_0002] as [UInt64])
  func randomMutationsDecodeOrFailCleanly(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let bases = try ["muller-brown", "leps", "leps-harmonic"].map { name in
      let text = try Self.shippedText(name)
      let json = try JSONValue(parsing: text)
      return (text: text, json: json, paths: json.allPaths())
    }
    let file = "fuzzed.json"
    var decoded = 0
    var errorCases: [String: Int] = [:]
    var problems: [String] = []
    for iteration in 0..<10_000 {
      let base = bases.randomElement(using: &generator)!
      var text = base.text
      var mutated = false
      if Int.random(in: 0..<5, using: &generator) < 2 {
        var json = base.json
        var compact = Int.random(in: 0..<8, using: &generator) > 0
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
          compact = Self.mutateValue(&json, paths: base.paths, using: &generator) || compact
        }
        text = json.serialized(pretty: !compact)
        mutated = true
      }
      if !mutated || Bool.random(using: &generator) {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
          Self.mutateBytes(&bytes, using: &generator)
        }
        text = String(decoding: bytes, as: UTF8.self)
      }
      do {
        let potential = try Potential(decoding: text, file: file)
        decoded += 1
        let found = Self.violations(of: potential)
        if !found.isEmpty, problems.count < 5 {
          problems.append("iteration \(iteration): \(found.joined(separator: ", "))")
        }
      } catch {
        errorCases[Self.caseName(error), default: 0] += 1
        if error.file != file || !error.description.hasPrefix(file + ": "), problems.count < 5 {
          problems.append("iteration \(iteration): \(error.description.prefix(200))")
        }
      }
    }
    #expect(problems.isEmpty, "seed \(seed): \(problems.joined(separator: "; "))")
    // The mutations must reach both outcomes and the decoder's deeper checks.
    #expect(decoded > 100, "seed \(seed): only \(decoded) mutated documents decoded")
    for name in [
      "syntax", "unknownKey", "missingField", "wrongType", "invalidValue", "wrongLength",
    ] {
      #expect(errorCases[name, default: 0] > 0, "seed \(seed): no \(name) error in \(errorCases)")
    }
  }

  static func caseName(_ error: PotentialFileError) -> String {
    switch error {
    case .syntax: return "syntax"
    case .unknownKey: return "unknownKey"
    case .missingField: return "missingField"
    case .wrongType: return "wrongType"
    case .nonFinite: return "nonFinite"
    case .wrongLength: return "wrongLength"
    case .unknownKind: return "unknownKind"
    case .unsupportedFormat: return "unsupportedFormat"
    case .invalidValue: return "invalidValue"
    case .tooLarge: return "tooLarge"
    }
  }
}
