import Glibc
import IRCKit

/// A point in time on the monotonic clock, in seconds: what every wait is bounded by.
struct IPIDeadline: Sendable {
  var time: Double

  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
  }

  static func after(seconds: Double) -> IPIDeadline { IPIDeadline(time: now() + seconds) }

  /// Milliseconds left for `poll`, rounded up so that a wait never ends early; 0 once passed.
  var pollMilliseconds: Int32 {
    let left = time - Self.now()
    guard left > 0 else { return 0 }
    return Int32(min((left * 1000).rounded(.up), Double(Int32.max)))
  }
}

/// One connected, non-blocking stream socket with bounded sends and buffered receives.
///
/// Reads and writes are tried first and waited for (`poll`) only when the socket is not
/// ready. A read takes whatever has arrived, up to the buffer's size, so that a reply sent
/// in one piece (FORCEREADY's header, energy, forces, virial and extra string) costs one
/// system call rather than one per field. Writes use `MSG_NOSIGNAL`: a client that has gone
/// away yields an error, not a SIGPIPE that would kill the tool.
final class IPIConnection {
  private(set) var descriptor: Int32
  /// Bytes received and not yet consumed are `buffer[head..<tail]`.
  private var buffer = [UInt8](repeating: 0, count: IPIConnection.readSize)
  private var head = 0
  private var tail = 0
  /// The most one read asks for (a larger message grows the buffer): the FORCEREADY of
  /// 2,700 atoms, far more than any header exchange.
  static let readSize = 1 << 16

  init(descriptor: Int32) {
    self.descriptor = descriptor
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
  }

  deinit { close() }

  func close() {
    guard descriptor >= 0 else { return }
    _ = Glibc.close(descriptor)
    descriptor = -1
  }

  /// Sends every byte, or fails with `disconnected` / `timedOut`.
  func send(
    _ bytes: [UInt8], what: String, deadline: IPIDeadline, timeout: Double
  ) throws(IPIError) {
    var sent = 0
    while sent < bytes.count {
      let result = bytes.withUnsafeBytes { buffer in
        Glibc.send(descriptor, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
      }
      if result > 0 {
        sent += result
      } else if result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        try wait(for: Int16(POLLOUT), what: what, deadline: deadline, timeout: timeout)
      } else {
        throw .disconnected(awaiting: "the end of \(what) to be taken")
      }
    }
  }

  /// Receives exactly `count` bytes, or fails with `disconnected` / `timedOut`.
  func receive(
    _ count: Int, what: String, deadline: IPIDeadline, timeout: Double
  ) throws(IPIError) -> [UInt8] {
    if tail - head < count { try fill(count, what: what, deadline: deadline, timeout: timeout) }
    let bytes = Array(buffer[head..<(head + count)])
    head += count
    return bytes
  }

  /// Reads until at least `count` unconsumed bytes are buffered.
  private func fill(
    _ count: Int, what: String, deadline: IPIDeadline, timeout: Double
  ) throws(IPIError) {
    if head == tail {
      (head, tail) = (0, 0)
    } else if head > 0 {
      buffer.withUnsafeMutableBytes { raw in
        _ = memmove(raw.baseAddress!, raw.baseAddress! + head, tail - head)
      }
      (head, tail) = (0, tail - head)
    }
    if buffer.count < count {
      buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
    }
    while tail < count {
      let result = buffer.withUnsafeMutableBytes { raw in
        recv(descriptor, raw.baseAddress! + tail, raw.count - tail, 0)
      }
      if result > 0 {
        tail += result
      } else if result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
        try wait(for: Int16(POLLIN), what: what, deadline: deadline, timeout: timeout)
      } else {
        throw .disconnected(awaiting: what)
      }
    }
  }

  private func wait(
    for events: Int16, what: String, deadline: IPIDeadline, timeout: Double
  ) throws(IPIError) {
    var entry = pollfd(fd: descriptor, events: events, revents: 0)
    while true {
      let milliseconds = deadline.pollMilliseconds
      guard milliseconds > 0 else { throw .timedOut(awaiting: what, seconds: timeout) }
      let ready = poll(&entry, 1, milliseconds)
      if ready > 0 { return }  // readable, writable, hung up or in error: the call says which
      if ready < 0 && errno != EINTR { throw .disconnected(awaiting: what) }
    }
  }
}
