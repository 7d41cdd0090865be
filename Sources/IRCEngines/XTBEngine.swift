import Foundation
import IRCKit

/// The semi-empirical GFN-xTB program as an engine: one `xtb` run per gradient.
///
/// Per call, in a fresh folder: `geom.xyz`, then
/// `xtb geom.xyz --gfn N --chrg C --uhf U --grad --norestart [--alpb S] [--acc A]
/// [--etemp T]`, then the `energy` and `gradient` files (Turbomole format) are read.
///
/// xtb 6.5.1 returns wrong analytic gradients (errors up to 0.067 hartree/bohr, with a
/// spurious torque) when two atoms share exactly the same x or y coordinate, as every
/// linear molecule on an axis does. The geometry is therefore written in a generic
/// orientation — turned by the fixed rotation `genericOrientation` — and the gradient turned
/// back: energies do not depend on orientation, gradients rotate with it.
///
/// References:
/// - C. Bannwarth, S. Ehlert and S. Grimme, J. Chem. Theory Comput. 15, 1652 (2019):
///   GFN2-xTB; xtb documentation (xtb-docs.readthedocs.io), "Commandline usage" and
///   "Detailed Input": the options and the `energy`/`gradient` files.
public struct XTBEngine: ProgramEngine {
  /// The Hamiltonian, as `parameters.method` names it.
  public typealias Method = XTBParameters.Method

  public var program: String
  public var method: Method
  public var charge: Int
  /// Unpaired electrons (not the multiplicity).
  public var uhf: Int
  /// An ALPB solvent name, or nil for the gas phase.
  public var solvent: String?
  public var accuracy: Double?
  /// Kelvin.
  public var electronicTemperature: Double?
  /// Seconds per call; nil for no limit.
  public var timeout: Double?
  /// The rotation applied before xtb sees a geometry (`genericOrientation`; the tests
  /// set the identity to show the defect it avoids).
  var orientation = XTBEngine.genericOrientation

  public init(
    program: String = XTBEngine.defaultProgram(), method: Method = .gfn2, charge: Int = 0,
    uhf: Int = 0, solvent: String? = nil, accuracy: Double? = nil,
    electronicTemperature: Double? = nil, timeout: Double? = nil
  ) {
    self.program = program
    self.method = method
    self.charge = charge
    self.uhf = uhf
    self.solvent = solvent
    self.accuracy = accuracy
    self.electronicTemperature = electronicTemperature
    self.timeout = timeout
  }

  /// `$IRC_XTB` when set, else `xtb` (looked up on PATH).
  public static func defaultProgram(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    environment["IRC_XTB"].flatMap { $0.isEmpty ? nil : $0 } ?? "xtb"
  }

  public var name: String { "xtb" }

  /// Each call is a process of its own: `jobs` of them run at once.
  public func concurrentCalls(jobs: Int) -> Int { jobs }

  /// The command line of one call (after the program).
  var arguments: [String] {
    var arguments = ["geom.xyz"] + Self.methodArguments(method)
    arguments += ["--chrg", "\(charge)", "--uhf", "\(uhf)", "--grad", "--norestart"]
    if let solvent { arguments += ["--alpb", solvent] }
    if let accuracy { arguments += ["--acc", "\(accuracy)"] }
    if let electronicTemperature { arguments += ["--etemp", "\(electronicTemperature)"] }
    return arguments
  }

  static func methodArguments(_ method: Method) -> [String] {
    switch method {
    case .gfn2: return ["--gfn", "2"]
    case .gfn1: return ["--gfn", "1"]
    case .gfn0: return ["--gfn", "0"]
    case .gfnff: return ["--gfnff"]
    }
  }

  /// A fixed rotation about the axis (1, √2, √3) by 1 radian: irrational entries, so that
  /// no two atoms of an axis-aligned or symmetric geometry keep an exact x or y in common.
  static let genericOrientation: Matrix = {
    let axis = Vector([1, 2.0.squareRoot(), 3.0.squareRoot()]).normalized
    let (c, s) = (cos(1.0), sin(1.0))
    var rotation = Matrix.zero(3, 3)
    for i in 0..<3 {
      for j in 0..<3 {
        rotation[i, j] = (1 - c) * axis[i] * axis[j] + (i == j ? c : 0)
      }
    }
    // Rodrigues: R = cI + (1 − c) aaᵀ + s[a]×.
    rotation[0, 1] -= s * axis[2]
    rotation[1, 0] += s * axis[2]
    rotation[0, 2] += s * axis[1]
    rotation[2, 0] -= s * axis[1]
    rotation[1, 2] -= s * axis[0]
    rotation[2, 1] += s * axis[0]
    return rotation
  }()

  /// Each atom's three coordinates multiplied by `rotation`.
  static func rotate(_ positions: Vector, by rotation: Matrix) -> Vector {
    var rotated = positions
    for atom in 0..<(positions.count / 3) {
      for i in 0..<3 {
        rotated[3 * atom + i] = (0..<3).reduce(0.0) {
          $0 + rotation[i, $1] * positions[3 * atom + $1]
        }
      }
    }
    return rotated
  }

  /// The input of one call: `geom.xyz` in the generic orientation, the command line, and
  /// one OpenMP thread unless the user chose otherwise (parallel Hessians run several calls
  /// at once, and idle OpenMP threads spinning on a busy machine made one HCN call take
  /// 3 s instead of 0.1 s).
  public func input(symbols: [String], positions: Vector) -> ProgramInput {
    let turned = Self.rotate(positions, by: orientation)
    return ProgramInput(
      files: [("geom.xyz", EngineOutput.xyz(symbols: symbols, positions: turned))],
      arguments: [program] + arguments,
      environment: Subprocess.inheritedEnvironment["OMP_NUM_THREADS"] == nil
        ? ["OMP_NUM_THREADS": "1"] : [:])
  }

  public func evaluate(symbols: [String], positions: Vector) throws(EngineFailure) -> EngineResult {
    var phases = CallPhases()
    return try evaluate(symbols: symbols, positions: positions, phases: &phases)
  }

  public func evaluate(
    symbols: [String], positions: Vector, phases: inout CallPhases
  ) throws(EngineFailure) -> EngineResult {
    let call = ProgramCall(
      engine: name, symbols: symbols, positions: positions,
      input: input(symbols: symbols, positions: positions), timeout: timeout)
    let result = try call.run(phases: &phases) { folder throws(EngineFailure.Cause) in
      let energy = try TurbomoleOutput.energy(EngineOutput.text("energy", in: folder))
      let gradient = try TurbomoleOutput.gradient(
        EngineOutput.text("gradient", in: folder), atoms: symbols.count)
      return EngineResult(energy: energy, gradient: gradient)
    }
    // Back to the caller's orientation: g = Rᵀ g'.
    return EngineResult(
      energy: result.energy, gradient: Self.rotate(result.gradient, by: orientation.transposed))
  }
}

/// The `energy` and `gradient` files xtb writes in Turbomole's format.
enum TurbomoleOutput {
  /// The energy of the last cycle of an `energy` file (`$energy`, lines "cycle E …", `$end`).
  static func energy(_ text: String) throws(EngineFailure.Cause) -> Double {
    let data = text.split(whereSeparator: \.isNewline).filter {
      !$0.drop(while: \.isWhitespace).hasPrefix("$") && !$0.allSatisfy(\.isWhitespace)
    }
    guard let last = data.last else { throw .unreadableOutput("the energy file has no energy") }
    let fields = last.split(whereSeparator: \.isWhitespace)
    guard fields.count >= 2, let energy = EngineOutput.number(fields[1]) else {
      throw .unreadableOutput("the energy file's line \"\(last)\" has no energy")
    }
    return energy
  }

  /// The gradient (hartree/Å) of the last cycle of a `gradient` file: `$grad` (older
  /// versions `$gradient`), a `cycle =` line, N coordinate lines (bohr, element last), N
  /// gradient lines (hartree/bohr), `$end`.
  static func gradient(_ text: String, atoms: Int) throws(EngineFailure.Cause) -> Vector {
    let lines = text.split(whereSeparator: \.isNewline).map(EngineOutput.trimmed)
    guard lines.contains(where: { $0.hasPrefix("$grad") }) else {
      throw .unreadableOutput("the gradient file has no $grad section")
    }
    guard let cycle = lines.lastIndex(where: { $0.hasPrefix("cycle") }) else {
      throw .unreadableOutput("the gradient file has no cycle")
    }
    let block = lines[(cycle + 1)...].prefix { !$0.hasPrefix("$") && !$0.hasPrefix("cycle") }
      .filter { !$0.isEmpty }
    // Coordinate lines are three numbers and an element symbol; gradient lines are three
    // numbers. Anything else (a Fortran overflow "*****") is unreadable, not skipped.
    var coordinateCount = 0
    var gradient: [Double] = []
    for line in block {
      let fields = line.split(whereSeparator: \.isWhitespace)
      let numbers = fields.prefix(3).compactMap(EngineOutput.number)
      guard numbers.count == 3, fields.count == 3 || fields.count == 4 else {
        throw .unreadableOutput(
          "the gradient file's line \"\(line)\" is not a coordinate or gradient line")
      }
      if fields.count == 4 {
        coordinateCount += 1
      } else {
        gradient += numbers.map { $0 / AtomicUnits.bohr }
      }
    }
    guard gradient.count == 3 * atoms, coordinateCount == atoms else {
      throw .wrongAtomCount(expected: atoms, found: max(coordinateCount, gradient.count / 3))
    }
    return Vector(gradient)
  }
}
