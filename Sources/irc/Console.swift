import Foundation

/// The executable's streams: stdout for results, stderr for the log when stdout carries
/// JSON, and for errors. Text is buffered and flushed in large writes.
final class Console: @unchecked Sendable {
  private var outBuffer = ""
  private var errBuffer = ""
  /// Where the human-readable log goes: stdout normally, stderr under `--json`.
  var logToStandardError = false

  func out(_ text: String) {
    outBuffer += text
    if outBuffer.utf8.count > 1 << 16 { flush() }
  }

  func err(_ text: String) {
    errBuffer += text
    if errBuffer.utf8.count > 1 << 16 { flush() }
  }

  func log(_ text: String) { logToStandardError ? err(text) : out(text) }

  func flush() {
    if !outBuffer.isEmpty {
      FileHandle.standardOutput.write(Data(outBuffer.utf8))
      outBuffer = ""
    }
    if !errBuffer.isEmpty {
      FileHandle.standardError.write(Data(errBuffer.utf8))
      errBuffer = ""
    }
  }

  deinit { flush() }
}

/// Exit codes of `shared/reference/outputs.md`.
enum ExitCode: Int32 {
  case success = 0
  /// The input was understood but cannot be used.
  case unusableInput = 1
  /// The computation ran but did not reach its goal.
  case goalNotReached = 2
  /// A usage error (EX_USAGE).
  case usage = 64
}

/// An error that ends a command with a message and an exit code.
struct CommandError: Error {
  var message: String
  var code: ExitCode = .unusableInput
}

/// The outputs of a command that produces a path (`trace`, `neb`): `--xyz`, `--csv`, the
/// figure and the JSON summary, all checked before anything is loaded or computed.
struct PathOutputs {
  var files: OutputTransaction
  var figure: FigureOptions
  /// Under `--json` stdout holds only the document: the log moves to stderr.
  var json: Bool

  init(_ arguments: ParsedArguments, spec: CommandSpec, console: Console) throws {
    json = arguments.has("--json")
    console.logToStandardError = json
    figure = try FigureOptions(arguments, spec: spec)
    files = try OutputTransaction(
      [
        ("--xyz", arguments.values["--xyz"]), ("--csv", arguments.values["--csv"]),
        ("--svg", figure.svgPath),
      ], spec: spec)
  }
}
