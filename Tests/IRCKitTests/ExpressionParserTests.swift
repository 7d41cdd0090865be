import Foundation
import Testing

@testable import IRCKit

/// The formula grammar of the `expression` kind (`shared/reference/potential-file.md`):
/// precedence and associativity by value, and every fault with its exact reason and column.
struct ExpressionParserTests {
  static let xy = ["x", "y"]

  static func surface(
    _ formula: String, _ coordinates: [String] = xy, constants: [String: Double] = [:]
  ) throws -> ExpressionSurface {
    try ExpressionSurface(formula: formula, coordinates: coordinates, constants: constants)
  }

  struct ValueCase: Sendable, CustomTestStringConvertible {
    var formula: String
    var point: Vector
    var expected: Double
    var testDescription: String { "\(formula) at \(point)" }
    init(_ formula: String, _ point: Vector, _ expected: Double) {
      self.formula = formula
      self.point = point
      self.expected = expected
    }
  }

  static let valueCases: [ValueCase] = [
    ValueCase("-x^2", [3, 0], -9),
    ValueCase("(-x)^2", [3, 0], 9),
    ValueCase("-2^2", [0, 0], -4),
    ValueCase("2^3^2", [0, 0], 512),
    ValueCase("(2^3)^2", [0, 0], 64),
    ValueCase("x^-2", [2, 0], 0.25),
    ValueCase("2^-x^2", [1, 0], 0.5),
    ValueCase("x - y - 1", [5, 2], 2),
    ValueCase("x / y / 2", [8, 2], 2),
    ValueCase("x * -y", [3, 2], -6),
    ValueCase("x - -y", [3, 2], 5),
    ValueCase("+x + +y", [3, 2], 5),
    ValueCase("1 + 2 * 3 ^ 2", [0, 0], 19),
    ValueCase("(1 + 2) * 3", [0, 0], 9),
    ValueCase("pow(x, 3) + pow(2, y)", [2, 3], 16),
    ValueCase("exp(0) + log(1) + sqrt(16) + sin(0) + cos(0) + tan(0)", [0, 0], 6),
    ValueCase("sinh(0) + cosh(0) + tanh(0) + atan(1)", [0, 0], 1 + Double.pi / 4),
    ValueCase(".5 + 1. + 1e-3 + 2.5E+1 + 1e1", [0, 0], 36.501),
    ValueCase("x\t*\n y\r\n+ 1", [3, 2], 7),
    ValueCase("x^0.5 + x^-1 + x^0 + x^1", [4, 0], 2 + 0.25 + 1 + 4),
    ValueCase("x^16 / x^17 * x", [1.5, 0], 1),
    ValueCase("0 * log(x)", [-1, 0], .nan),
  ]

  @Test(arguments: valueCases)
  func formulasEvaluateWithThePrecedenceOfTheContract(_ testCase: ValueCase) throws {
    let value = try Self.surface(testCase.formula).energy(at: testCase.point)
    if testCase.expected.isNaN {
      #expect(value.isNaN, "\(value)")
    } else {
      #expect(isClose(value, testCase.expected, relative: 1e-13, absolute: 1e-13), "\(value)")
    }
  }

  @Test func constantsAndCoordinatesOfAnyNameAndDimension() throws {
    let surface = try Self.surface(
      "k_1*q1 + K*q2 - q_3/two", ["q1", "q2", "q_3"], constants: ["k_1": 3, "K": -1, "two": 2])
    #expect(surface.dimension == 3)
    #expect(surface.energy(at: [1, 2, 4]) == 3 - 2 - 2)
    let one = try Self.surface("exp(t)", ["t"])
    #expect(one.energy(at: [0]) == 1)
    #expect(one.gradient(at: [0]) == [1])
    #expect(one.hessian(at: [0]) == Matrix([[1]]))
  }

  /// A coordinate may share a function's name: `exp` alone is the coordinate, `exp(` the call.
  @Test func aCallIsANameFollowedByAParenthesis() throws {
    let surface = try Self.surface("exp(exp) + sin", ["exp", "sin"])
    #expect(surface.energy(at: [0, 2]) == 3)
  }

  // MARK: Faults

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var formula: String
    var reason: ExpressionError.Reason
    var column: Int
    var testDescription: String { formula.isEmpty ? "(empty)" : formula }
    init(_ formula: String, _ reason: ExpressionError.Reason, column: Int) {
      self.formula = formula
      self.reason = reason
      self.column = column
    }
  }

  static let unknownZ = ExpressionError.Reason.unknownName("z", coordinates: xy, constants: ["k"])
  static let errorCases: [ErrorCase] = [
    ErrorCase("x + z", unknownZ, column: 5),
    ErrorCase("x^2 + 3*z*y", unknownZ, column: 9),
    ErrorCase("foo(x)", .unknownFunction("foo"), column: 1),
    ErrorCase("2 * Exp(x)", .unknownFunction("Exp"), column: 5),
    ErrorCase("x(2)", .unknownFunction("x"), column: 1),
    ErrorCase("pow(x)", .wrongArgumentCount(function: "pow", expected: 2, found: 1), column: 1),
    ErrorCase(
      "1 + sin(x, y)", .wrongArgumentCount(function: "sin", expected: 1, found: 2), column: 5),
    ErrorCase("exp()", .wrongArgumentCount(function: "exp", expected: 1, found: 0), column: 1),
    ErrorCase(
      "pow(x, y, 2)", .wrongArgumentCount(function: "pow", expected: 2, found: 3), column: 1),
    ErrorCase(
      "exp(x + 1", .unclosedParenthesis(openedAt: 4, found: "the end of the formula"),
      column: 10),
    ErrorCase(
      "((x + y) * 2", .unclosedParenthesis(openedAt: 1, found: "the end of the formula"),
      column: 13),
    ErrorCase(
      "(x + 1 y)", .unclosedParenthesis(openedAt: 1, found: "\"y\" (write * to multiply)"),
      column: 8),
    ErrorCase("pow(x; y)", .unexpectedCharacter(";"), column: 6),
    ErrorCase("x + 1)", .unmatchedClosingParenthesis, column: 6),
    ErrorCase(")", .expectedOperand(found: "\")\""), column: 1),
    ErrorCase("x + ()", .expectedOperand(found: "\")\""), column: 6),
    ErrorCase("2 x", .trailingText(found: "\"x\" (write * to multiply)"), column: 3),
    ErrorCase("2x", .trailingText(found: "\"x\" (write * to multiply)"), column: 2),
    ErrorCase("2exp(x)", .trailingText(found: "\"exp\" (write * to multiply)"), column: 2),
    ErrorCase("x (y)", .unknownFunction("x"), column: 1),
    ErrorCase("x, y", .trailingText(found: "\",\""), column: 2),
    ErrorCase("x +", .expectedOperand(found: "the end of the formula"), column: 4),
    ErrorCase("x + * y", .expectedOperand(found: "\"*\""), column: 5),
    ErrorCase("x**2", .expectedOperand(found: "\"*\" (write ^ for a power)"), column: 3),
    ErrorCase("x^", .expectedOperand(found: "the end of the formula"), column: 3),
    ErrorCase("exp + 1", .missingArguments(function: "exp", found: "\"+\""), column: 5),
    ErrorCase(
      "2 * sqrt", .missingArguments(function: "sqrt", found: "the end of the formula"), column: 9),
    ErrorCase("x § y", .unexpectedCharacter("§"), column: 3),
    ErrorCase("x²", .unexpectedCharacter("²"), column: 2),
    ErrorCase("é + x", .unexpectedCharacter("é"), column: 1),
    ErrorCase("x\u{00A0}+ y", .unexpectedCharacter("\u{00A0}"), column: 2),
    ErrorCase("x + _y", .unexpectedCharacter("_"), column: 5),
    ErrorCase("1.2.3", .trailingText(found: "\".3\""), column: 4),
    ErrorCase("x + .", .unexpectedCharacter("."), column: 5),
    ErrorCase("1e999 * x", .numberOutOfRange("1e999"), column: 1),
    ErrorCase("", .empty, column: 1),
    ErrorCase(" \t\n", .empty, column: 1),
    ErrorCase(
      String(repeating: "(", count: 101) + "x" + String(repeating: ")", count: 101),
      .nestedTooDeeply(limit: 100), column: 101),
    ErrorCase(String(repeating: "-", count: 120) + "x", .nestedTooDeeply(limit: 100), column: 101),
    ErrorCase(
      "x" + String(repeating: "^x", count: 101), .nestedTooDeeply(limit: 100), column: 202),
  ]

  @Test(arguments: errorCases)
  func faultsAreReportedWithTheirReasonAndColumn(_ testCase: ErrorCase) {
    #expect(
      throws: ExpressionError(testCase.reason, column: testCase.column, formula: testCase.formula)
    ) {
      try Self.surface(testCase.formula, constants: ["k": 1])
    }
  }

  /// Deep nesting up to the limit is fine: the limit refuses only what could exhaust the stack.
  @Test func nestingUpToTheLimitParses() throws {
    let deep = String(repeating: "(", count: 100) + "x" + String(repeating: ")", count: 100)
    #expect(try Self.surface(deep).energy(at: [2, 0]) == 2)
    let long = Array(repeating: "x", count: 20_000).joined(separator: " + ")
    #expect(try Self.surface(long).energy(at: [1, 0]) == 20_000)
  }

  @Test func namesAreCheckedBeforeTheFormula() {
    func reason(_ coordinates: [String], _ constants: [String: Double]) -> ExpressionError.Reason? {
      do {
        _ = try ExpressionSurface(formula: "?", coordinates: coordinates, constants: constants)
        return nil
      } catch {
        #expect(error.column == nil)
        #expect(error.caretDisplay == nil)
        return error.reason
      }
    }
    #expect(reason([], [:]) == .noCoordinates)
    #expect(reason(["x", "1y"], [:]) == .invalidName("1y"))
    #expect(reason(["x", "x"], [:]) == .duplicateCoordinate("x"))
    #expect(reason(["x"], ["x": 1]) == .constantShadowsCoordinate("x"))
    #expect(reason(["x"], ["sin": 1]) == .constantShadowsFunction("sin"))
    #expect(reason(["x"], ["pow": 1]) == .constantShadowsFunction("pow"))
    #expect(reason(["x"], ["k-1": 1]) == .invalidName("k-1"))
    #expect(reason(["x"], ["k": .infinity]) == .nonFiniteConstant("k"))
    #expect(throws: ExpressionError(.unexpectedCharacter("?"), column: 1, formula: "?")) {
      try ExpressionSurface(formula: "?", coordinates: ["x"], constants: ["k": 1])
    }
  }

  // MARK: Messages

  @Test func theMessageShowsTheFormulaWithACaretUnderTheFault() {
    let error = ExpressionError(Self.unknownZ, column: 9, formula: "x^2 + 3*z*y")
    #expect(
      error.description == """
        column 9: expected a coordinate (x, y) or a constant (k), found "z"
          x^2 + 3*z*y
                  ^
        """)
    let unclosed = ExpressionError(
      .unclosedParenthesis(openedAt: 4, found: "the end of the formula"), column: 10,
      formula: "exp(x\t+ 1")
    #expect(
      unclosed.description == """
        column 10: expected ")" (for the "(" at column 4), found the end of the formula
          exp(x + 1
                   ^
        """)
  }

  @Test func aLongFormulaIsShownInAWindowAroundTheFault() throws {
    let formula = String(repeating: "x + ", count: 50) + "z" + String(repeating: " + y", count: 50)
    let error = ExpressionError(
      .unknownName("z", coordinates: Self.xy, constants: []), column: 201, formula: formula)
    let lines = try #require(error.caretDisplay).split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines[0].hasPrefix("  …") && lines[0].hasSuffix("…"))
    #expect(lines[0].count == 2 + 1 + ExpressionError.displayWidth + 1)
    let caret = try #require(Array(lines[1]).firstIndex(of: "^"))
    #expect(Array(lines[0])[caret] == "z")
    #expect(error.expected == "a coordinate (x, y)")
  }
}
