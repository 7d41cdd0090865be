import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// Every way a client can fail is a typed failure of that evaluation, quickly; the server
/// goes on serving the clients that work.
// The limit catches a hang (every socket wait has its own timeout of seconds); 1 minute
// was exceeded by load alone when the suite ran beside other work on 2 cores.
@Suite(.timeLimit(.minutes(3)))
struct IPIFailureTests {
  /// No evaluation here waits longer than this for a client that misbehaves quickly.
  static let quick = 2.0

  /// One client that answers `after` evaluations correctly and then shows `fault`.
  func failure(
    _ fault: String, after: Int = 1, timeout: Double = 5
  ) throws -> (error: IPIError?, seconds: Double) {
    let server = try IPIServer(address: .unix(name: uniqueSocketName(fault)), timeout: timeout)
    defer { server.shutDown() }
    let client = try LJClient(address: server.address, ["--fault", fault, "--after", "\(after)"])
    defer { _ = client.finish(within: 0) }
    // Python starts in well under this on a loaded machine; the timeout under test may be less.
    try server.waitForClients(1, within: 10)
    for _ in 0..<after { _ = try server.evaluate(positions: trimer, cell: testCell) }
    let start = IPIDeadline.now()
    do {
      _ = try server.evaluate(positions: trimer, cell: testCell)
      return (nil, elapsed(since: start))
    } catch {
      return (error, elapsed(since: start))
    }
  }

  @Test(arguments: [
    ("drop", IPIError.disconnected(awaiting: "a reply header")),
    ("garbage", .unexpectedHeader(expected: ["HAVEDATA"], received: "HELLO\\x00\\x01WORLD")),
    ("nan", .nonFinite(quantity: "energy")),
    ("nan-forces", .nonFinite(quantity: "forces")),
    ("wrong-count", .wrongAtomCount(expected: 3, received: 2)),
    ("truncate", .disconnected(awaiting: "the forces and virial of FORCEREADY")),
  ])
  func aFaultyReplyIsItsTypedFailure(fault: String, expected: IPIError) throws {
    let (error, seconds) = try failure(fault)
    #expect(error == expected)
    #expect(seconds < Self.quick)
  }

  @Test func aClientThatStopsAnsweringTimesOut() throws {
    let (error, seconds) = try failure("hang", timeout: 0.5)
    #expect(error == .timedOut(awaiting: "a reply header", seconds: 0.5))
    #expect(seconds >= 0.5 && seconds < Self.quick)
  }

  @Test func noClientWithinTheTimeoutIsItsOwnFailure() throws {
    let server = try IPIServer(address: .inet(host: "127.0.0.1", port: 0), timeout: 0.3)
    defer { server.shutDown() }
    let start = IPIDeadline.now()
    #expect(throws: IPIError.noClient(address: server.address.description, seconds: 0.3)) {
      try server.evaluate(positions: trimer, cell: testCell)
    }
    #expect(elapsed(since: start) >= 0.3 && elapsed(since: start) < Self.quick)
    #expect(
      throws: IPIBatchFailure(
        index: 0, error: .noClient(address: server.address.description, seconds: 0.3))
    ) {
      try server.evaluate(batch: displacedTrimers(), cell: testCell)
    }
  }

  /// A failing client is dropped; the next evaluation goes to a client that works.
  @Test func theOtherClientsGoOnAfterOneFails() throws {
    let server = try IPIServer(address: .unix(name: uniqueSocketName("survive")), timeout: 5)
    defer { server.shutDown() }
    let faulty = try LJClient(address: server.address, ["--fault", "drop", "--after", "0"])
    defer { _ = faulty.finish(within: 0) }
    try server.waitForClients(1)
    let good = try LJClient(address: server.address)
    try server.waitForClients(2)
    #expect(throws: IPIError.disconnected(awaiting: "a reply header")) {
      try server.evaluate(positions: trimer, cell: testCell)
    }
    #expect(server.clientCount == 1)
    let reply = try server.evaluate(positions: trimer, cell: testCell)
    #expect(reply.energy == lennardJones(trimer, epsilon: 1, sigma: 1).energy)
    server.shutDown()
    #expect(good.finish().stdout == "EXIT after 1 evaluations\n")
  }

  /// In a batch, a failure stops the dispatch and is thrown; the earliest failed request's.
  @Test func aFailureInABatchFailsTheBatch() throws {
    let server = try IPIServer(address: .unix(name: uniqueSocketName("batch")), timeout: 5)
    defer { server.shutDown() }
    let client = try LJClient(address: server.address, ["--fault", "nan", "--after", "4"])
    defer { _ = client.finish(within: 0) }
    // The clock starts once the client is there: Python's start took 2.1 s under load.
    try server.waitForClients(1, within: 10)
    let start = IPIDeadline.now()
    #expect(throws: IPIBatchFailure(index: 4, error: .nonFinite(quantity: "energy"))) {
      try server.evaluate(batch: displacedTrimers(), cell: testCell)
    }
    #expect(elapsed(since: start) < Self.quick)
  }
}
