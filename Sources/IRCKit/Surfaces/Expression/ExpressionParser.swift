/// Parses a formula into an `ExpressionGraph`, resolving names as it goes.
///
/// References:
/// - N. Wirth, *Compiler Construction* (Addison-Wesley, 1996), §4.1: recursive descent, one
///   procedure per level of precedence. The grammar (EBNF), loosest binding first:
///
/// ```
/// formula  = sum end
/// sum      = product {("+" | "-") product}
/// product  = signed {("*" | "/") signed}
/// signed   = ("-" | "+") signed | power
/// power    = operand ["^" signed]
/// operand  = number | name | name "(" sum {"," sum} ")" | "(" sum ")"
/// ```
///
/// so `^` binds tighter than a sign (`-x^2` is −(x²)), is right-associative (`2^3^2` is
/// 2⁹), and takes a signed exponent (`x^-2`). A name followed by `(` is a call of one of
/// `ExpressionFunction`; any other name is a coordinate or a constant. Sums and products
/// are loops, so a long formula does not deepen the recursion; signs, powers, parentheses
/// and calls do, and are limited to `maximumDepth` levels so that no input can overflow
/// the stack.
struct ExpressionParser {
  typealias Token = ExpressionLexer.Token

  /// Deeper nesting is refused: no formula worth writing needs it, and each level costs
  /// a few stack frames.
  static let maximumDepth = 100

  let formula: String
  private let tokens: [Token]
  private var position = 0
  private var depth = 0
  private let coordinates: [String]
  private let variables: [String: Int]
  private let constants: [String: Double]
  private(set) var graph = ExpressionGraph()

  init(formula: String, coordinates: [String], constants: [String: Double]) {
    self.formula = formula
    self.tokens = ExpressionLexer.tokens(of: formula)
    self.coordinates = coordinates
    var variables: [String: Int] = [:]
    for (index, name) in coordinates.enumerated() { variables[name] = index }
    self.variables = variables
    self.constants = constants
  }

  /// The node of the whole formula.
  mutating func parse() throws(ExpressionError) -> ExpressionGraph.ID {
    guard current.kind != .end else {
      throw ExpressionError(.empty, column: 1, formula: formula)
    }
    let root = try sum()
    switch current.kind {
    case .end: return root
    case .close: throw error(.unmatchedClosingParenthesis, at: current)
    case .invalid: throw error(.unexpectedCharacter(current.text), at: current)
    case .number where current.text.hasPrefix("."):  // `1.2.3`: a malformed number
      throw error(.trailingText(found: current.quoted), at: current)
    case .number, .name, .open:
      throw error(.trailingText(found: current.quoted + " (write * to multiply)"), at: current)
    default: throw error(.trailingText(found: current.quoted), at: current)
    }
  }

  // MARK: Tokens

  private var current: Token { tokens[position] }

  private mutating func advance() -> Token {
    let token = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  private func error(_ reason: ExpressionError.Reason, at token: Token) -> ExpressionError {
    ExpressionError(reason, column: token.column, formula: formula)
  }

  /// Enters one level of nesting at `token`.
  private mutating func descend(at token: Token) throws(ExpressionError) {
    depth += 1
    guard depth <= Self.maximumDepth else {
      throw error(.nestedTooDeeply(limit: Self.maximumDepth), at: token)
    }
  }

  // MARK: Levels of precedence

  private mutating func sum() throws(ExpressionError) -> ExpressionGraph.ID {
    var left = try product()
    while current.kind == .plus || current.kind == .minus {
      let isPlus = advance().kind == .plus
      let right = try product()
      left = isPlus ? graph.add(left, right) : graph.subtract(left, right)
    }
    return left
  }

  private mutating func product() throws(ExpressionError) -> ExpressionGraph.ID {
    var left = try signed()
    while current.kind == .times || current.kind == .divide {
      let isTimes = advance().kind == .times
      let right = try signed()
      left = isTimes ? graph.multiply(left, right) : graph.divide(left, right)
    }
    return left
  }

  private mutating func signed() throws(ExpressionError) -> ExpressionGraph.ID {
    guard current.kind == .minus || current.kind == .plus else { return try power() }
    let sign = advance()
    try descend(at: sign)
    let operand = try signed()
    depth -= 1
    return sign.kind == .minus ? graph.negate(operand) : operand
  }

  private mutating func power() throws(ExpressionError) -> ExpressionGraph.ID {
    let base = try operand()
    guard current.kind == .caret else { return base }
    try descend(at: advance())
    let exponent = try signed()
    depth -= 1
    return graph.power(base, exponent)
  }

  private mutating func operand() throws(ExpressionError) -> ExpressionGraph.ID {
    let token = current
    switch token.kind {
    case .number(let value):
      _ = advance()
      guard value.isFinite else { throw error(.numberOutOfRange(token.text), at: token) }
      return graph.constant(value)
    case .name(let name):
      _ = advance()
      if current.kind == .open { return try call(name, at: token) }
      if let index = variables[name] { return graph.variable(index) }
      if let value = constants[name] { return graph.constant(value) }
      if ExpressionFunction(rawValue: name) != nil {
        throw error(.missingArguments(function: name, found: current.quoted), at: current)
      }
      throw error(
        .unknownName(name, coordinates: coordinates, constants: constants.keys.sorted()),
        at: token)
    case .open:
      _ = advance()
      try descend(at: token)
      let inner = try sum()
      depth -= 1
      try close(openedAt: token)
      return inner
    case .invalid:
      throw error(.unexpectedCharacter(token.text), at: token)
    default:
      let previous = position > 0 ? tokens[position - 1].kind : nil
      let hint = token.kind == .times && previous == .times ? " (write ^ for a power)" : ""
      throw error(.expectedOperand(found: token.quoted + hint), at: token)
    }
  }

  /// Reads the `)` that closes `open`.
  private mutating func close(openedAt open: Token) throws(ExpressionError) {
    switch current.kind {
    case .close:
      _ = advance()
    case .invalid:
      throw error(.unexpectedCharacter(current.text), at: current)
    case .number, .name, .open:
      let found = current.quoted + " (write * to multiply)"
      throw error(.unclosedParenthesis(openedAt: open.column, found: found), at: current)
    default:
      throw error(.unclosedParenthesis(openedAt: open.column, found: current.quoted), at: current)
    }
  }

  /// A call: `name` has been read and the current token is its `(`.
  private mutating func call(
    _ name: String, at nameToken: Token
  ) throws(ExpressionError) -> ExpressionGraph.ID {
    guard let function = ExpressionFunction(rawValue: name) else {
      throw error(.unknownFunction(name), at: nameToken)
    }
    let open = advance()
    try descend(at: open)
    var arguments: [ExpressionGraph.ID] = []
    if current.kind != .close {
      arguments.append(try sum())
      while current.kind == .comma {
        _ = advance()
        arguments.append(try sum())
      }
    }
    try close(openedAt: open)
    depth -= 1
    guard arguments.count == function.arity else {
      throw error(
        .wrongArgumentCount(function: name, expected: function.arity, found: arguments.count),
        at: nameToken)
    }
    return function == .pow
      ? graph.power(arguments[0], arguments[1]) : graph.apply(function, arguments[0])
  }
}
