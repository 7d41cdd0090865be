import Foundation
import Glibc

/// The files one run writes, written as a set: all or none.
///
/// A command names its outputs before it computes anything (`init` refuses two options
/// naming one file and a folder that cannot take the file), names its inputs once it has
/// found them (`refuseOverwriting` refuses an output that is an input), stages each
/// output's text (`stage`: a complete, flushed temporary file that has no name yet), and
/// finally puts them all in place at once (`commit`). A run that fails before `commit`, by
/// an error, a full disk, SIGINT or SIGTERM, leaves the folder as it found it; SIGKILL
/// can leave at most complete files named `.irc-tmp-…` (see `StagedFile`).
final class OutputTransaction {
  /// An output option and the path it was given.
  struct Output {
    var option: String
    var path: String
  }

  let outputs: [Output]
  private var staged: [(file: StagedFile, summary: String)] = []
  private var committed = false

  /// Checks the outputs given (nil paths are options not given).
  init(_ given: [(option: String, path: String?)], spec: CommandSpec) throws {
    outputs = given.compactMap { option, path in path.map { Output(option: option, path: $0) } }
    for (index, first) in outputs.enumerated() {
      for second in outputs[(index + 1)...]
      where FileIdentity(first.path).isSame(as: FileIdentity(second.path)) {
        throw UsageError(
          message: "\(first.option) and \(second.option) name the same file '\(first.path)'",
          command: spec)
      }
    }
    for output in outputs { try Self.checkWritable(output) }
  }

  /// The path given to `option`, nil when the option was not given.
  func path(_ option: String) -> String? {
    outputs.first { $0.option == option }?.path
  }

  /// Refuses (exit 64) an output that would replace an input: the same path after
  /// resolving links, or the same file (device and inode) under another name.
  /// `inputs` pairs what each input is (for the message) with its path.
  func refuseOverwriting(_ inputs: [(what: String, path: String)], spec: CommandSpec)
    throws(UsageError)
  {
    for input in inputs {
      let identity = FileIdentity(input.path)
      for output in outputs where identity.isSame(as: FileIdentity(output.path)) {
        throw UsageError(
          message: "\(output.option) '\(output.path)' is the \(input.what) '\(input.path)'; "
            + "writing it would destroy the input: choose another file name",
          command: spec)
      }
    }
  }

  /// Writes the text of `option`'s output to its temporary file; `summary` follows the path
  /// in the log line that reports it written. Does nothing for an option not given.
  func stage(_ text: String, for option: String, summary: String) throws(CommandError) {
    guard let path = path(option) else { return }
    let file = try StagedFile(for: path)
    staged.append((file, summary))
    try file.write(text)
  }

  /// Puts every staged file in place, with SIGINT and SIGTERM held until all are, and logs
  /// each one.
  func commit(console: Console) throws(CommandError) {
    try SignalGuard.critical { () throws(CommandError) in
      for index in staged.indices { try staged[index].file.link() }
      for index in staged.indices {
        do throws(CommandError) {
          try staged[index].file.rename()
        } catch {
          guard index > 0 else { throw error }
          let done = staged[..<index].map(\.file.path).joined(separator: ", ")
          throw CommandError(message: error.message + " (but \(done) already replaced)")
        }
      }
      committed = true
      if !staged.isEmpty { SignalGuard.committed.store(true, ordering: .releasing) }
      SignalGuard.unregisterAll()
    }
    for entry in staged {
      console.log("wrote \(entry.file.path) \(entry.summary)\n")
    }
  }

  /// Removes the temporary files of a run that did not commit, and closes every file.
  deinit {
    for entry in staged { entry.file.finish() }
    if !committed { SignalGuard.unregisterAll() }
  }

  /// Refuses a path whose folder does not exist or is not writable, or that is a folder,
  /// so that a run which cannot write its results does not start.
  private static func checkWritable(_ output: Output) throws(CommandError) {
    let (option, path) = (output.option, output.path)
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
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
}

/// What a path names: its fully resolved form, and the file (device, inode) when it exists,
/// so that a symbolic link, a hard link or another spelling of one file is seen as one.
struct FileIdentity {
  var resolvedPath: String
  var device: UInt64?
  var inode: UInt64?

  init(_ path: String) {
    let url = URL(fileURLWithPath: path)
    if let full = Self.realPath(url.path) {
      resolvedPath = full
    } else {
      let folder = url.deletingLastPathComponent().path
      resolvedPath = (Self.realPath(folder) ?? folder) + "/" + url.lastPathComponent
    }
    var status = stat()
    if stat(url.path, &status) == 0 {
      device = UInt64(status.st_dev)
      inode = UInt64(status.st_ino)
    }
  }

  func isSame(as other: FileIdentity) -> Bool {
    if resolvedPath == other.resolvedPath { return true }
    guard let device, let inode else { return false }
    return device == other.device && inode == other.inode
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
