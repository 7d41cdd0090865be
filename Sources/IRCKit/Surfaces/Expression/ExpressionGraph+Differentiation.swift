/// Exact derivatives of graph nodes, as new nodes of the same graph.
///
/// References:
/// - A. Griewank and A. Walther, *Evaluating Derivatives*, 2nd ed. (SIAM, 2008), §3.1
///   (forward propagation of tangents through the elementary functions): the rules below,
///   applied node by node in the graph's order. Second derivatives are the same rules
///   applied to the first derivatives' nodes.
/// - Aho, Lam, Sethi and Ullman (see `ExpressionGraph`): hash-consing makes the derivative
///   share what it has in common with the function (the `exp(u)` of `∂ exp(u) = exp(u)·∂u`
///   is the function's own node) and with other derivatives.
///
/// A derivative that is exactly zero (of a constant, of a node that does not depend on the
/// variable) is `nil`, never a 0 node, so it prunes every product it would enter and no
/// `0·∞` can appear that the formula itself does not contain.
extension ExpressionGraph {
  /// The derivatives of `roots` with respect to the variable `variable`; nil for an exact
  /// zero. New nodes are appended; the existing ones are untouched.
  mutating func derivatives(of roots: [ID?], withRespectTo variable: Int) -> [ID?] {
    let count = nodes.count
    let needed = reachable(from: roots)
    var derivative = [ID?](repeating: nil, count: count)
    for index in 0..<count where needed[index] {
      derivative[index] = differentiate(ID(index), variable, derivative)
    }
    return roots.map { root in root.flatMap { derivative[Int($0)] } }
  }

  /// ∂(node)/∂(variable) from the derivatives of its operands (already computed, since
  /// operands come first).
  private mutating func differentiate(_ id: ID, _ variable: Int, _ derivative: [ID?]) -> ID? {
    let node = self[id]
    let a = node.first
    let b = node.second
    func d(_ operand: ID) -> ID? { derivative[Int(operand)] }
    switch node.operation {
    case .variable: return Int(a) == variable ? constant(1) : nil
    case .constant: return nil
    case .add: return sum(d(a), d(b))
    case .subtract:
      guard let db = d(b) else { return d(a) }
      guard let da = d(a) else { return negate(db) }
      return subtract(da, db)
    case .multiply:
      return sum(d(a).map { multiply($0, b) }, d(b).map { multiply(a, $0) })
    case .divide:
      // (a/b)′ = (a′ − (a/b)·b′)/b, reusing the quotient node.
      guard let db = d(b) else { return d(a).map { divide($0, b) } }
      let quotientTimes = multiply(id, db)
      guard let da = d(a) else { return negate(divide(quotientTimes, b)) }
      return divide(subtract(da, quotientTimes), b)
    case .negate: return d(a).map { negate($0) }
    case .power: return powerDerivative(id, base: a, exponent: b, d(a), d(b))
    case .exp: return d(a).map { multiply(id, $0) }
    case .log: return d(a).map { divide($0, a) }
    case .sqrt: return d(a).map { divide($0, multiply(constant(2), id)) }
    case .sin: return d(a).map { multiply(apply(.cos, a), $0) }
    case .cos: return d(a).map { negate(multiply(apply(.sin, a), $0)) }
    case .tan: return d(a).map { multiply(add(constant(1), multiply(id, id)), $0) }
    case .sinh: return d(a).map { multiply(apply(.cosh, a), $0) }
    case .cosh: return d(a).map { multiply(apply(.sinh, a), $0) }
    case .tanh: return d(a).map { multiply(subtract(constant(1), multiply(id, id)), $0) }
    case .atan: return d(a).map { divide($0, add(constant(1), multiply(a, a))) }
    }
  }

  /// (u^c)′ = c·u^(c−1)·u′ for a constant exponent; otherwise
  /// (u^v)′ = u^v·(v′·log u + v·u′/u).
  private mutating func powerDerivative(
    _ id: ID, base: ID, exponent: ID, _ baseDerivative: ID?, _ exponentDerivative: ID?
  ) -> ID? {
    if let c = constantValue(exponent) {
      return baseDerivative.map {
        multiply(multiply(constant(c), power(base, constant(c - 1))), $0)
      }
    }
    let fromExponent = exponentDerivative.map { multiply($0, apply(.log, base)) }
    let fromBase = baseDerivative.map { multiply(exponent, divide($0, base)) }
    return sum(fromExponent, fromBase).map { multiply(id, $0) }
  }

  /// a + b where nil is an exact zero.
  private mutating func sum(_ a: ID?, _ b: ID?) -> ID? {
    guard let a else { return b }
    guard let b else { return a }
    return add(a, b)
  }
}
