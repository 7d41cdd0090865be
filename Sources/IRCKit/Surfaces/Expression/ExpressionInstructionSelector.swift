/// Chooses the instructions of an `ExpressionTape`: which nodes of an `ExpressionGraph` the
/// outputs need, and which of them fuse into one instruction.
///
/// References:
/// - Aho, Lam, Sethi and Ullman (see `ExpressionGraph`), §8.9: instruction selection by
///   tiling an expression with the patterns of the target's instructions, each tile as
///   large as it can be ("maximal munch").
///
/// The evaluator pays for every instruction it dispatches, so the sums of products that
/// derivatives are made of become single instructions: `a·b·c + d·e` and `a·c + d·e` for
/// registers a, b, d and constants c, e, where either term of a sum or difference may be a
/// product with a coefficient (c·(a·b)), a scaled node (c·a, or −a) or a plain register
/// (e = ±1), and `a·b·c` for c·(a·b) on its own. A node is fused into its user only if that
/// user is its only one and it is not an output itself, so nothing is computed twice. A
/// constant operand becomes an immediate (`u + c`, `c − u`, `c/u`, `u^c`, `c^u`). A fused
/// instruction does the graph's operations in the graph's order (a difference adds the
/// negated term, which is exact), so fusion changes no result.
struct ExpressionInstructionSelector {
  typealias ID = ExpressionGraph.ID
  typealias Opcode = ExpressionTape.Opcode

  /// A node as its user may see it when fusing it.
  private enum Tile {
    case plain
    /// operand·c
    case scaled(ID, Double)
    /// a·b·c
    case product(ID, ID, Double)
  }

  /// An instruction over nodes, before registers are assigned (−1: no operand).
  private struct Choice {
    var opcode: Opcode
    var a: ID = -1
    var b: ID = -1
    var d: ID = -1
    var constant = 0.0
    var constant2 = 0.0
  }

  private(set) var instructions: [ExpressionTape.Instruction] = []
  /// The register of each output, or −1 for an exact zero.
  private(set) var outputs: [Int32] = []

  init(_ graph: ExpressionGraph, outputs roots: [ID?], dimension: Int) {
    let needed = graph.reachable(from: roots)
    var uses = [Int](repeating: 0, count: graph.count)
    var isOutput = [Bool](repeating: false, count: graph.count)
    for root in roots {
      if let root { isOutput[Int(root)] = true }
    }
    for index in 0..<graph.count where needed[index] {
      let node = graph[ID(index)]
      guard node.operation != .variable, node.operation != .constant else { continue }
      if node.first >= 0 { uses[Int(node.first)] += 1 }
      if node.second >= 0 { uses[Int(node.second)] += 1 }
    }
    var tiles = [Tile](repeating: .plain, count: graph.count)
    var choices = [Choice?](repeating: nil, count: graph.count)
    for index in 0..<graph.count where needed[index] {
      let node = graph[ID(index)]
      guard node.operation != .variable, node.operation != .constant else { continue }
      /// The tile of an operand that may be fused into this node, if it may.
      func fusable(_ operand: ID) -> Tile? {
        let index = Int(operand)
        guard uses[index] == 1, !isOutput[index], choices[index] != nil else { return nil }
        if case .plain = tiles[index] { return nil }
        return tiles[index]
      }
      func absorb(_ operand: ID) { choices[Int(operand)] = nil }
      let (tile, choice) = Self.choose(node, graph, fusable, absorb)
      tiles[index] = tile
      choices[index] = choice
    }
    var register = [Int32](repeating: -1, count: graph.count)
    for index in 0..<graph.count where needed[index] && graph[ID(index)].operation == .variable {
      register[index] = graph[ID(index)].first
    }
    for index in 0..<graph.count {
      guard let choice = choices[index] else { continue }
      func r(_ id: ID) -> Int32 { id >= 0 ? register[Int(id)] : -1 }
      instructions.append(
        ExpressionTape.Instruction(
          opcode: choice.opcode, a: r(choice.a), b: r(choice.b), d: r(choice.d),
          constant: choice.constant, constant2: choice.constant2))
      register[index] = Int32(dimension + instructions.count - 1)
    }
    // An output that is a constant (a Hessian of a quadratic, say) is loaded once, however
    // many outputs share its node.
    outputs = roots.map { root -> Int32 in
      guard let root else { return -1 }
      guard register[Int(root)] < 0, let value = graph.constantValue(root) else {
        return register[Int(root)]
      }
      instructions.append(
        .init(opcode: .constant, a: -1, b: -1, d: -1, constant: value, constant2: 0))
      register[Int(root)] = Int32(dimension + instructions.count - 1)
      return register[Int(root)]
    }
  }

  /// The tile and instruction of one node; `absorb` marks an operand fused into it.
  private static func choose(
    _ node: ExpressionGraph.Node, _ graph: ExpressionGraph, _ fusable: (ID) -> Tile?,
    _ absorb: (ID) -> Void
  ) -> (Tile, Choice) {
    let a = node.first
    let b = node.second
    let ca = a >= 0 ? graph.constantValue(a) : nil
    let cb = b >= 0 ? graph.constantValue(b) : nil
    switch node.operation {
    case .multiply:
      if let c = ca ?? cb {
        let operand = ca == nil ? a : b
        if case .product(let x, let y, 1) = fusable(operand) {
          absorb(operand)
          return (.product(x, y, c), Choice(opcode: .scaledProduct, a: x, b: y, constant: c))
        }
        return (.scaled(operand, c), Choice(opcode: .multiplyConstant, a: operand, constant: c))
      }
      return (.product(a, b, 1), Choice(opcode: .multiply, a: a, b: b))
    case .negate:
      return (.scaled(a, -1), Choice(opcode: .negate, a: a))
    case .add where ca == nil && cb == nil:
      return (.plain, sum(a, b, sign: 1, fusable, absorb) ?? plain(node, ca, cb))
    case .subtract where ca == nil && cb == nil:
      return (.plain, sum(a, b, sign: -1, fusable, absorb) ?? plain(node, ca, cb))
    default: break
    }
    return (.plain, plain(node, ca, cb))
  }

  /// a + sign·b as one fused instruction, if a product or a scaled node can be fused into it:
  /// a product takes the first term (a·b·c), a scaled node or a register the second (d·e).
  private static func sum(
    _ a: ID, _ b: ID, sign: Double, _ fusable: (ID) -> Tile?, _ absorb: (ID) -> Void
  ) -> Choice? {
    let terms = [(a, fusable(a), 1.0), (b, fusable(b), sign)]
    func isProduct(_ tile: Tile?) -> Bool {
      if case .product = tile { return true } else { return false }
    }
    let first = terms.firstIndex { isProduct($0.1) } ?? terms.firstIndex { $0.1 != nil }
    guard let first else { return nil }
    let (firstID, firstTile, firstSign) = terms[first]
    let (secondID, secondTile, secondSign) = terms[1 - first]
    absorb(firstID)
    var choice: Choice
    switch firstTile {
    case .product(let x, let y, let c):
      choice = Choice(opcode: .productPlus, a: x, b: y, constant: firstSign * c)
    case .scaled(let x, let c):
      choice = Choice(opcode: .scaledPlus, a: x, constant: firstSign * c)
    case .plain, nil: return nil  // never chosen
    }
    if case .scaled(let x, let c) = secondTile {
      absorb(secondID)
      choice.d = x
      choice.constant2 = secondSign * c
    } else {
      choice.d = secondID
      choice.constant2 = secondSign
    }
    return choice
  }

  /// One operation, a constant operand as an immediate (the graph has folded two).
  private static func plain(_ node: ExpressionGraph.Node, _ ca: Double?, _ cb: Double?) -> Choice {
    let a = node.first
    let b = node.second
    switch node.operation {
    case .add:
      if let ca { return Choice(opcode: .addConstant, a: b, constant: ca) }
      if let cb { return Choice(opcode: .addConstant, a: a, constant: cb) }
      return Choice(opcode: .add, a: a, b: b)
    case .subtract:
      if let ca { return Choice(opcode: .constantMinus, a: b, constant: ca) }
      if let cb { return Choice(opcode: .addConstant, a: a, constant: -cb) }
      return Choice(opcode: .subtract, a: a, b: b)
    case .divide:
      if let ca { return Choice(opcode: .constantOver, a: b, constant: ca) }
      if let cb { return Choice(opcode: .divideByConstant, a: a, constant: cb) }
      return Choice(opcode: .divide, a: a, b: b)
    case .power:
      if let ca { return Choice(opcode: .constantPower, a: b, constant: ca) }
      if let cb { return Choice(opcode: .powerConstant, a: a, constant: cb) }
      return Choice(opcode: .power, a: a, b: b)
    case .multiply: return Choice(opcode: .multiply, a: a, b: b)
    case .negate: return Choice(opcode: .negate, a: a)
    case .exp: return Choice(opcode: .exp, a: a)
    case .log: return Choice(opcode: .log, a: a)
    case .sqrt: return Choice(opcode: .sqrt, a: a)
    case .sin: return Choice(opcode: .sin, a: a)
    case .cos: return Choice(opcode: .cos, a: a)
    case .tan: return Choice(opcode: .tan, a: a)
    case .sinh: return Choice(opcode: .sinh, a: a)
    case .cosh: return Choice(opcode: .cosh, a: a)
    case .tanh: return Choice(opcode: .tanh, a: a)
    case .atan: return Choice(opcode: .atan, a: a)
    case .variable, .constant: return Choice(opcode: .constant)  // never chosen
    }
  }
}
