/// A surface written as a formula of its coordinates and named constants: the `expression`
/// kind of the potential-file contract, of any dimension.
///
/// References:
/// - The grammar and its parser: `ExpressionParser`; the graph and its simplifications:
///   `ExpressionGraph` and `ExpressionGraph+Arithmetic`; the derivative rules:
///   `ExpressionGraph+Differentiation`; the compiled evaluator: `ExpressionTape`, its
///   instructions chosen (and sums of products fused) by `ExpressionInstructionSelector`.
///
/// Exact derivatives by symbolic differentiation on a hash-consed graph, compiled once.
/// At load, the formula becomes a DAG; its gradient and Hessian are built as further nodes
/// of the same DAG by the elementary derivative rules, with constants folded, exact zeros
/// pruned and every repeated subexpression shared; then three straight-line tapes are
/// compiled from it: the energy, the energy with the gradient, and the Hessian's upper
/// triangle. This rather than forward-mode automatic differentiation (dual numbers carrying
/// a value, a gradient and a Hessian through every operation) because:
/// - the tapes run plain scalar arithmetic: a dual-number product costs O(n²) operations
///   at every step whether the entries are zero or not, whereas here a term that does not
///   depend on a coordinate contributes nothing to its derivatives, a constant factor is an
///   immediate, and `exp(φ)` is computed once for the energy, the gradient and the Hessian;
/// - the energy-and-gradient tape contains nothing of the Hessian, so the evaluation that
///   every step of every method makes pays only for what it returns;
/// - the derivatives are formulas, exact to rounding like forward mode, and the graph is
///   built by loops over a topologically ordered array, so no input can exhaust the stack.
/// The cost is paid once at load: the graph grows linearly with the formula for each order
/// of derivative (times n for the gradient, n(n+1)/2 for the Hessian).
///
/// Evaluation never throws and never traps: where the formula or a derivative is not
/// finite (the log of a negative number, a division by zero, √u at u = 0 for the gradient)
/// the surface returns the infinity or NaN, and the `Evaluator` every algorithm calls turns
/// it into a `EvaluationError.nonFinite` that names the point.
public struct ExpressionSurface: Surface, Equatable {
  /// The formula as written.
  public let formula: String
  public let coordinateNames: [String]
  public let constants: [String: Double]
  let energyTape: ExpressionTape
  let gradientTape: ExpressionTape
  /// The Hessian's upper triangle, row by row.
  let hessianTape: ExpressionTape

  /// Parses and compiles `formula`; throws the first fault in reading order, or a problem
  /// with the names (coordinates are checked first, then constants in sorted order).
  public init(
    formula: String, coordinates: [String], constants: [String: Double] = [:]
  ) throws(ExpressionError) {
    try Self.checkNames(coordinates: coordinates, constants: constants, formula: formula)
    var parser = ExpressionParser(formula: formula, coordinates: coordinates, constants: constants)
    let root = try parser.parse()
    var graph = parser.graph
    let n = coordinates.count
    let gradient = (0..<n).map { graph.derivatives(of: [root], withRespectTo: $0)[0] }
    var upper = [[ExpressionGraph.ID?]](repeating: [], count: n)
    for column in 0..<n {
      let entries = graph.derivatives(of: Array(gradient[0...column]), withRespectTo: column)
      for row in 0...column { upper[row].append(entries[row]) }
    }
    self.formula = formula
    self.coordinateNames = coordinates
    self.constants = constants
    energyTape = ExpressionTape(graph, outputs: [root], dimension: n)
    gradientTape = ExpressionTape(graph, outputs: [root] + gradient, dimension: n)
    hessianTape = ExpressionTape(graph, outputs: upper.flatMap { $0 }, dimension: n)
  }

  private static func checkNames(
    coordinates: [String], constants: [String: Double], formula: String
  ) throws(ExpressionError) {
    func fail(_ reason: ExpressionError.Reason) -> ExpressionError {
      ExpressionError(reason, column: nil, formula: formula)
    }
    guard !coordinates.isEmpty else { throw fail(.noCoordinates) }
    for (index, name) in coordinates.enumerated() {
      guard isName(name) else { throw fail(.invalidName(name)) }
      guard !coordinates[..<index].contains(name) else { throw fail(.duplicateCoordinate(name)) }
    }
    for (name, value) in constants.sorted(by: { $0.key < $1.key }) {
      guard isName(name) else { throw fail(.invalidName(name)) }
      guard !coordinates.contains(name) else { throw fail(.constantShadowsCoordinate(name)) }
      guard ExpressionFunction(rawValue: name) == nil else {
        throw fail(.constantShadowsFunction(name))
      }
      guard value.isFinite else { throw fail(.nonFiniteConstant(name)) }
    }
  }

  /// ASCII letters, digits and `_`, starting with a letter: what a formula can refer to.
  public static func isName(_ name: String) -> Bool {
    guard let first = name.first, first.isASCII, first.isLetter else { return false }
    return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }

  public static func == (lhs: ExpressionSurface, rhs: ExpressionSurface) -> Bool {
    lhs.formula == rhs.formula && lhs.coordinateNames == rhs.coordinateNames
      && lhs.constants == rhs.constants
  }

  public var dimension: Int { coordinateNames.count }
  public var derivativeSource: DerivativeSource { .analytic }

  public func energy(at point: Vector) -> Double { energyTape.scalar(at: point) }

  public func gradient(at point: Vector) -> Vector { energyAndGradient(at: point).gradient }

  public func energyAndGradient(at point: Vector) -> (energy: Double, gradient: Vector) {
    gradientTape.scalarAndVector(at: point)
  }

  public func hessian(at point: Vector) -> Matrix { hessianTape.symmetricMatrix(at: point) }
}
