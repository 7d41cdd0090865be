import Foundation

/// The built `irc` (or any program) started in the background, so that a test can watch it
/// and send it signals while it runs.
final class ChildProcess {
  let process = Process()
  private let scratch: TemporaryDirectory

  /// How a child ended: its exit status, or the signal that killed it.
  enum Ending: Equatable, CustomStringConvertible {
    case exit(Int32)
    case signal(Int32)

    var description: String {
      switch self {
      case .exit(let status): return "exit \(status)"
      case .signal(let number): return "killed by signal \(number)"
      }
    }
  }

  /// Starts `executable` (default: the built `irc`) with `arguments` in `directory`.
  init(_ arguments: [String], executable: URL? = nil, in directory: URL) throws {
    scratch = try TemporaryDirectory(prefix: "irc-child")
    process.executableURL = try executable ?? IRC.executable()
    process.arguments = arguments
    var variables = ProcessInfo.processInfo.environment
    variables["IRC_POTENTIALS"] = nil
    process.environment = variables
    process.currentDirectoryURL = directory
    try Data().write(to: scratch.file("stdout"))
    try Data().write(to: scratch.file("stderr"))
    process.standardOutput = try FileHandle(forWritingTo: scratch.file("stdout"))
    process.standardError = try FileHandle(forWritingTo: scratch.file("stderr"))
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    scratch.remove()
  }

  var stderr: String {
    (try? String(contentsOf: scratch.file("stderr"), encoding: .utf8)) ?? ""
  }

  /// Waits for the end, killing the child after `timeout` (and failing).
  func wait(timeout: Duration = .seconds(60)) async throws -> Ending {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      if ContinuousClock.now >= deadline {
        kill(process.processIdentifier, SIGKILL)
        throw IRC.RunError(description: "the child did not finish within \(timeout)")
      }
      try await Task.sleep(for: .milliseconds(2))
    }
    process.waitUntilExit()
    return process.terminationReason == .uncaughtSignal
      ? .signal(process.terminationStatus) : .exit(process.terminationStatus)
  }

  /// Waits until the child holds a file open inside `folder` (an output being written;
  /// an unnamed `O_TMPFILE` shows as `folder/#inode (deleted)`), then after `delay` sends
  /// it `signal`, if one is given. Returns false if the child ended before it opened one.
  ///
  /// The watch runs on a thread of its own: the tests' shared threads may all be busy with
  /// other suites, and a watcher waiting for one of them would miss the window.
  func signal(
    _ signal: Int32?, whenWritingIn folder: URL, after delay: Duration = .zero,
    timeout: Duration = .seconds(30)
  ) async -> Bool {
    let pid = process.processIdentifier
    let prefix = folder.resolvingSymlinksInPath().path + "/"
    return await withCheckedContinuation { continuation in
      Thread.detachNewThread {
        let opened = Self.watch(pid, prefix: prefix, timeout: timeout)
        if opened {
          let (seconds, attoseconds) = delay.components
          usleep(useconds_t(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
          if let signal { kill(pid, signal) }
        }
        continuation.resume(returning: opened)
      }
    }
  }

  /// How long the child runs after it opens a file inside `folder`, watched on a thread of
  /// its own; nil if it ended before it opened one.
  func writeWindow(in folder: URL) async -> Duration? {
    let pid = process.processIdentifier
    let prefix = folder.resolvingSymlinksInPath().path + "/"
    return await withCheckedContinuation { continuation in
      Thread.detachNewThread {
        guard Self.watch(pid, prefix: prefix, timeout: .seconds(30)) else {
          return continuation.resume(returning: nil)
        }
        let opening = ContinuousClock.now
        while let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let state = stat.split(separator: ")").last?.split(separator: " ").first,
          state != "Z" && state != "X"
        {
          usleep(200)
        }
        continuation.resume(returning: ContinuousClock.now - opening)
      }
    }
  }

  /// Polls `/proc/<pid>/fd` for a descriptor whose target starts with `prefix`.
  private static func watch(_ pid: Int32, prefix: String, timeout: Duration) -> Bool {
    let descriptors = "/proc/\(pid)/fd"
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      guard let entries = try? FileManager.default.contentsOfDirectory(atPath: descriptors)
      else { return false }
      for entry in entries {
        if let target = try? FileManager.default.destinationOfSymbolicLink(
          atPath: descriptors + "/" + entry), target.hasPrefix(prefix)
        {
          return true
        }
      }
      usleep(200)
    }
    return false
  }
}

extension TemporaryDirectory {
  /// Every entry of the folder, hidden ones included, with its bytes (nil for a symbolic
  /// link or anything else that is not a regular file).
  func snapshot() throws -> [String: Data?] {
    var result: [String: Data?] = [:]
    for name in try contents() {
      let attributes = try FileManager.default.attributesOfItem(atPath: file(name).path)
      result[name] =
        attributes[.type] as? FileAttributeType == .typeRegular
        ? try Data(contentsOf: file(name)) : nil
    }
    return result
  }
}
