import Dispatch
import Foundation

/// Runs one engine program to completion in a given folder, with a time limit.
///
/// The program gets its own process group, so a timeout kills everything it started (a
/// wrapper script, `srun`, the program itself). Its standard error goes to a file in the
/// folder and its standard output to /dev/null (no pipe can fill and block it, and no
/// grandchild holding a pipe can keep the tool waiting); the last lines of the error file
/// are returned. The child is always reaped: no zombie is left behind.
struct Subprocess {
  /// How a run ended.
  enum Outcome: Equatable {
    /// The program exited with this status.
    case exited(Int32)
    /// A signal ended the program that the tool did not send.
    case signalled(Int32)
    /// The time limit passed and the tool killed the process group.
    case timedOut
    /// The program could not be started: the reason.
    case cannotStart(String)
  }

  /// The number of stderr lines a failure carries: enough for an error message and its
  /// context, few enough to print.
  static let stderrTailLines = 10
  static let stderrFile = "engine.stderr"

  var arguments: [String]
  var directory: String
  /// Seconds; nil for no limit.
  var timeout: Double?
  /// Variables set for the child on top of the tool's environment.
  var environment: [String: String] = [:]

  /// Runs the program and returns how it ended with the tail of its stderr.
  func run() -> (outcome: Outcome, stderrTail: [String]) {
    let outcome = spawnAndWait(whileRunning: {})
    return (outcome, stderrTail())
  }

  /// The last lines of the program's stderr: read only when a caller needs them (a failed
  /// call), not on every call.
  func stderrTail() -> [String] {
    Self.tail(of: directory + "/" + Self.stderrFile)
  }

  /// The tool's environment, read once: building it from `environ` on every call cost more
  /// than the rest of the spawn's preparation.
  static let inheritedEnvironment = ProcessInfo.processInfo.environment

  /// Spawns the program, does `whileRunning` (work for the time the tool would only
  /// wait), then waits for the program.
  func spawnAndWait(whileRunning: () -> Void) -> Outcome {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let flags = O_WRONLY | O_CREAT | O_TRUNC
    // Standard output is never read (the call's folder is removed after it), and xtb writes
    // 13 kB of log per call: it goes nowhere rather than to a file.
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, directory + "/" + Self.stderrFile, flags, 0o644)
    var arguments = arguments
    if let addChdir = Self.addChdir {
      _ = addChdir(&actions, directory)
    } else {
      // A C library without posix_spawn_file_actions_addchdir_np (glibc < 2.29): a shell
      // changes folder, then becomes the program.
      arguments = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A process group of its own (pgid = its pid) so that a timeout can kill the tree.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
    posix_spawnattr_setpgroup(&attributes, 0)
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)

    var pid: pid_t = 0
    let status = withCStrings(arguments + environmentStrings()) { pointers in
      let argv = Array(pointers[0..<arguments.count]) + [nil]
      let envp = Array(pointers[arguments.count...]) + [nil]
      return posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
    }
    guard status == 0 else {
      return .cannotStart(String(cString: strerror(status)))
    }
    whileRunning()
    return wait(for: pid)
  }

  /// Waits for `pid`, killing its group once the time limit passes. The child is not
  /// reaped until the timer can no longer fire, so the pid cannot be reused under it.
  private func wait(for pid: pid_t) -> Outcome {
    let state = Locked((finished: false, killed: false))
    var timer: DispatchWorkItem?
    if let timeout {
      let item = DispatchWorkItem {
        state.withLock { state in
          guard !state.finished else { return }
          state.killed = true
          kill(-pid, SIGKILL)
        }
      }
      DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: item)
      timer = item
    }
    var info = siginfo_t()
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
    let killed = state.withLock { state -> Bool in
      state.finished = true
      return state.killed
    }
    timer?.cancel()
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if killed {
      // The group may outlive its leader (a wrapper's children): make sure it is gone.
      kill(-pid, SIGKILL)
      return .timedOut
    }
    let signal = status & 0x7f
    return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
  }

  /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29 and later), which the Glibc
  /// module does not export: the child changes folder without the tool doing so (a
  /// process-wide `chdir` would move every thread of the tool).
  private static let addChdir:
    (
      @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) ->
        Int32
    )? = {
      guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
      return unsafeBitCast(
        symbol,
        to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>)
          -> Int32).self)
    }()

  private func environmentStrings() -> [String] {
    var merged = Self.inheritedEnvironment
    for (key, value) in environment { merged[key] = value }
    return merged.map { "\($0.key)=\($0.value)" }
  }

  /// The last `stderrTailLines` non-empty lines of a file, at most the last 64 kB of it.
  static func tail(of path: String) -> [String] {
    guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()) ?? 0
    let window: UInt64 = 65_536
    try? handle.seek(toOffset: size > window ? size - window : 0)
    let data = (try? handle.readToEnd()) ?? Data()
    let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    return Array(lines.suffix(stderrTailLines))
  }
}

/// Calls `body` with C strings for `strings`, valid during the call.
private func withCStrings<Result>(
  _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result
) -> Result {
  let pointers = strings.map { strdup($0) }
  defer { for pointer in pointers { free(pointer) } }
  return body(pointers)
}
