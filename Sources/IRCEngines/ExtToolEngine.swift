import Foundation
import IRCKit

/// Any program that speaks ORCA's ExtTool interface (ORCA 5/6 `%method ProgExt`): the
/// wrappers for xtb, AIMNet2, UMA, MACE and others work unchanged.
///
/// Per call, in a fresh folder: `irc_EXT.xyz` (Å) and `irc_EXT.extinp.tmp` (the XYZ
/// name, charge, multiplicity, cores, `1` for "gradient wanted", one per line); then
/// `command… irc_EXT.extinp.tmp`; then `irc_EXT.engrad`: numeric lines in order, `#`
/// lines ignored — the atom count, the energy (hartree), 3N gradient components
/// (hartree/bohr); anything after them (ORCA adds the geometry) is not read.
///
/// References:
/// - ORCA 6 manual, §"Interface to external optimizers / ExtTool" (`ProgExt`), and the
///   `orca-external-tools` wrappers (github.com/faccts/orca-external-tools).
public struct ExtToolEngine: ProgramEngine {
  public var command: [String]
  public var charge: Int
  public var multiplicity: Int
  public var cores: Int
  /// Seconds per call; nil for no limit.
  public var timeout: Double?

  public init(command: [String], charge: Int, multiplicity: Int, cores: Int, timeout: Double?) {
    self.command = command
    self.charge = charge
    self.multiplicity = multiplicity
    self.cores = cores
    self.timeout = timeout
  }

  public var name: String { "external" }

  /// Each call is a process of its own: `jobs` of them run at once.
  public func concurrentCalls(jobs: Int) -> Int { jobs }

  static let base = "irc_EXT"

  /// The input of one call: the XYZ file, the `.extinp.tmp` naming it, the command line.
  public func input(symbols: [String], positions: Vector) -> ProgramInput {
    ProgramInput(
      files: [
        ("\(Self.base).xyz", EngineOutput.xyz(symbols: symbols, positions: positions)),
        ("\(Self.base).extinp.tmp", "\(Self.base).xyz\n\(charge)\n\(multiplicity)\n\(cores)\n1\n"),
      ],
      arguments: command + ["\(Self.base).extinp.tmp"])
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
    return try call.run(phases: &phases) { folder throws(EngineFailure.Cause) in
      try Self.parseEngrad(
        EngineOutput.text("\(Self.base).engrad", in: folder), atoms: symbols.count)
    }
  }

  /// Reads an `.engrad` text for `atoms` atoms; the gradient comes back in hartree/Å.
  static func parseEngrad(_ text: String, atoms: Int) throws(EngineFailure.Cause) -> EngineResult {
    var numbers: [Double] = []
    for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() {
      let trimmed = EngineOutput.trimmed(line)
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      for token in trimmed.split(whereSeparator: \.isWhitespace) {
        guard let value = EngineOutput.number(token) else {
          throw .unreadableOutput(
            "\(base).engrad line \(index + 1): \"\(token)\" is not a number")
        }
        numbers.append(value)
      }
    }
    guard let count = numbers.first else { throw .unreadableOutput("\(base).engrad is empty") }
    guard count == count.rounded(), count >= 0 else {
      throw .unreadableOutput("\(base).engrad: the atom count \(count) is not a whole number")
    }
    guard Int(count) == atoms else { throw .wrongAtomCount(expected: atoms, found: Int(count)) }
    guard numbers.count >= 2 + 3 * atoms else {
      throw .unreadableOutput(
        "\(base).engrad ends after \(numbers.count) numbers; \(2 + 3 * atoms) expected "
          + "(the atom count, the energy, 3 × \(atoms) gradient components)")
    }
    let gradient = Vector(numbers[2..<(2 + 3 * atoms)].map { $0 / AtomicUnits.bohr })
    return EngineResult(energy: numbers[1], gradient: gradient)
  }
}
