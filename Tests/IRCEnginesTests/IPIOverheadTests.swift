import Foundation
import Glibc
import Testing

@testable import IRCEngines
@testable import IRCKit

/// The tool's own cost per evaluation: a client in this process that answers every geometry
/// with zeros at once, so that what is timed is the server's work, the system calls and the
/// kernel's socket hand-offs, not a client's compute (nor Python's interpreter).
///
/// The bound asserted, on the median, is loose (a loaded debug build on a shared machine); it
/// catches the failures that cost milliseconds, such as Nagle's algorithm left on for TCP
/// (40 ms per evaluation). The README reports the release-build numbers printed below
/// (`swift test -c release --filter IPIOverheadTests`): the wall time of a round trip
/// (median and 90th percentile; it includes the client thread's own system calls and the
/// kernel's hand-offs) and the CPU time of the thread that runs the server's side.
// The limit catches a hang (every socket wait has its own timeout of seconds); 1 minute
// was exceeded by load alone when the suite ran beside other work on 2 cores.
@Suite(.timeLimit(.minutes(3)))
struct IPIOverheadTests {
  static let roundTrips = 2000
  /// Debug build, two cores shared with other work: ten times the 0.2 ms target.
  static let debugBound = 2e-3

  @Test(arguments: ["unix", "inet"])
  func perEvaluationCostIsSmall(transport: String) throws {
    let address: IPIAddress =
      transport == "unix"
      ? .unix(name: uniqueSocketName("overhead")) : .inet(host: "127.0.0.1", port: 0)
    let server = try IPIServer(address: address, timeout: 10)
    defer { server.shutDown() }
    let client = try ConstantClient(address: server.address, atoms: 3)
    try server.waitForClients(1)
    _ = try server.evaluate(positions: trimer, cell: testCell)
    var wall: [Double] = []
    wall.reserveCapacity(Self.roundTrips)
    let cpuStart = threadCPUSeconds()
    for _ in 0..<Self.roundTrips {
      let start = IPIDeadline.now()
      let reply = try server.evaluate(positions: trimer, cell: testCell)
      wall.append(elapsed(since: start))
      #expect(reply.energy == 0)
    }
    let cpu = (threadCPUSeconds() - cpuStart) / Double(Self.roundTrips)
    server.shutDown()
    #expect(client.finish() == Self.roundTrips + 1)
    wall.sort()
    let median = wall[wall.count / 2]
    let p90 = wall[wall.count * 9 / 10]
    print(
      "i-PI overhead over \(transport): wall median \(Int((median * 1e6).rounded())) µs, "
        + "p90 \(Int((p90 * 1e6).rounded())) µs; the server thread's CPU "
        + "\(Int((cpu * 1e6).rounded())) µs per evaluation")
    #expect(median < Self.debugBound)
  }

  /// CPU time of the calling thread: the server's own work, whatever else the machine runs.
  func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
  }
}

/// A minimal blocking i-PI client on its own thread: READY, takes POSDATA, HAVEDATA,
/// FORCEREADY with zeros, until EXIT.
final class ConstantClient: @unchecked Sendable {
  private let descriptor: Int32
  private let done = DispatchSemaphore(value: 0)
  private var evaluations = 0

  init(address: IPIAddress, atoms: Int) throws {
    descriptor = try Self.connect(address)
    let reply =
      IPIHeader.forceReady.bytes + [UInt8](repeating: 0, count: 8) + Self.int32(atoms)
      + [UInt8](repeating: 0, count: 8 * (3 * atoms + 9)) + Self.int32(0)
    Thread { [self] in
      serve(reply: reply, atoms: atoms)
      done.signal()
    }.start()
  }

  /// Evaluations answered, once the client has seen EXIT (or the connection closed).
  func finish() -> Int {
    done.wait()
    close(descriptor)
    return evaluations
  }

  private func serve(reply: [UInt8], atoms: Int) {
    var state = IPIHeader.ready
    var header = [UInt8](repeating: 0, count: 12)
    var body = [UInt8](repeating: 0, count: 148 + 24 * atoms)
    while read(into: &header) {
      switch IPIHeader(wire: header) {
      case .status: write(state.bytes)
      case .positionData:
        guard read(into: &body) else { return }
        state = .haveData
      case .getForce:
        write(reply)
        evaluations += 1
        state = .ready
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

  private static func int32(_ value: Int) -> [UInt8] {
    withUnsafeBytes(of: Int32(value).littleEndian) { Array($0) }
  }

  struct ConnectError: Error { var errno: Int32 }

  private static func connect(_ address: IPIAddress) throws -> Int32 {
    switch address {
    case .unix:
      let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
      var socketAddress = sockaddr_un()
      socketAddress.sun_family = sa_family_t(AF_UNIX)
      withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
        for (index, byte) in address.socketPath!.utf8.enumerated() { buffer[index] = byte }
      }
      let result = withUnsafePointer(to: &socketAddress) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
      }
      guard result == 0 else { throw ConnectError(errno: errno) }
      return descriptor
    case .inet(_, let port):
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var on: Int32 = 1
      _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(4))
      var socketAddress = sockaddr_in()
      socketAddress.sin_family = sa_family_t(AF_INET)
      socketAddress.sin_port = UInt16(port).bigEndian
      socketAddress.sin_addr.s_addr = inet_addr("127.0.0.1")
      let result = withUnsafePointer(to: &socketAddress) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard result == 0 else { throw ConnectError(errno: errno) }
      return descriptor
    }
  }
}
