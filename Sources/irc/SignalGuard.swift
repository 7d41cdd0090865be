import Glibc
import Synchronization

/// SIGINT and SIGTERM end a run with exit 130 or 143 (128 + the signal, as shells report
/// it) and take the run's named temporary files with them.
///
/// A signal handler may only do async-signal-safe work (POSIX.1-2017, System Interfaces,
/// 2.4.3 "Signal Actions"): this one reads atomics, calls `unlink(2)` on paths kept in a
/// buffer allocated before the handlers are installed, `write(2)`s a fixed message and
/// `_exit(2)`s. Nothing allocates, locks or touches Swift objects.
///
/// Work that must not be cut in half (creating and registering a temporary file, putting
/// the whole output set in place) runs in `critical(_:)`: a signal that arrives meanwhile
/// is held and honoured as soon as the section ends, so the folder never holds half a set.
enum SignalGuard {
  /// The signals a user sends to stop a run: Ctrl-C and `kill`'s default.
  static let handled: [Int32] = [SIGINT, SIGTERM]
  /// Named temporary files registered at once; a run writes at most four outputs.
  static let slotCount = 16
  /// Bytes per registered path, the terminating NUL included (Linux's PATH_MAX).
  static let slotBytes = Int(PATH_MAX)

  /// 0: a signal may act at once; 1: a critical section runs; 2: a handler is cleaning up.
  fileprivate static let state = Atomic<Int>(0)
  /// The signal held during a critical section, 0 for none.
  fileprivate static let pending = Atomic<Int32>(0)
  /// Whether this run's outputs are in place: an interrupt after that changed files.
  static let committed = Atomic<Bool>(false)
  /// How many slots of `paths` hold a registered temporary file.
  fileprivate static let registered = Atomic<Int>(0)
  /// `slotCount` NUL-terminated paths, allocated once by `install()`.
  nonisolated(unsafe) fileprivate static var paths: UnsafeMutablePointer<CChar>?

  /// Installs the handlers, unless the signal was ignored when `irc` started (a background
  /// job of a non-interactive shell ignores SIGINT, and must keep doing so). Unblocks both:
  /// a process started from a thread that blocks them would otherwise never see them.
  static func install() {
    paths = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * slotBytes)
    paths?.initialize(repeating: 0, count: slotCount * slotBytes)
    _ = state.load(ordering: .relaxed)
    _ = pending.load(ordering: .relaxed)
    _ = registered.load(ordering: .relaxed)
    _ = committed.load(ordering: .relaxed)
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for signal in handled {
      var previous = sigaction()
      sigaction(signal, nil, &previous)
      let ignored =
        unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self)
        == unsafeBitCast(SIG_IGN, to: Int.self)
      if ignored { continue }
      var action = sigaction()
      action.__sigaction_handler.sa_handler = onSignal
      sigemptyset(&action.sa_mask)
      for other in handled { sigaddset(&action.sa_mask, other) }
      action.sa_flags = SA_RESTART
      sigaction(signal, &action, nil)
      sigaddset(&unblock, signal)
    }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
  }

  /// Registers a named temporary file for removal by a signal. Call it inside `critical`,
  /// right after creating the file. Returns false when every slot is taken or the path is
  /// too long, and the caller must not create a named file.
  static func register(_ path: String) -> Bool {
    guard let paths else { return true }
    let index = registered.load(ordering: .acquiring)
    let bytes = Array(path.utf8)
    guard index < slotCount, bytes.count < slotBytes else { return false }
    let slot = paths + index * slotBytes
    for (offset, byte) in bytes.enumerated() { slot[offset] = CChar(bitPattern: byte) }
    slot[bytes.count] = 0
    registered.store(index + 1, ordering: .releasing)
    return true
  }

  /// Forgets every registered file: they were renamed into place or removed.
  static func unregisterAll() {
    registered.store(0, ordering: .releasing)
  }

  /// Runs `body` with SIGINT and SIGTERM held; a signal that arrived meanwhile then ends
  /// the run as it would have, after `body` completed. Not re-entrant: never nest it.
  static func critical<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
    while !state.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing)
      .exchanged
    {
      // A handler is cleaning up on another thread and is about to end the process.
      pause()
    }
    defer {
      state.store(0, ordering: .releasing)
      let signal = pending.exchange(0, ordering: .acquiringAndReleasing)
      if signal != 0 { onSignal(signal) }
    }
    return try body()
  }
}

/// The messages written on an interrupt, static so that nothing is built in a handler.
private let interruptedMessage: StaticString =
  "\nirc: interrupted; no output file was changed (temporary files removed)\n"
private let interruptedAfterCommitMessage: StaticString =
  "\nirc: interrupted; every output file had already been written whole\n"

/// Removes the registered temporary files and ends the process with 128 + `signal`, or,
/// inside a critical section, holds the signal for its end.
private func onSignal(_ signal: Int32) {
  guard
    SignalGuard.state.compareExchange(
      expected: 0, desired: 2, ordering: .acquiringAndReleasing
    ).exchanged
  else {
    SignalGuard.pending.store(signal, ordering: .releasing)
    return
  }
  if let paths = SignalGuard.paths {
    let count = min(SignalGuard.registered.load(ordering: .acquiring), SignalGuard.slotCount)
    for index in 0..<count { unlink(paths + index * SignalGuard.slotBytes) }
  }
  let message =
    SignalGuard.committed.load(ordering: .acquiring)
    ? interruptedAfterCommitMessage : interruptedMessage
  _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
  _exit(128 + signal)
}
