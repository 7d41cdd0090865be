import Dispatch
import Foundation
import IRCKit

/// What one call of a program engine writes and runs: the input files (name and text),
/// the command line and the variables set on top of the tool's environment. One home for
/// an engine's input, shared by its calls and by the overhead benchmark's bare runs.
public struct ProgramInput: Sendable, Equatable {
  public var files: [(name: String, text: String)]
  public var arguments: [String]
  public var environment: [String: String]

  public init(
    files: [(name: String, text: String)], arguments: [String], environment: [String: String] = [:]
  ) {
    self.files = files
    self.arguments = arguments
    self.environment = environment
  }

  public static func == (lhs: ProgramInput, rhs: ProgramInput) -> Bool {
    lhs.files.map(\.name) == rhs.files.map(\.name) && lhs.files.map(\.text) == rhs.files.map(\.text)
      && lhs.arguments == rhs.arguments && lhs.environment == rhs.environment
  }

  /// Writes the input files into `folder` with one `write(2)` each: no temporary and
  /// rename, no `fsync` (the folder is private and lives for one call).
  func write(in folder: String) throws(EngineFailure.Cause) {
    for file in files {
      let path = folder + "/" + file.name
      let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else {
        throw .unreadableOutput(
          "the input \(path) could not be written: \(String(cString: strerror(errno)))")
      }
      defer { close(descriptor) }
      var bytes = Array(file.text.utf8)
      var offset = 0
      while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { buffer in
          Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else {
          throw .unreadableOutput(
            "the input \(path) could not be written: \(String(cString: strerror(errno)))")
        }
        offset += written
      }
    }
  }
}

/// Where the wall time of one program call went, in seconds: the tool's own phases around
/// the program's run. `run` is the program from spawn to reaped exit (its own compute
/// included) plus reading the tail of its stderr.
public struct CallPhases: Sendable, Equatable {
  public var folder = 0.0
  public var write = 0.0
  public var run = 0.0
  public var parse = 0.0
  public var cleanup = 0.0

  public init() {}

  public var total: Double { folder + write + run + parse + cleanup }
}

/// An engine that runs a program per call (`xtb`, `external`): its input can be shown, and
/// a call can report where its time went (the overhead benchmark reads both).
public protocol ProgramEngine: Engine {
  /// What one call at this geometry writes and runs.
  func input(symbols: [String], positions: Vector) -> ProgramInput
  /// `evaluate`, with the wall time of each phase recorded in `phases`.
  func evaluate(
    symbols: [String], positions: Vector, phases: inout CallPhases
  ) throws(EngineFailure) -> EngineResult
}

/// One call of a program engine, in the three steps pysisyphus's subprocess calculators
/// use: prepare the input in a fresh folder, run the program there, parse its output.
/// The folder is removed afterwards, whatever happened.
struct ProgramCall {
  var engine: String
  var symbols: [String]
  var positions: Vector
  var input: ProgramInput
  var timeout: Double?

  func run(
    phases: inout CallPhases, parse: (URL) throws(EngineFailure.Cause) -> EngineResult
  ) throws(EngineFailure) -> EngineResult {
    func failure(_ cause: EngineFailure.Cause, _ stderr: [String] = []) -> EngineFailure {
      EngineFailure(engine, cause, symbols: symbols, positions: positions, stderr: stderr)
    }
    var clock = PhaseClock()
    let folder: URL
    do {
      folder = try ScratchFolder.make()
    } catch {
      throw failure(.unreadableOutput("no scratch folder could be made: \(error)"))
    }
    phases.folder = clock.lap()
    defer {
      ScratchFolder.removeLater(folder.path)
      phases.cleanup = clock.lap()
    }
    do {
      try input.write(in: folder.path)
    } catch {
      throw failure(error)
    }
    phases.write = clock.lap()
    let process = Subprocess(
      arguments: input.arguments, directory: folder.path, timeout: timeout,
      environment: input.environment)
    let outcome = process.spawnAndWait(whileRunning: ScratchFolder.finishRemovals)
    phases.run = clock.lap()
    // Read only on a failure; every failure below carries it.
    var stderr: [String] { process.stderrTail() }
    switch outcome {
    case .cannotStart(let reason):
      throw failure(.missingProgram("\(input.arguments[0]) (\(reason))"), stderr)
    case .timedOut: throw failure(.timeout(seconds: timeout ?? 0), stderr)
    case .signalled(let signal): throw failure(.signal(signal), stderr)
    case .exited(let status) where status != 0: throw failure(.exitStatus(status), stderr)
    case .exited: break
    }
    let result: EngineResult
    do {
      result = try parse(folder)
    } catch {
      throw failure(error, stderr)
    }
    phases.parse = clock.lap()
    guard result.gradient.count == positions.count else {
      throw failure(
        .wrongAtomCount(expected: symbols.count, found: result.gradient.count / 3), stderr)
    }
    guard result.energy.isFinite, result.gradient.isFinite else {
      throw failure(.nonFiniteOutput, stderr)
    }
    return result
  }
}

/// Laps of the monotonic clock, in seconds.
struct PhaseClock {
  private var last = DispatchTime.now().uptimeNanoseconds

  mutating func lap() -> Double {
    let now = DispatchTime.now().uptimeNanoseconds
    defer { last = now }
    return Double(now - last) / 1e9
  }
}

/// A fresh, private folder for one engine call under `$TMPDIR` (or /tmp).
///
/// A finished call's folder is not removed on the call's path: unlinking the side files of
/// a just-finished xtb run took 1–5 ms on a loaded ext4 disk, more than the rest of the
/// tool's work per call. It is queued, and the next call removes the queued folders while
/// its program runs (time the tool spends waiting anyway); `finishRemovals` removes what is
/// left, and a command calls it before it exits.
public enum ScratchFolder {
  private static let pending = Locked([String]())

  static func removeLater(_ path: String) {
    pending.withLock { $0.append(path) }
  }

  /// Removes every queued folder.
  public static func finishRemovals() {
    let paths = pending.withLock { paths -> [String] in
      defer { paths = [] }
      return paths
    }
    for path in paths { remove(path) }
  }

  static func make() throws -> URL {
    let base =
      ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "/tmp"
    var template = Array((base + "/irc-engine-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard made != nil else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: base])
    }
    return URL(fileURLWithPath: String(cString: template), isDirectory: true)
  }

  /// Removes a call's folder and the files in it, unlinking by name in one pass; anything
  /// that resists (a subfolder a program made) is left to the general, slower removal.
  static func remove(_ path: String) {
    guard let directory = opendir(path) else { return }
    var leftOver = false
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
      }
      if name == "." || name == ".." { continue }
      if unlinkat(dirfd(directory), name, 0) != 0 { leftOver = true }
    }
    closedir(directory)
    if leftOver || rmdir(path) != 0 {
      try? FileManager.default.removeItem(atPath: path)
    }
  }
}

/// Reading the numbers engines write.
enum EngineOutput {
  /// A number as Fortran programs write it: `1.5E-02`, `1.5D-02`, `-.5d0`.
  static func number(_ token: Substring) -> Double? {
    if let value = Double(token) { return value }
    return Double(String(token.map { $0 == "D" || $0 == "d" ? "E" : $0 }))
  }

  /// A line without leading and trailing whitespace (Foundation's `trimmingCharacters` cost
  /// more than the rest of parsing an xtb gradient file).
  static func trimmed(_ line: Substring) -> Substring {
    let start = line.drop(while: \.isWhitespace)
    var end = start.endIndex
    while end > start.startIndex, start[start.index(before: end)].isWhitespace {
      end = start.index(before: end)
    }
    return start[..<end]
  }

  /// The text of `name` in `folder`, or why there is none: one `open` and `read`s into a
  /// buffer (FileManager's `contents(atPath:)` cost a tenth of a millisecond more per file).
  static func text(_ name: String, in folder: URL) throws(EngineFailure.Cause) -> String {
    let descriptor = open(folder.path + "/" + name, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadableOutput("the program wrote no \(name) file") }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else {
        throw .unreadableOutput(
          "the \(name) file could not be read: \(String(cString: strerror(errno)))")
      }
      if count == 0 { break }
      bytes += chunk[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// An XYZ frame in Å with every coordinate written to round-trip precision, so that the
  /// engine sees exactly the geometry the tool means.
  static func xyz(symbols: [String], positions: Vector, comment: String = "") -> String {
    var text = "\(symbols.count)\n\(comment)\n"
    for (atom, symbol) in symbols.enumerated() {
      let xyz = (0..<3).map { "\(positions[3 * atom + $0])" }
      text += "\(symbol) \(xyz.joined(separator: " "))\n"
    }
    return text
  }
}
