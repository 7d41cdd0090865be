import Foundation

/// A formula as a graph of operations in which equal subexpressions are one node.
///
/// References:
/// - A. V. Aho, M. S. Lam, R. Sethi and J. D. Ullman, *Compilers: Principles, Techniques,
///   and Tools*, 2nd ed. (2006), §6.1.1–6.1.2: the value-number method builds a DAG by
///   looking every new node up in a hash table of the existing ones (hash-consing), so a
///   common subexpression is computed once.
///
/// Nodes are stored in creation order and every operand is created before its user, so the
/// array is a topological order: each pass over the graph (differentiation, compilation) is
/// a loop, never a recursion that a long formula could overflow.
///
/// The constructors simplify as they build (`ExpressionGraph+Arithmetic` for `+ − · /`):
/// constants fold, with the very functions the tape calls; `u^1` and `u^0` collapse,
/// `u^0.5` is `√u`, and an integer power up to 16 is a product by binary powering
/// (`u^4` = (u·u)·(u·u)) and a negative one its reciprocal. Every rewrite gives the same
/// number up to rounding, with the same infinities and NaNs.
struct ExpressionGraph {
  enum Operation: UInt8, Sendable {
    case variable, constant, add, subtract, multiply, divide, negate, power
    case exp, log, sqrt, sin, cos, tan, sinh, cosh, tanh, atan

    init(_ function: ExpressionFunction) {
      switch function {
      case .exp: self = .exp
      case .log: self = .log
      case .sqrt: self = .sqrt
      case .sin: self = .sin
      case .cos: self = .cos
      case .tan: self = .tan
      case .sinh: self = .sinh
      case .cosh: self = .cosh
      case .tanh: self = .tanh
      case .atan: self = .atan
      case .pow: self = .power
      }
    }
  }

  typealias ID = Int32

  struct Node: Hashable {
    var operation: Operation
    /// The first operand, or a variable's index.
    var first: ID = -1
    var second: ID = -1
    /// A constant's value (its bit pattern, so that every value, NaN included, hashes).
    var bits: UInt64 = 0
  }

  private(set) var nodes: [Node] = []
  private var numbering: [Node: ID] = [:]

  var count: Int { nodes.count }

  subscript(id: ID) -> Node { nodes[Int(id)] }

  func constantValue(_ id: ID) -> Double? {
    let node = nodes[Int(id)]
    return node.operation == .constant ? Double(bitPattern: node.bits) : nil
  }

  func isConstant(_ id: ID, _ value: Double) -> Bool { constantValue(id) == value }

  /// The node equal to `node`, if the graph has one.
  func existing(_ node: Node) -> ID? { numbering[node] }

  mutating func intern(_ node: Node) -> ID {
    if let id = numbering[node] { return id }
    let id = ID(nodes.count)
    nodes.append(node)
    numbering[node] = id
    return id
  }

  mutating func constant(_ value: Double) -> ID {
    intern(Node(operation: .constant, bits: value.bitPattern))
  }

  mutating func variable(_ index: Int) -> ID {
    intern(Node(operation: .variable, first: ID(index)))
  }

  /// A commutative operation with its operands in canonical order.
  mutating func commutative(_ operation: Operation, _ a: ID, _ b: ID) -> ID {
    intern(Node(operation: operation, first: min(a, b), second: max(a, b)))
  }

  mutating func power(_ base: ID, _ exponent: ID) -> ID {
    if let x = constantValue(base), let y = constantValue(exponent) {
      return constant(Foundation.pow(x, y))
    }
    guard let value = constantValue(exponent) else {
      return intern(Node(operation: .power, first: base, second: exponent))
    }
    if value == 0.5 { return apply(.sqrt, base) }
    guard value == value.rounded(), abs(value) <= Self.largestProductPower else {
      return intern(Node(operation: .power, first: base, second: exponent))
    }
    if value == 0 { return constant(1) }
    let product = integerPower(base, Int(abs(value)))
    return value > 0 ? product : divide(constant(1), product)
  }

  /// Integer exponents up to this magnitude become products: at most 7 multiplications,
  /// cheaper than a call of `pow`, and exact derivatives without a logarithm.
  static let largestProductPower = 16.0

  /// `base^exponent` for exponent ≥ 1 by binary powering.
  private mutating func integerPower(_ base: ID, _ exponent: Int) -> ID {
    if exponent == 1 { return base }
    let half = integerPower(base, exponent / 2)
    let square = multiply(half, half)
    return exponent.isMultiple(of: 2) ? square : multiply(square, base)
  }

  /// A function of one argument (`pow` goes through `power`).
  mutating func apply(_ function: ExpressionFunction, _ a: ID) -> ID {
    if let x = constantValue(a) { return constant(function.apply(x)) }
    return intern(Node(operation: Operation(function), first: a))
  }

  /// Which nodes the `roots` depend on (the roots included).
  func reachable(from roots: [ID?]) -> [Bool] {
    var marked = [Bool](repeating: false, count: nodes.count)
    for root in roots {
      if let root { marked[Int(root)] = true }
    }
    for index in stride(from: nodes.count - 1, through: 0, by: -1) where marked[index] {
      let node = nodes[index]
      guard node.operation != .variable, node.operation != .constant else { continue }
      if node.first >= 0 { marked[Int(node.first)] = true }
      if node.second >= 0 { marked[Int(node.second)] = true }
    }
    return marked
  }
}
