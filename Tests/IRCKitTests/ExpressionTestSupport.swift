import Foundation
import Testing

@testable import IRCKit

/// A formula of the `expression` grammar as a tree, built at random from a seed, written
/// out as text and evaluated on its own, independently of the parser, the graph and the
/// tape it is used to test.
indirect enum FormulaTree {
  case number(Double, text: String)
  case coordinate(Int)
  case constant(String, Double)
  case negate(FormulaTree)
  case plus(FormulaTree)
  /// `+ - * / ^`
  case binary(Character, FormulaTree, FormulaTree)
  case call(ExpressionFunction, [FormulaTree])

  /// The grammar level the text of this tree parses at: 1 sum, 2 product, 3 signed,
  /// 4 power, 5 operand. A child written where a higher level is required needs
  /// parentheses.
  var level: Int {
    switch self {
    case .number, .coordinate, .constant, .call: return 5
    case .binary("^", _, _): return 4
    case .negate, .plus: return 3
    case .binary("*", _, _), .binary("/", _, _): return 2
    default: return 1
    }
  }

  /// The value at `point` and a first-order bound on its rounding error (each operation
  /// off by a few ulps, propagated through the operations' derivatives).
  func evaluate(at point: [Double]) -> (value: Double, error: Double) {
    let epsilon = Double.ulpOfOne
    switch self {
    case .number(let value, _), .constant(_, let value): return (value, 0)
    case .coordinate(let index): return (point[index], 0)
    case .negate(let operand):
      let (value, error) = operand.evaluate(at: point)
      return (-value, error)
    case .plus(let operand): return operand.evaluate(at: point)
    case .binary(let symbol, let left, let right):
      let (a, ea) = left.evaluate(at: point)
      let (b, eb) = right.evaluate(at: point)
      switch symbol {
      case "+": return (a + b, ea + eb + epsilon * abs(a + b))
      case "-": return (a - b, ea + eb + epsilon * abs(a - b))
      case "*": return (a * b, abs(a) * eb + abs(b) * ea + epsilon * abs(a * b))
      case "/": return (a / b, (ea + abs(a / b) * eb) / abs(b) + epsilon * abs(a / b))
      default:
        let value = pow(a, b)
        let fromBase = abs(b * pow(a, b - 1)) * ea
        let fromExponent = eb == 0 ? 0 : abs(value * log(abs(a))) * eb
        return (value, fromBase + fromExponent + 8 * epsilon * abs(value))
      }
    case .call(let function, let arguments):
      let (a, ea) = arguments[0].evaluate(at: point)
      if function == .pow {
        return FormulaTree.binary("^", arguments[0], arguments[1]).evaluate(at: point)
      }
      let value = function.apply(a)
      let slope: Double
      switch function {
      case .exp: slope = value
      case .log: slope = 1 / a
      case .sqrt: slope = 0.5 / value
      case .sin: slope = cos(a)
      case .cos: slope = sin(a)
      case .tan: slope = 1 + value * value
      case .sinh: slope = cosh(a)
      case .cosh: slope = sinh(a)
      case .tanh: slope = 1 - value * value
      case .atan: slope = 1 / (1 + a * a)
      case .pow: slope = 0
      }
      return (value, abs(slope) * ea + 4 * epsilon * abs(value))
    }
  }
}

/// Builds random formulas over `coordinates` and `constants` from a seeded generator.
struct FormulaGenerator {
  var coordinates: [String]
  var constants: [(name: String, value: Double)]

  /// Number literals in the forms the grammar allows, with their values.
  static let numbers: [(String, Double)] = [
    ("0", 0), ("1", 1), ("2", 2), ("3", 3), ("0.5", 0.5), (".5", 0.5), ("1.", 1), ("5e-1", 0.5),
    ("2.5E+1", 25), ("1e-3", 1e-3), ("0.25", 0.25), ("10", 10), ("1.5", 1.5), ("007", 7),
  ]

  func tree(depth: Int, using generator: inout SeededGenerator) -> FormulaTree {
    if depth == 0 || Int.random(in: 0..<10, using: &generator) < 2 { return leaf(&generator) }
    let next = depth - 1
    switch Int.random(in: 0..<20, using: &generator) {
    case 0..<4:
      return .binary(
        "+", tree(depth: next, using: &generator), tree(depth: next, using: &generator))
    case 4..<7:
      return .binary(
        "-", tree(depth: next, using: &generator), tree(depth: next, using: &generator))
    case 7..<11:
      return .binary(
        "*", tree(depth: next, using: &generator), tree(depth: next, using: &generator))
    case 11:
      return .binary(
        "/", tree(depth: next, using: &generator), tree(depth: next, using: &generator))
    case 12..<14:
      let exponents: [(String, Double)] = [
        ("2", 2), ("3", 3), ("4", 4), ("0.5", 0.5), ("1.5", 1.5), ("0", 0), ("1", 1), ("17", 17),
      ]
      let exponent: FormulaTree
      switch Int.random(in: 0..<6, using: &generator) {
      case 0: exponent = .negate(.number(2, text: "2"))
      case 1: exponent = tree(depth: min(next, 1), using: &generator)
      default:
        let (text, value) = exponents.randomElement(using: &generator) ?? ("2", 2)
        exponent = .number(value, text: text)
      }
      return .binary("^", tree(depth: next, using: &generator), exponent)
    case 14..<16: return .negate(tree(depth: next, using: &generator))
    case 16: return .plus(tree(depth: next, using: &generator))
    default:
      let function = ExpressionFunction.allCases.randomElement(using: &generator) ?? .exp
      // Arguments scaled down so that exp, sinh, tan stay tame at moderate points.
      let argument: FormulaTree = .binary(
        "*", .number(0.5, text: "0.5"), tree(depth: next, using: &generator))
      if function == .pow {
        return .call(.pow, [tree(depth: next, using: &generator), .number(2, text: "2")])
      }
      return .call(
        function, [Bool.random(using: &generator) ? argument : tree(depth: next, using: &generator)]
      )
    }
  }

  func leaf(_ generator: inout SeededGenerator) -> FormulaTree {
    let choice = Int.random(in: 0..<10, using: &generator)
    if choice < 5 || (choice >= 8 && constants.isEmpty) {
      return .coordinate(Int.random(in: 0..<coordinates.count, using: &generator))
    }
    if choice < 8 {
      let (text, value) = Self.numbers.randomElement(using: &generator) ?? ("1", 1)
      return .number(value, text: text)
    }
    let constant = constants[Int.random(in: 0..<constants.count, using: &generator)]
    return .constant(constant.name, constant.value)
  }

  /// The tree as text: parentheses where the grammar needs them and sometimes where it
  /// does not, random spaces, tabs and line breaks between tokens.
  func text(_ tree: FormulaTree, using generator: inout SeededGenerator) -> String {
    func space() -> String {
      switch Int.random(in: 0..<12, using: &generator) {
      case 0..<6: return ""
      case 6..<10: return " "
      case 10: return "\t"
      default: return "\n "
      }
    }
    func child(_ tree: FormulaTree, atLeast level: Int) -> String {
      let inner = text(tree, using: &generator)
      if tree.level < level || Int.random(in: 0..<12, using: &generator) == 0 {
        return "(" + space() + inner + space() + ")"
      }
      return inner
    }
    switch tree {
    case .number(_, let text): return text
    case .coordinate(let index): return coordinates[index]
    case .constant(let name, _): return name
    case .negate(let operand): return "-" + space() + child(operand, atLeast: 3)
    case .plus(let operand): return "+" + space() + child(operand, atLeast: 3)
    case .binary(let symbol, let left, let right):
      let levels: (Int, Int) =
        symbol == "^" ? (5, 3) : (symbol == "+" || symbol == "-") ? (1, 2) : (2, 3)
      return child(left, atLeast: levels.0) + space() + String(symbol) + space()
        + child(right, atLeast: levels.1)
    case .call(let function, let arguments):
      return function.rawValue + space() + "(" + space()
        + arguments.map { text($0, using: &generator) }.joined(separator: space() + "," + space())
        + space() + ")"
    }
  }
}

extension SeededGenerator {
  /// A point with coordinates uniform in [−range, range].
  mutating func point(dimension: Int, range: Double) -> Vector {
    Vector((0..<dimension).map { _ in Double.random(in: -range...range, using: &self) })
  }
}

/// Fourth-order central differences of a scalar or vector function along coordinate
/// `axis`, at steps h and 2h: (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h))/(12h). Their
/// difference estimates the error of the first (the truncation error of the second is
/// 16 times larger).
func fourthOrderDifference(
  at point: Vector, axis: Int, step: Double, _ f: (Vector) -> [Double]
) -> (estimate: [Double], error: [Double]) {
  func difference(_ h: Double) -> [Double] {
    func shifted(_ k: Double) -> [Double] {
      var moved = point
      moved[axis] += k * h
      return f(moved)
    }
    let (p2, p1, m1, m2) = (shifted(2), shifted(1), shifted(-1), shifted(-2))
    return p2.indices.map { (-p2[$0] + 8 * p1[$0] - 8 * m1[$0] + m2[$0]) / (12 * h) }
  }
  let fine = difference(step)
  let coarse = difference(2 * step)
  return (fine, fine.indices.map { abs(fine[$0] - coarse[$0]) })
}

/// The expression surface of a decoded potential.
func expressionSurface(_ potential: Potential) throws -> ExpressionSurface {
  guard case .expression(let surface) = potential.model else {
    throw ExpressionTestFailure("\(potential.name) is \(potential.model.kindName), not expression")
  }
  return surface
}

struct ExpressionTestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The shipped files of the expression kind.
let shippedExpressionNames = [
  "wolfe-quapp", "neria-fischer-karplus", "anapot", "cbm", "rosenbrock", "curved-double-well",
  "muller-brown-formula",
]
