/// A failed call of an external engine: which engine, why, its last words on stderr and
/// the geometry it was given, so that a user can rerun that one calculation by hand.
///
/// The library only carries it (inside `EvaluationError.engine`); the engines that raise
/// it live in the `IRCEngines` target.
public struct EngineFailure: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public enum Cause: Error, Sendable, Equatable, CustomStringConvertible {
    /// The program could not be started (not found, not executable).
    case missingProgram(String)
    /// The program exited with a non-zero status.
    case exitStatus(Int32)
    /// The call took longer than the per-call limit (seconds) and was killed.
    case timeout(seconds: Double)
    /// The program was killed by a signal it did not ask for.
    case signal(Int32)
    /// The output was missing or could not be parsed; `detail` says what and where.
    case unreadableOutput(String)
    /// The output parsed but holds a NaN or an infinity.
    case nonFiniteOutput
    /// The output is for another number of atoms.
    case wrongAtomCount(expected: Int, found: Int)
    /// A connected engine (a socket client) broke the conversation; `detail` says how.
    case connection(String)
    /// The value was computed but could not be recorded in the checkpoint (a full disk):
    /// using it would break the promise that a rerun replays everything before it.
    case checkpoint(String)

    public var description: String {
      switch self {
      case .missingProgram(let program):
        return "the program \(program) cannot be started (is it installed and on PATH?)"
      case .exitStatus(let status): return "it exited with status \(status)"
      case .timeout(let seconds):
        return
          "it did not finish within the time limit of \(NumberFormat.significant(seconds, 6)) s"
      case .signal(let signal): return "it was killed by signal \(signal)"
      case .unreadableOutput(let detail): return "its output cannot be read: \(detail)"
      case .nonFiniteOutput: return "its output holds a value that is not finite"
      case .wrongAtomCount(let expected, let found):
        return "its output is for \(found) atoms, not \(expected)"
      case .connection(let detail): return "the connection failed: \(detail)"
      case .checkpoint(let detail): return "its result could not be recorded: \(detail)"
      }
    }
  }

  /// The engine's name as the potential file gives its kind (`xtb`, `external`, `ipi`).
  public var engine: String
  public var cause: Cause
  /// The last lines the engine wrote to its standard error (at most a few), oldest first.
  public var stderrTail: [String]
  /// Element symbols of the geometry that failed.
  public var symbols: [String]
  /// The Cartesian positions (Å, x₁ y₁ z₁ x₂ …) of the geometry that failed.
  public var positions: Vector

  public init(
    engine: String, cause: Cause, stderrTail: [String] = [], symbols: [String],
    positions: Vector
  ) {
    self.engine = engine
    self.cause = cause
    self.stderrTail = stderrTail
    self.symbols = symbols
    self.positions = positions
  }

  public var description: String { "the \(engine) engine failed: \(cause)" }
}
