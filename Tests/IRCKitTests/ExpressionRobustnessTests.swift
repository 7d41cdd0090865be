import Foundation
import Testing

@testable import IRCKit

/// Random and damaged formulas and potential files: each loads to a surface or fails with a
/// typed, located error; no crash, no hang, and no NaN passed on by a surface that loaded.
/// 4 × 25,000 cases from fixed seeds (the four run in parallel); a failure replays exactly.
struct ExpressionRobustnessTests {
  static let coordinatePool = ["x", "y", "z", "q1", "r_AB", "t", "exp", "k"]
  static let namePool = [
    "x", "y", "z", "q1", "k", "w2", "nope", "exp", "sin", "pow", "atan", "Exp", "e", "x1",
  ]
  static let fragments = [
    "(", ")", ",", "^", "*", "**", "-", "+", "/", "e", "E", ".", "..", "1e999", "1e-999", "0",
    "1.5e", "exp", "pow(", "sin(", "log(-1)", "1/0", "0/0", "sqrt(-1)", "§", "²", "é", "\t", "\n",
    " ", "x", "k", "_", "😀", "\u{0}", "\"", "\\", "tan(", "atan", "x(", "()", "(,)", "--", "^-",
    "1e308*1e308", "exp(1000)", "0^-1", "(-8)^(1/3)",
  ]

  /// One character-level mutation of a formula.
  static func mutate(_ formula: String, using generator: inout SeededGenerator) -> String {
    var characters = Array(formula)
    let position = Int.random(in: 0...characters.count, using: &generator)
    let fragment = Array(fragments.randomElement(using: &generator) ?? "(")
    switch Int.random(in: 0..<9, using: &generator) {
    case 0:
      let end = min(characters.count, position + Int.random(in: 1...3, using: &generator))
      characters.removeSubrange(position..<end)
    case 1: characters.insert(contentsOf: fragment, at: position)
    case 2:
      let end = min(characters.count, position + 1)
      characters.replaceSubrange(position..<end, with: fragment)
    case 3:
      let end = min(characters.count, position + Int.random(in: 1...20, using: &generator))
      let slice = Array(characters[position..<end])
      characters.insert(
        contentsOf: slice, at: Int.random(in: 0...characters.count, using: &generator))
    case 4: characters.removeSubrange(position...)
    case 5:
      if position + 1 < characters.count { characters.swapAt(position, position + 1) }
    case 6:
      let depth = Int.random(in: 1...150, using: &generator)
      let opener = ["(", "-", "x^", "exp(", "+"].randomElement(using: &generator) ?? "("
      characters.insert(contentsOf: String(repeating: opener, count: depth), at: position)
      if opener.hasSuffix("("), Bool.random(using: &generator) {
        characters.append(contentsOf: String(repeating: ")", count: depth))
      }
    case 7:
      characters.insert(contentsOf: namePool.randomElement(using: &generator) ?? "x", at: position)
    default:
      // A different name where one starts: misspelt coordinates, constants and functions.
      if let start = characters.indices.filter({ characters[$0].isLetter }).randomElement(
        using: &generator)
      {
        var end = start
        while end < characters.count, characters[end].isLetter || characters[end].isNumber {
          end += 1
        }
        characters.replaceSubrange(
          start..<end, with: namePool.randomElement(using: &generator) ?? "x")
      }
    }
    return String(characters.prefix(2_000))
  }

  /// A formula over `names`: random from the grammar or a shipped one, maybe damaged.
  static func formula(
    over names: [String], constants: [(name: String, value: Double)], shipped: [String],
    using generator: inout SeededGenerator
  ) -> String {
    var text: String
    if Int.random(in: 0..<4, using: &generator) == 0,
      let formula = shipped.randomElement(using: &generator)
    {
      text = formula
    } else {
      let formulas = FormulaGenerator(coordinates: names, constants: constants)
      let tree = formulas.tree(depth: Int.random(in: 0...4, using: &generator), using: &generator)
      text = formulas.text(tree, using: &generator)
    }
    if Int.random(in: 0..<5, using: &generator) < 3 {
      for _ in 0..<Int.random(in: 1...3, using: &generator) {
        text = mutate(text, using: &generator)
      }
    }
    return text
  }

  /// A potential file around `formula`, its parts sometimes wrong, its text sometimes
  /// damaged.
  static func file(
    _ formula: String, names: [String], constants: [(name: String, value: Double)],
    using generator: inout SeededGenerator
  ) -> String {
    var constantMembers = constants.map { JSONValue.Member($0.name, .number($0.value)) }
    switch Int.random(in: 0..<10, using: &generator) {
    case 0: constantMembers.append(.init(names[0], 1))
    case 1: constantMembers.append(.init("log", 2))
    case 2: constantMembers.append(.init("2k", 2))
    case 3: constantMembers.append(.init("k2", "3"))
    case 4: constantMembers.append(.init("k3", .number(1e308)))
    default: break
    }
    var coordinates = names
    if Int.random(in: 0..<20, using: &generator) == 0 { coordinates.append(names[0]) }
    let dimension = coordinates.count
    let point: JSONValue = .array(
      (0..<(Bool.random(using: &generator) ? dimension : dimension + 1)).map { _ in 0.5 })
    var document: JSONValue = [
      "format": "irc-potential/1", "name": "fuzzed", "kind": "expression",
      "coordinates": .array(coordinates.map { .string($0) }),
      "parameters": ["constants": .object(constantMembers), "energy": .string(formula)],
      "stationaryPoints": [["label": "P", "kind": "saddle", "coordinates": point]],
    ]
    if Int.random(in: 0..<10, using: &generator) == 0 { document = ["kind": document] }
    var text = document.serialized(pretty: Bool.random(using: &generator))
    if Int.random(in: 0..<5, using: &generator) == 0 {
      var bytes = Array(text.utf8)
      let position = Int.random(in: 0..<bytes.count, using: &generator)
      let junk = ["{", "}", "\"", ",", ":", "1e999", "\\u", "[", "\u{FF}", "null"]
      bytes.insert(
        contentsOf: Array((junk.randomElement(using: &generator) ?? "{").utf8), at: position)
      text = String(decoding: bytes, as: UTF8.self)
    }
    return text
  }

  /// A loaded surface must give finite values or an `EvaluationError.nonFinite` naming the
  /// point.
  static func check(_ surface: any Surface, using generator: inout SeededGenerator) -> String? {
    for range in [1.5, 40.0] {
      let point = generator.point(dimension: surface.dimension, range: range)
      var evaluator = Evaluator(surface)
      do {
        let (energy, gradient) = try evaluator.energyAndGradient(at: point)
        let hessian = try evaluator.hessian(at: point)
        guard energy.isFinite, gradient.isFinite, hessian.isFinite,
          gradient.count == surface.dimension, hessian.rows == surface.dimension
        else { return "a non-finite or misshapen result at \(point)" }
      } catch {
        guard case .nonFinite(_, let named) = error, named == point else {
          return "\(error) does not name \(point)"
        }
      }
    }
    return nil
  }

  static func reasonName(_ reason: ExpressionError.Reason) -> String {
    switch reason {
    case .empty: return "empty"
    case .unexpectedCharacter: return "unexpectedCharacter"
    case .numberOutOfRange: return "numberOutOfRange"
    case .unknownName: return "unknownName"
    case .unknownFunction: return "unknownFunction"
    case .missingArguments: return "missingArguments"
    case .wrongArgumentCount: return "wrongArgumentCount"
    case .unclosedParenthesis: return "unclosedParenthesis"
    case .unmatchedClosingParenthesis: return "unmatchedClosingParenthesis"
    case .expectedOperand: return "expectedOperand"
    case .trailingText: return "trailingText"
    case .nestedTooDeeply: return "nestedTooDeeply"
    case .invalidName, .duplicateCoordinate, .constantShadowsCoordinate,
      .constantShadowsFunction, .nonFiniteConstant, .noCoordinates:
      return "names"
    }
  }

  // The limit catches a hang, not slowness: a seed takes about 16 s alone in a debug
  // build, and over 60 s beside the rest of the suite on a loaded 2-core machine.
  @Test(
    .timeLimit(.minutes(3)),
    arguments: [0x524F_4200_0001, 0x524F_4200_0002, 0x524F_4200_0003, 0x524F_4200_0004] as [UInt64])
  func formulasAndFilesLoadOrFailCleanly(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let shipped = try shippedExpressionNames.map { try expressionSurface(builtIn($0)) }
    var loaded = 0
    var reasons: [String: Int] = [:]
    var fileErrors = 0
    var problems: [String] = []
    for iteration in 0..<25_000 {
      let count = Int.random(in: 1...4, using: &generator)
      let names = Array(
        Self.coordinatePool.shuffled(using: &generator).filter { $0 != "k" }.prefix(count))
      let constants = [(name: "k", value: 0.75), (name: "w2", value: -1.25)]
      let usable = shipped.filter { Set($0.coordinateNames).isSubset(of: names) }.map(\.formula)
      let formula = Self.formula(
        over: names, constants: constants, shipped: usable, using: &generator)
      if Bool.random(using: &generator) {
        do {
          let surface = try ExpressionSurface(
            formula: formula, coordinates: names, constants: ["k": 0.75, "w2": -1.25])
          loaded += 1
          if let problem = Self.check(surface, using: &generator) {
            problems.append("#\(iteration) \(formula): \(problem)")
          }
        } catch {
          reasons[Self.reasonName(error.reason), default: 0] += 1
          let column = error.column ?? 0
          if !(1...(formula.unicodeScalars.count + 1)).contains(column) || error.caretDisplay == nil
          {
            problems.append("#\(iteration) \(formula): column \(column)")
          }
        }
      } else {
        let text = Self.file(formula, names: names, constants: constants, using: &generator)
        do {
          let potential = try Potential(decoding: text, file: "fuzzed.json")
          loaded += 1
          if let problem = Self.check(potential.surface, using: &generator) {
            problems.append("#\(iteration) file \(formula): \(problem)")
          }
        } catch {
          fileErrors += 1
          if !error.description.hasPrefix("fuzzed.json: ") {
            problems.append("#\(iteration) file: \(error.description.prefix(200))")
          }
        }
      }
      if problems.count >= 5 { break }
    }
    #expect(problems.isEmpty, "seed \(seed): \(problems)")
    #expect(loaded > 5_000 && fileErrors > 1_000, "seed \(seed): \(loaded) loaded, \(fileErrors)")
    for reason in [
      "unknownName", "unknownFunction", "wrongArgumentCount", "unclosedParenthesis",
      "unmatchedClosingParenthesis", "expectedOperand", "trailingText", "unexpectedCharacter",
      "nestedTooDeeply", "numberOutOfRange", "missingArguments",
    ] {
      #expect(reasons[reason, default: 0] > 0, "seed \(seed): no \(reason) in \(reasons)")
    }
  }
}
