import Foundation
import Testing

@testable import IRCKit

/// The `expression` kind in potential files: the shipped files decode, every fault in the
/// formula or its constants is the exact located error, and the trajectory atoms hold the
/// coordinates of any dimension.
struct ExpressionDecodingTests {
  static let file = "formula.json"

  /// A potential file of the expression kind with the given parts.
  static func text(
    energy: JSONValue = "x^2 - y^2", constants: JSONValue? = nil,
    coordinates: [String] = ["x", "y"], parameters: JSONValue? = nil
  ) -> String {
    var members: [JSONValue.Member] = [.init("energy", energy)]
    if let constants { members.insert(.init("constants", constants), at: 0) }
    let document: JSONValue = [
      "format": "irc-potential/1", "name": "formula", "kind": "expression",
      "coordinates": .array(coordinates.map { .string($0) }),
      "parameters": parameters ?? .object(members),
    ]
    return document.serialized()
  }

  static func error(_ text: String) -> PotentialFileError? {
    do {
      _ = try Potential(decoding: text, file: file)
      return nil
    } catch {
      return error
    }
  }

  @Test(arguments: shippedExpressionNames)
  func shippedFormulaFilesDecode(_ name: String) throws {
    let potential = try builtIn(name)
    let surface = try expressionSurface(potential)
    #expect(potential.model.kindName == "expression")
    #expect(surface.dimension == potential.dimension)
    #expect(surface.coordinateNames == potential.coordinateNames)
    #expect(surface.derivativeSource == .analytic)
    #expect(potential.title != nil)
  }

  /// The contract's own example: Wolfe–Quapp with its 0.3 as the constant k.
  @Test func theContractExampleDecodesAndIsWolfeQuapp() throws {
    let text = Self.text(
      energy: "x^4 + y^4 - 2*x^2 - 4*y^2 + x*y + k*x + 0.1*y", constants: ["k": 0.3])
    let example = try Potential(decoding: text, file: Self.file).surface
    let shipped = try builtIn("wolfe-quapp").surface
    var generator = SeededGenerator(seed: 0x4558_414D)
    for _ in 0..<20 {
      let point = generator.point(dimension: 2, range: 2)
      #expect(example.energy(at: point) == shipped.energy(at: point), "at \(point)")
    }
    #expect(Potential.knownKinds.contains("expression"))
  }

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var expected: PotentialFileError
    var testDescription: String { name }
    init(_ name: String, _ text: String, _ expected: PotentialFileError) {
      self.name = name
      self.text = text
      self.expected = expected
    }
  }

  static let energyPath = "parameters.energy"
  static let nameMessage = "a name of ASCII letters, digits and '_' starting with a letter"
  static let cases: [Case] = [
    Case(
      "unknown name", text(energy: "x^2 + 3*z"),
      .invalidValue(
        file: file, path: energyPath,
        expected: "a coordinate (x, y) at column 9, found \"z\"\n  x^2 + 3*z\n          ^")),
    Case(
      "unknown name with constants", text(energy: "a*x + b*q", constants: ["b": 2, "a": 1]),
      .invalidValue(
        file: file, path: energyPath,
        expected:
          "a coordinate (x, y) or a constant (a, b) at column 9, found \"q\"\n  a*x + b*q\n          ^"
      )),
    Case(
      "unknown function", text(energy: "expp(x)"),
      .invalidValue(
        file: file, path: energyPath,
        expected: "a function (atan, cos, cosh, exp, log, pow, sin, sinh, sqrt, tan, tanh) "
          + "at column 1, found \"expp\"\n  expp(x)\n  ^")),
    Case(
      "wrong argument count", text(energy: "x + pow(y)"),
      .invalidValue(
        file: file, path: energyPath,
        expected: "2 arguments for pow at column 5, found 1\n  x + pow(y)\n      ^")),
    Case(
      "unclosed parenthesis", text(energy: "(x + y"),
      .invalidValue(
        file: file, path: energyPath,
        expected:
          "\")\" (for the \"(\" at column 1) at column 7, found the end of the formula\n"
          + "  (x + y\n        ^")),
    Case(
      "unmatched parenthesis", text(energy: "x + y)"),
      .invalidValue(
        file: file, path: energyPath,
        expected: "an operator or the end of the formula at column 6, found \")\" with no "
          + "\"(\" before it\n  x + y)\n       ^")),
    Case(
      "trailing garbage", text(energy: "x y"),
      .invalidValue(
        file: file, path: energyPath,
        expected: "an operator or the end of the formula at column 3, found \"y\" (write * to "
          + "multiply)\n  x y\n    ^")),
    Case(
      "empty formula", text(energy: ""),
      .invalidValue(
        file: file, path: energyPath, expected: "a formula at column 1, found nothing\n  \n  ^")),
    Case(
      "energy not a string", text(energy: 3),
      .wrongType(file: file, path: energyPath, expected: "a string", found: "a number")),
    Case(
      "energy missing", text(parameters: ["constants": [:]]),
      .missingField(file: file, path: energyPath, expected: "a string")),
    Case(
      "terms instead of energy", text(parameters: ["terms": []]),
      .unknownKey(file: file, path: "parameters", key: "terms", allowed: ["constants", "energy"])),
    Case(
      "constants not an object", text(constants: [1, 2]),
      .wrongType(
        file: file, path: "parameters.constants", expected: "an object of named numbers",
        found: "an array")),
    Case(
      "constant not a number", text(constants: ["k": "0.3"]),
      .wrongType(
        file: file, path: "parameters.constants.k", expected: "a number", found: "a string")
    ),
    Case(
      "constant shadows a coordinate", text(constants: ["y": 1]),
      .invalidValue(
        file: file, path: "parameters.constants.y",
        expected: "a constant name that is not a coordinate's, found \"y\"")),
    Case(
      "constant shadows a function", text(constants: ["tanh": 1]),
      .invalidValue(
        file: file, path: "parameters.constants.tanh",
        expected: "a constant name that is not a function's, found \"tanh\"")),
    Case(
      "constant with an invalid name", text(constants: ["2k": 1]),
      .invalidValue(
        file: file, path: "parameters.constants.2k", expected: "\(nameMessage), found \"2k\"")),
    Case(
      "constant of 1e999",
      text(constants: ["k": "@"]).replacingOccurrences(of: "\"@\"", with: "1e999"),
      .nonFinite(file: file, path: "parameters.constants.k")),
    Case(
      "coordinate named like a function is allowed but undefined name is not",
      text(energy: "exp(exp) + q", coordinates: ["exp"]),
      .invalidValue(
        file: file, path: energyPath,
        expected: "a coordinate (exp) at column 12, found \"q\"\n  exp(exp) + q\n             ^")),
  ]

  @Test(arguments: cases)
  func faultsAreLocatedErrors(_ testCase: Case) {
    let error = Self.error(testCase.text)
    #expect(error == testCase.expected)
    #expect(error?.description.hasPrefix("\(Self.file): ") == true)
  }

  @Test func theMessageNamesFileFieldColumnAndShowsTheCaret() throws {
    let error = try #require(Self.error(Self.text(energy: "x^2 + 3*z")))
    #expect(
      error.description == """
        formula.json: parameters.energy: expected a coordinate (x, y) at column 9, found "z"
          x^2 + 3*z
                  ^
        """)
  }

  @Test func anUnknownKindListsExpression() {
    let text = Self.text().replacingOccurrences(of: "\"expression\"", with: "\"formula\"")
    #expect(
      Self.error(text)
        == .unknownKind(
          file: Self.file, found: "formula",
          known: [
            "gaussian-sum", "leps", "leps-harmonic", "expression", "lennard-jones", "morse",
            "xtb", "external", "ipi",
          ]))
  }

  /// ⌈n/3⌉ pseudo-atoms X hold the coordinates three at a time, the last padded with zeros.
  @Test(arguments: 1...7)
  func atomsHoldTheCoordinatesThreeAtATime(_ dimension: Int) throws {
    let names = (1...dimension).map { "q\($0)" }
    let text = Self.text(energy: .string(names.joined(separator: " + ")), coordinates: names)
    let potential = try Potential(decoding: text, file: Self.file)
    let point = Vector((1...dimension).map(Double.init))
    let atoms = potential.atoms(at: point)
    #expect(atoms.count == (dimension + 2) / 3)
    var flattened: [Double] = []
    for atom in atoms {
      #expect(atom.symbol == "X")
      flattened += [atom.position.x, atom.position.y, atom.position.z]
    }
    #expect(Array(flattened.prefix(dimension)) == point.components)
    #expect(flattened.dropFirst(dimension).allSatisfy { $0 == 0 })
  }
}
