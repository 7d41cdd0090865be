import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// The server against the Python Lennard-Jones client of `Tests/Scripts`.
// The limit catches a hang (every socket wait has its own timeout of seconds); 1 minute
// was exceeded by load alone when the suite ran beside other work on 2 cores.
@Suite(.timeLimit(.minutes(3)))
struct IPIServerTests {
  static let epsilon = 0.0123
  static let sigma = 1.5

  func clientArguments(_ extra: [String] = []) -> [String] {
    ["--epsilon", "\(Self.epsilon)", "--sigma", "\(Self.sigma)"] + extra
  }

  /// Energies and forces through the socket equal the formula evaluated here.
  @Test(arguments: ["unix", "inet"])
  func repliesEqualADirectEvaluation(transport: String) throws {
    let address: IPIAddress =
      transport == "unix"
      ? .unix(name: uniqueSocketName("direct")) : .inet(host: "127.0.0.1", port: 0)
    let server = try IPIServer(address: address, timeout: 10)
    let client = try LJClient(address: server.address, clientArguments())
    defer { server.shutDown() }
    for geometry in [trimer] + displacedTrimers().prefix(4) {
      let reply = try server.evaluate(positions: geometry, cell: testCell)
      let direct = lennardJones(geometry, epsilon: Self.epsilon, sigma: Self.sigma)
      #expect(abs(reply.energy - direct.energy) <= 1e-14 * abs(direct.energy))
      #expect(reply.forces.count == 9)
      for (received, expected) in zip(reply.forces, direct.forces) {
        #expect(abs(received - expected) <= 1e-13 * abs(expected) + 1e-300)
      }
      #expect(reply.virial.count == 9)
    }
    server.shutDown()
    let ended = client.finish()
    #expect(ended.status == 0, "\(ended.stderr)")
    #expect(ended.stdout == "EXIT after 5 evaluations\n")
  }

  /// The extra bytes after the virial arrive as the client sent them.
  @Test func extraBytesArriveWhole() throws {
    let server = try IPIServer(address: .unix(name: uniqueSocketName("extra")), timeout: 10)
    let client = try LJClient(address: server.address, clientArguments(["--ready"]))
    defer { server.shutDown() }
    _ = try server.evaluate(positions: trimer, cell: testCell)
    let second = try server.evaluate(positions: trimer, cell: testCell)
    #expect(String(decoding: second.extra, as: UTF8.self) == "{\"evaluation\": 2}")
    server.shutDown()
    #expect(client.finish().status == 0)
  }

  /// A Hessian's 2·3N displaced gradients on three clients: the same replies, in the same
  /// order, as on one client, and every client did part of the work.
  @Test func severalClientsGiveTheSameBatchAsOne() throws {
    let batch = displacedTrimers()
    let single = try IPIServer(address: .unix(name: uniqueSocketName("one")), timeout: 10)
    let lone = try LJClient(address: single.address, clientArguments())
    let alone = try single.evaluate(batch: batch, cell: testCell)
    single.shutDown()
    #expect(lone.finish().stdout == "EXIT after \(batch.count) evaluations\n")

    let server = try IPIServer(address: .inet(host: "127.0.0.1", port: 0), timeout: 10)
    defer { server.shutDown() }
    let clients = try (0..<3).map { index in
      try LJClient(address: server.address, clientArguments(index == 1 ? ["--ready"] : []))
    }
    try server.waitForClients(3)
    let together = try server.evaluate(batch: batch, cell: testCell)
    // The extra bytes count each client's own evaluations, so compare the physics.
    #expect(together.map(\.energy) == alone.map(\.energy))
    #expect(together.map(\.forces) == alone.map(\.forces))
    for (index, geometry) in batch.enumerated() {
      let direct = lennardJones(geometry, epsilon: Self.epsilon, sigma: Self.sigma)
      #expect(abs(together[index].energy - direct.energy) <= 1e-14 * abs(direct.energy))
    }
    server.shutDown()
    let counts = clients.map { client -> Int in
      let ended = client.finish()
      return Int(ended.stdout.split(separator: " ")[2]) ?? -1
    }
    #expect(counts.reduce(0, +) == batch.count)
    #expect(counts.allSatisfy { $0 > 0 }, "evaluations per client: \(counts)")
  }

  /// Shutting down sends EXIT to every client, the idle ones too, and removes the socket file.
  @Test func shutDownSendsExitAndRemovesTheSocketFile() throws {
    let name = uniqueSocketName("exit")
    let server = try IPIServer(address: .unix(name: name), timeout: 10)
    #expect(exists("/tmp/ipi_" + name))
    let clients = try (0..<2).map { _ in try LJClient(address: server.address, clientArguments()) }
    try server.waitForClients(2)
    server.shutDown()
    #expect(!exists("/tmp/ipi_" + name))
    for client in clients {
      let ended = client.finish()
      #expect(ended.status == 0 && ended.stdout == "EXIT after 0 evaluations\n", "\(ended.stderr)")
    }
    #expect(throws: IPIError.shutDown) { try server.evaluate(positions: trimer, cell: testCell) }
  }

  /// A socket file left by a killed server is replaced; one a live server uses is refused.
  @Test func staleSocketFilesAreReplacedLiveOnesRefused() throws {
    let name = uniqueSocketName("stale")
    let first = try IPIServer(address: .unix(name: name), timeout: 1)
    #expect(throws: IPIError.addressInUse("unix:\(name)")) {
      try IPIServer(address: .unix(name: name), timeout: 1)
    }
    first.shutDown()
    // A socket bound by a process that then died: the server takes the name over.
    let killed = Process()
    killed.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    killed.arguments = [
      "python3", "-c", "import socket; socket.socket(socket.AF_UNIX).bind('/tmp/ipi_\(name)')",
    ]
    try killed.run()
    killed.waitUntilExit()
    #expect(exists("/tmp/ipi_" + name))
    let second = try IPIServer(address: .unix(name: name), timeout: 1)
    second.shutDown()
    #expect(!exists("/tmp/ipi_" + name))
    #expect(FileManager.default.createFile(atPath: "/tmp/ipi_" + name, contents: nil))
    defer { try? FileManager.default.removeItem(atPath: "/tmp/ipi_" + name) }
    // A regular file is not a stale socket: it is left alone and binding fails with errno.
    #expect(throws: IPIError.socket(operation: "bind", address: "unix:\(name)", errno: EADDRINUSE))
    {
      try IPIServer(address: .unix(name: name), timeout: 1)
    }
  }

  @Test func anUnknownHostIsRefused() {
    #expect(
      throws: IPIError.unresolvableHost(
        host: "no-such-host.invalid", address: "inet:no-such-host.invalid:0")
    ) {
      try IPIServer(address: .inet(host: "no-such-host.invalid", port: 0), timeout: 1)
    }
  }
}
