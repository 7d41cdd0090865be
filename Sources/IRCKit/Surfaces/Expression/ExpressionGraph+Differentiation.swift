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
  /// The nonzero derivatives of `roots` with respect to each variable `0..<dimension`:
  /// for each variable, the index in `roots` and the node of each derivative that is not
  /// exactly zero. New nodes are appended; the existing ones are untouched.
  ///
  /// Only the nodes that depend on a variable are differentiated with respect to it (found
  /// by following each node's users from the variable's node, within what `roots` need),
  /// so the work is the total size of these dependent sets, not the dimension times the
  /// graph: a sum of squares over 10,000 coordinates visited every node 10,000 times.
  mutating func sparseJacobian(
    of roots: [ID?], dimension: Int
  ) -> [[(root: Int, derivative: ID)]] {
    let count = nodes.count
    let users = self.users(within: reachable(from: roots))
    // The indices in `roots` of each node, as linked lists: the first, then the next.
    var firstRoot = [Int](repeating: -1, count: count)
    var nextRoot = [Int](repeating: -1, count: roots.count)
    for (index, root) in roots.enumerated().reversed() {
      guard let root else { continue }
      nextRoot[index] = firstRoot[Int(root)]
      firstRoot[Int(root)] = index
    }
    var derivative = [ID?](repeating: nil, count: count)
    var dependent = [Bool](repeating: false, count: count)
    var result: [[(root: Int, derivative: ID)]] = []
    for variable in 0..<dimension {
      var entries: [(root: Int, derivative: ID)] = []
      defer { result.append(entries) }
      guard let start = existing(Node(operation: .variable, first: ID(variable))) else {
        continue
      }
      var closure = [Int(start)]
      dependent[Int(start)] = true
      var next = 0
      while next < closure.count {
        let id = closure[next]
        next += 1
        for user in users.of(id) where !dependent[user] {
          dependent[user] = true
          closure.append(user)
        }
      }
      closure.sort()
      for id in closure {
        derivative[id] = differentiate(ID(id), variable, derivative)
        guard let node = derivative[id] else { continue }
        var index = firstRoot[id]
        while index >= 0 {
          entries.append((root: index, derivative: node))
          index = nextRoot[index]
        }
      }
      for id in closure {
        derivative[id] = nil
        dependent[id] = false
      }
    }
    return result
  }

  /// The nodes that use each node as an operand, in compressed rows.
  struct Users {
    let offsets: [Int]
    let flat: [Int]
    func of(_ id: Int) -> ArraySlice<Int> { flat[offsets[id]..<offsets[id + 1]] }
  }

  /// The users of each node among the nodes marked `needed`.
  private func users(within needed: [Bool]) -> Users {
    func forEachOperand(_ index: Int, _ body: (Int) -> Void) {
      let node = nodes[index]
      guard needed[index], node.operation != .variable, node.operation != .constant else {
        return
      }
      if node.first >= 0 { body(Int(node.first)) }
      if node.second >= 0 { body(Int(node.second)) }
    }
    var offsets = [Int](repeating: 0, count: nodes.count + 1)
    for index in nodes.indices { forEachOperand(index) { offsets[$0 + 1] += 1 } }
    for index in nodes.indices { offsets[index + 1] += offsets[index] }
    var fill = offsets
    var flat = [Int](repeating: 0, count: offsets[nodes.count])
    for index in nodes.indices {
      forEachOperand(index) { operand in
        flat[fill[operand]] = index
        fill[operand] += 1
      }
    }
    return Users(offsets: offsets, flat: flat)
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
