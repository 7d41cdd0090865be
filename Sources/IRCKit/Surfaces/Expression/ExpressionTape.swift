import Foundation

/// Part of an `ExpressionGraph` compiled to a flat list of scalar instructions: the fast
/// evaluator behind `ExpressionSurface`.
///
/// References:
/// - Aho, Lam, Sethi and Ullman (see `ExpressionGraph`), §6.2 (three-address code) and
///   §8.5 (a basic block as a DAG, emitted in a topological order, one register per value).
///
/// The coordinates sit in registers `0..<dimension`; instruction `k` writes register
/// `dimension + k` from registers written before it (`ExpressionInstructionSelector`
/// chooses the instructions). The registers are a stack allocation of the run
/// (`withUnsafeTemporaryAllocation`, which falls back to the heap only for a tape too large
/// for the thread's stack), so evaluation allocates nothing but the `Vector` or `Matrix` it
/// returns, and one tape can run on any number of threads at once.
/// It is a final class so that the surface holding it is cheap to copy and to call through
/// `any Surface`.
final class ExpressionTape: Sendable {
  enum Opcode: UInt8, Sendable {
    case constant
    case add, addConstant, subtract, constantMinus, negate
    case multiply, multiplyConstant, divide, divideByConstant, constantOver
    case power, powerConstant, constantPower
    case exp, log, sqrt, sin, cos, tan, sinh, cosh, tanh, atan
    /// Fused: a·b·c + d·e, a·c + d·e, a·b·c.
    case productPlus, scaledPlus, scaledProduct
  }

  /// Registers `a`, `b`, `d` (−1 where unused) and immediate constants `c` and `e`.
  struct Instruction: Sendable {
    var opcode: Opcode
    var a: Int32
    var b: Int32
    var d: Int32
    var constant: Double
    var constant2: Double
  }

  let dimension: Int
  let instructions: [Instruction]
  /// The register of each output, or −1 for an output that is exactly zero.
  let outputs: [Int32]

  /// Compiles what `outputs` need of `graph` (nil: an exact zero).
  init(_ graph: ExpressionGraph, outputs roots: [ExpressionGraph.ID?], dimension: Int) {
    let selection = ExpressionInstructionSelector(graph, outputs: roots, dimension: dimension)
    self.dimension = dimension
    self.instructions = selection.instructions
    self.outputs = selection.outputs
  }

  var registerCount: Int { dimension + instructions.count }

  /// Output 0.
  func scalar(at point: Vector) -> Double {
    run(at: point) { output(0, $0) }
  }

  /// Output 0 and the vector of outputs 1...dimension.
  func scalarAndVector(at point: Vector) -> (Double, Vector) {
    run(at: point) { registers in
      let vector = Self.array(count: dimension) { output($0 + 1, registers) }
      return (output(0, registers), Vector(vector))
    }
  }

  /// The symmetric matrix with output k at `positions[k]` (row·n + column, in the upper
  /// triangle) and at its mirror, and zero elsewhere: only a Hessian's nonzero entries are
  /// outputs, so that a surface of 10,000 coordinates whose Hessian is nearly diagonal
  /// compiles 10,000 of them, not 50 million.
  func symmetricMatrix(at point: Vector, positions: [Int32]) -> Matrix {
    let n = dimension
    return run(at: point) { registers in
      var entries = Self.array(count: n * n) { _ in 0 }
      for (index, position) in positions.enumerated() {
        let value = output(index, registers)
        let (row, column) = Int(position).quotientAndRemainder(dividingBy: n)
        entries[row * n + column] = value
        entries[column * n + row] = value
      }
      return Matrix(rows: n, columns: n, entries: entries)
    }
  }

  /// An array of `count` values. Up to nine (a gradient of nine coordinates, a Hessian of
  /// three) it is written as an array literal, whose storage the compiler allocates
  /// directly: `Array(repeating:count:)` looks its storage type up at run time, which
  /// measured 40–60 ns a call, as much as the whole Müller–Brown tape's arithmetic.
  @inline(__always)
  private static func array(count: Int, _ value: (Int) -> Double) -> [Double] {
    switch count {
    case 1: return [value(0)]
    case 2: return [value(0), value(1)]
    case 3: return [value(0), value(1), value(2)]
    case 4: return [value(0), value(1), value(2), value(3)]
    case 5: return [value(0), value(1), value(2), value(3), value(4)]
    case 6: return [value(0), value(1), value(2), value(3), value(4), value(5)]
    case 7: return [value(0), value(1), value(2), value(3), value(4), value(5), value(6)]
    case 8:
      return [value(0), value(1), value(2), value(3), value(4), value(5), value(6), value(7)]
    case 9:
      return [
        value(0), value(1), value(2), value(3), value(4), value(5), value(6), value(7), value(8),
      ]
    default:
      var values = [Double](repeating: 0, count: count)
      for index in 0..<count { values[index] = value(index) }
      return values
    }
  }

  /// Runs the tape at `point` and hands the registers to `read` (valid only inside it).
  @inline(__always)
  private func run<Result>(
    at point: Vector, _ read: (UnsafeBufferPointer<Double>) -> Result
  ) -> Result {
    precondition(point.count == dimension, "a point of \(point.count) coordinates for \(dimension)")
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: registerCount) { registers in
      for index in 0..<dimension { registers[index] = point[index] }
      instructions.withUnsafeBufferPointer { code in
        var target = dimension
        for instruction in code {
          registers[target] = Self.execute(instruction, registers)
          target += 1
        }
      }
      return read(UnsafeBufferPointer(registers))
    }
  }

  @inline(__always)
  private static func execute(
    _ instruction: Instruction, _ registers: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    let c = instruction.constant
    @inline(__always) func a() -> Double { registers[Int(instruction.a)] }
    @inline(__always) func b() -> Double { registers[Int(instruction.b)] }
    @inline(__always) func d() -> Double { registers[Int(instruction.d)] }
    switch instruction.opcode {
    case .constant: return c
    case .add: return a() + b()
    case .addConstant: return a() + c
    case .subtract: return a() - b()
    case .constantMinus: return c - a()
    case .negate: return -a()
    case .multiply: return a() * b()
    case .multiplyConstant: return a() * c
    case .divide: return a() / b()
    case .divideByConstant: return a() / c
    case .constantOver: return c / a()
    case .power: return Foundation.pow(a(), b())
    case .powerConstant: return Foundation.pow(a(), c)
    case .constantPower: return Foundation.pow(c, a())
    case .exp: return ExpressionFunction.exp.apply(a())
    case .log: return ExpressionFunction.log.apply(a())
    case .sqrt: return ExpressionFunction.sqrt.apply(a())
    case .sin: return ExpressionFunction.sin.apply(a())
    case .cos: return ExpressionFunction.cos.apply(a())
    case .tan: return ExpressionFunction.tan.apply(a())
    case .sinh: return ExpressionFunction.sinh.apply(a())
    case .cosh: return ExpressionFunction.cosh.apply(a())
    case .tanh: return ExpressionFunction.tanh.apply(a())
    case .atan: return ExpressionFunction.atan.apply(a())
    case .productPlus: return a() * b() * c + d() * instruction.constant2
    case .scaledPlus: return a() * c + d() * instruction.constant2
    case .scaledProduct: return a() * b() * c
    }
  }

  /// Output `index` from the registers of a run.
  @inline(__always)
  private func output(_ index: Int, _ registers: UnsafeBufferPointer<Double>) -> Double {
    let register = outputs[index]
    return register < 0 ? 0 : registers[Int(register)]
  }
}
