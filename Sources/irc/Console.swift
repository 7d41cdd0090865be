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

/// Output files: checked before any computation, written whole or not at all.
enum OutputFile {
  /// The absolute, standardised form of a path, to tell whether two spellings name the
  /// same file.
  static func canonical(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
  }

  /// Refuses two output options that name the same file: one would overwrite the other.
  /// `outputs` pairs each option with its path, nil when not given.
  static func checkDistinct(_ outputs: [(option: String, path: String?)], spec: CommandSpec)
    throws(UsageError)
  {
    let given = outputs.compactMap { output in output.path.map { (output.option, $0) } }
    for (i, first) in given.enumerated() {
      for second in given[(i + 1)...] where canonical(first.1) == canonical(second.1) {
        throw UsageError(
          message: "\(first.0) and \(second.0) name the same file '\(first.1)'", command: spec)
      }
    }
  }

  /// Refuses a path whose directory does not exist or is not writable, or that is a
  /// directory, so that a run which cannot write its results does not start.
  static func check(_ path: String, option: String) throws(CommandError) {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw CommandError(message: "\(option) \(path): the directory \(directory) does not exist")
    }
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      throw CommandError(message: "\(option) \(path): is a directory; give a file name")
    }
    guard FileManager.default.isWritableFile(atPath: directory) else {
      throw CommandError(message: "\(option) \(path): the directory \(directory) is not writable")
    }
  }

  /// Writes `text` to a temporary file beside `path` and renames it into place, so a
  /// reader never sees half a file.
  static func write(_ text: String, to path: String) throws(CommandError) {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent()
      .appendingPathComponent(
        ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
    do {
      try Data(text.utf8).write(to: temporary)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw CommandError(message: "cannot write \(path): \(error.localizedDescription)")
    }
    // rename(2) replaces an existing file in one step (FileManager.replaceItemAt does not
    // work on Linux in this toolchain).
    guard rename(temporary.path, url.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw CommandError(message: "cannot write \(path): \(reason)")
    }
  }
}

/// The outputs of a command that produces a path (`trace`, `neb`): `--xyz`, `--csv`, the
/// figure and the JSON summary, all checked before anything is loaded or computed.
struct PathOutputs {
  var xyzPath: String?
  var csvPath: String?
  var figure: FigureOptions
  /// Under `--json` stdout holds only the document: the log moves to stderr.
  var json: Bool

  init(_ arguments: ParsedArguments, spec: CommandSpec, console: Console) throws {
    xyzPath = arguments.values["--xyz"]
    csvPath = arguments.values["--csv"]
    try OutputFile.checkDistinct(
      [("--xyz", xyzPath), ("--csv", csvPath), ("--svg", arguments.values["--svg"])], spec: spec)
    json = arguments.has("--json")
    console.logToStandardError = json
    figure = try FigureOptions(arguments, spec: spec)
    try figure.checkOutput()
    if let xyzPath { try OutputFile.check(xyzPath, option: "--xyz") }
    if let csvPath { try OutputFile.check(csvPath, option: "--csv") }
  }
}
