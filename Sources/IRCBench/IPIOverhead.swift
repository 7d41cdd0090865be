import Dispatch
import Foundation
import IRCEngines
import IRCKit

/// The tool's own cost per evaluation of an `ipi` engine: evaluations through the engine
/// (positions to atomic units, POSDATA, GETFORCE, the reply checked and converted) answered
/// by a client in this process that replies with zeros at once, so that what is timed is
/// the server's work, the system calls and the kernel's socket hand-offs — not a client's
/// compute, nor an interpreter's.
public enum IPIOverhead {
  /// Per-evaluation wall times in seconds, after one warm-up evaluation.
  public static func measure(
    _ engine: IPIEngine, symbols: [String], positions: Vector, calls: Int
  ) throws -> [Double] {
    let client = try ZeroClient(address: engine.server.address, atoms: symbols.count)
    try engine.server.waitForClients(1)
    var times: [Double] = []
    for index in 0...calls {
      let start = DispatchTime.now().uptimeNanoseconds
      _ = try engine.evaluate(symbols: symbols, positions: positions)
      guard index > 0 else { continue }
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    engine.shutDown()
    client.finish()
    return times
  }
}

/// A minimal blocking i-PI client on its own thread: READY, takes POSDATA, HAVEDATA,
/// FORCEREADY with zeros, until EXIT or the connection closes.
final class ZeroClient: @unchecked Sendable {
  struct ConnectError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "the benchmark's client could not connect: \(reason)" }
  }

  private let descriptor: Int32
  private let done = DispatchSemaphore(value: 0)

  init(address: IPIAddress, atoms: Int) throws {
    descriptor = try Self.connect(address)
    let reply =
      Self.header("FORCEREADY") + [UInt8](repeating: 0, count: 8) + Self.int32(atoms)
      + [UInt8](repeating: 0, count: 8 * (3 * atoms + 9)) + Self.int32(1) + [0]
    Thread { [self] in
      serve(reply: reply, atoms: atoms)
      done.signal()
    }.start()
  }

  func finish() {
    done.wait()
    close(descriptor)
  }

  private func serve(reply: [UInt8], atoms: Int) {
    var state = "READY"
    var header = [UInt8](repeating: 0, count: 12)
    var body = [UInt8](repeating: 0, count: 148 + 24 * atoms)
    while read(into: &header) {
      switch String(decoding: header, as: UTF8.self).trimmingCharacters(in: .whitespaces) {
      case "STATUS": write(Self.header(state))
      case "POSDATA":
        guard read(into: &body) else { return }
        state = "HAVEDATA"
      case "GETFORCE":
        write(reply)
        state = "READY"
      default: return
      }
    }
  }

  private func read(into buffer: inout [UInt8]) -> Bool {
    let count = buffer.count
    return buffer.withUnsafeMutableBytes { raw in
      var received = 0
      while received < count {
        let result = recv(descriptor, raw.baseAddress! + received, count - received, 0)
        guard result > 0 else { return false }
        received += result
      }
      return true
    }
  }

  private func write(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes {
      Glibc.send(descriptor, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL))
    }
  }

  static func header(_ text: String) -> [UInt8] {
    Array((text + String(repeating: " ", count: 12 - text.count)).utf8)
  }

  static func int32(_ value: Int) -> [UInt8] {
    withUnsafeBytes(of: Int32(value).littleEndian) { Array($0) }
  }

  private static func connect(_ address: IPIAddress) throws -> Int32 {
    let descriptor: Int32
    let result: Int32
    if let path = address.socketPath {
      descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
      var socketAddress = sockaddr_un()
      socketAddress.sun_family = sa_family_t(AF_UNIX)
      withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
        for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() {
          buffer[index] = byte
        }
      }
      result = withUnsafePointer(to: &socketAddress) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
    } else {
      guard case .inet(_, let port) = address else { throw ConnectError(reason: "\(address)") }
      descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var on: Int32 = 1
      _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(4))
      var socketAddress = sockaddr_in()
      socketAddress.sin_family = sa_family_t(AF_INET)
      socketAddress.sin_port = UInt16(port).bigEndian
      socketAddress.sin_addr.s_addr = inet_addr("127.0.0.1")
      result = withUnsafePointer(to: &socketAddress) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    }
    guard result == 0 else {
      let reason = String(cString: strerror(errno))
      close(descriptor)
      throw ConnectError(reason: "\(address): \(reason)")
    }
    return descriptor
  }
}
