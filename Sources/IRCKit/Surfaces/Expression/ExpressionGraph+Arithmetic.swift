/// The arithmetic constructors of `ExpressionGraph`, which keep products in the form
/// c·X (a constant coefficient times a node without one) as they build.
///
/// References:
/// - J. S. Cohen, *Computer Algebra and Symbolic Computation: Mathematical Methods*
///   (A K Peters, 2003), ch. 3: automatic simplification to a canonical form, with
///   constant coefficients collected in front of products and like terms combined.
///
/// Pulling coefficients forward lets them meet and fold: the derivative of
/// −200·exp(−(x−1)² − 10y²) builds −200·(exp(…)·(−2·(x − 1))), which becomes
/// 400·(exp(…)·(x − 1)); `x + x` is 2·x, `3x − x` is 2·x; a negation is absorbed by a
/// coefficient, by `+` (a + (−b) is a − b) or by `−` (−(a − b) is b − a); a division by a
/// constant is a product with its reciprocal. Fewer nodes are fewer instructions every
/// evaluation runs. These rewrites change results by rounding only: a coefficient product
/// that would overflow or underflow is not formed. `0·u` is kept as a node, never folded to
/// 0, because at a point where u is infinite or NaN the formula's value is NaN and the
/// surface must report it, not hide it (derivatives never build such products: an exactly
/// zero derivative is absent, not a 0 node).
extension ExpressionGraph {
  /// A node as c·rest: a constant is (c, nil), c·X is (c, X), −X is (−1, X), any other
  /// node (1, itself).
  func scaling(of id: ID) -> (coefficient: Double, rest: ID?) {
    let node = self[id]
    switch node.operation {
    case .constant: return (Double(bitPattern: node.bits), nil)
    case .negate: return (-1, node.first)
    case .multiply:
      if let c = constantValue(node.first) { return (c, node.second) }
      if let c = constantValue(node.second) { return (c, node.first) }
      return (1, id)
    default: return (1, id)
    }
  }

  /// Whether a folded coefficient is as good as the two it replaces: finite, and not an
  /// underflow to zero or to a subnormal.
  private static func isSafe(_ folded: Double, from a: Double, _ b: Double) -> Bool {
    folded.isFinite && (folded.isNormal || (folded == 0 && (a == 0 || b == 0)))
  }

  /// c·x for a node x without a coefficient.
  private mutating func scaled(_ c: Double, _ x: ID) -> ID {
    if c == 1 { return x }
    if c == -1 { return negate(x) }
    return commutative(.multiply, constant(c), x)
  }

  mutating func add(_ a: ID, _ b: ID) -> ID {
    if let x = constantValue(a), let y = constantValue(b) { return constant(x + y) }
    if isConstant(a, 0) { return b }
    if isConstant(b, 0) { return a }
    let (ca, ra) = scaling(of: a)
    let (cb, rb) = scaling(of: b)
    if let ra, ra == rb, Self.isSafe(ca + cb, from: ca, cb) { return scaled(ca + cb, ra) }
    if self[b].operation == .negate { return subtract(a, self[b].first) }
    if self[a].operation == .negate { return subtract(b, self[a].first) }
    return commutative(.add, a, b)
  }

  mutating func subtract(_ a: ID, _ b: ID) -> ID {
    if let x = constantValue(a), let y = constantValue(b) { return constant(x - y) }
    if isConstant(b, 0) { return a }
    if isConstant(a, 0) { return negate(b) }
    let (ca, ra) = scaling(of: a)
    let (cb, rb) = scaling(of: b)
    if let ra, ra == rb, Self.isSafe(ca - cb, from: ca, -cb) { return scaled(ca - cb, ra) }
    if self[b].operation == .negate { return add(a, self[b].first) }
    return intern(Node(operation: .subtract, first: a, second: b))
  }

  mutating func multiply(_ a: ID, _ b: ID) -> ID {
    if let x = constantValue(a), let y = constantValue(b) { return constant(x * y) }
    let (ca, ra) = scaling(of: a)
    let (cb, rb) = scaling(of: b)
    guard Self.isSafe(ca * cb, from: ca, cb) else { return commutative(.multiply, a, b) }
    switch (ra, rb) {
    case (let ra?, let rb?): return scaled(ca * cb, commutative(.multiply, ra, rb))
    case (let ra?, nil): return scaled(ca * cb, ra)
    case (nil, let rb?): return scaled(ca * cb, rb)
    case (nil, nil): return constant(ca * cb)
    }
  }

  mutating func divide(_ a: ID, _ b: ID) -> ID {
    if let x = constantValue(a), let y = constantValue(b) { return constant(x / y) }
    if let y = constantValue(b) {
      let reciprocal = 1 / y
      guard Self.isSafe(reciprocal, from: 1, y) else {
        return intern(Node(operation: .divide, first: a, second: b))
      }
      return multiply(constant(reciprocal), a)
    }
    let (ca, ra) = scaling(of: a)
    let (cb, rb) = scaling(of: b)
    guard let rb, Self.isSafe(ca / cb, from: ca, 1) else {
      return intern(Node(operation: .divide, first: a, second: b))
    }
    guard let ra else {
      return intern(Node(operation: .divide, first: constant(ca / cb), second: rb))
    }
    return scaled(ca / cb, intern(Node(operation: .divide, first: ra, second: rb)))
  }

  mutating func negate(_ a: ID) -> ID {
    if let x = constantValue(a) { return constant(-x) }
    let node = self[a]
    switch node.operation {
    case .negate: return node.first
    case .subtract:
      return intern(Node(operation: .subtract, first: node.second, second: node.first))
    case .multiply:
      let (c, rest) = scaling(of: a)
      if let rest, c != 1 { return scaled(-c, rest) }
    default: break
    }
    return intern(Node(operation: .negate, first: a))
  }
}
