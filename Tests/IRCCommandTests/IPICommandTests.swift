import Foundation
import Testing

/// `irc trace` on the `ipi` kind end to end: the tool serves, the shipped Lennard-Jones
/// client (argon, atomic units) connects, the IRC of an LJ7 saddle is traced through the
/// socket, and the clients are sent EXIT.
@Suite(.serialized) struct IPICommandTests {
  static let client = IRC.packageRoot.appendingPathComponent("Tests/Scripts/ipi_lj_client.py")
  /// Argon's σ, 6.43 bohr, in Å: the listed LJ7 saddle (reduced units) scaled to argon.
  static let sigma = 6.43 * 0.529177210903

  /// A folder with an `ipi` potential on a socket of its own and the LJ7 saddle as XYZ.
  static func setUp(socket: String) throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory()
    try """
    {"format": "irc-potential/1", "name": "argon", "kind": "ipi",
     "parameters": {"address": "unix:\(socket)", "timeout": 60}}
    """.write(to: folder.file("ipi.json"), atomically: true, encoding: .utf8)
    let lj7 =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: IRC.builtInFile("lj7"))) as? [String: Any]
    let points = try #require(lj7?["stationaryPoints"] as? [[String: Any]])
    let saddle = try #require(points.first { $0["kind"] as? String == "saddle" })
    let x = try #require(saddle["coordinates"] as? [Double])
    var xyz = "\(x.count / 3)\nLJ7 saddle scaled to argon\n"
    for atom in 0..<(x.count / 3) {
      xyz += "Ar " + (0..<3).map { String(x[3 * atom + $0] * sigma) }.joined(separator: " ") + "\n"
    }
    try xyz.write(to: folder.file("start.xyz"), atomically: true, encoding: .utf8)
    return folder
  }

  /// Starts `count` clients on `socket`; they retry until the server is up.
  static func clients(_ count: Int, socket: String, log folder: TemporaryDirectory) throws
    -> [Process]
  {
    try (0..<count).map { index in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [
        "python3", client.path, "unix:\(socket)", "--epsilon", "0.00038", "--sigma", "6.43",
      ]
      let log = folder.file("client\(index).log")
      try Data().write(to: log)
      process.standardOutput = try FileHandle(forWritingTo: log)
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
  }

  /// Traces with `count` clients and `--jobs count`; returns the result and the XYZ.
  static func trace(clients count: Int) async throws -> (IRC.Result, String, [String]) {
    let socket = "irc-test-\(ProcessInfo.processInfo.processIdentifier)-\(count)"
    let folder = try setUp(socket: socket)
    defer { folder.remove() }
    let running = try clients(count, socket: socket, log: folder)
    defer { for process in running where process.isRunning { process.terminate() } }
    let result = try await IRC.run(
      [
        "trace", folder.file("ipi.json").path, "--from", folder.file("start.xyz").path,
        "--jobs", String(count), "--xyz", folder.file("path.xyz").path,
      ], timeout: .seconds(120))
    for process in running { process.waitUntilExit() }
    let logs = try (0..<count).map {
      try String(contentsOf: folder.file("client\($0).log"), encoding: .utf8)
    }
    let xyz = (try? String(contentsOf: folder.file("path.xyz"), encoding: .utf8)) ?? ""
    return (result, xyz, logs)
  }

  /// Both branches converge through the socket; every client is sent EXIT; two clients
  /// share the work and trace the same path, to the byte, as one.
  @Test func anLJ7SaddleIsTracedThroughTheSocketWithOneOrTwoClients() async throws {
    let (one, path, oneLog) = try await Self.trace(clients: 1)
    #expect(one.status == 0, "\(one)")
    #expect(
      one.stdout.contains("forward:  converged") && one.stdout.contains("backward: converged"))
    #expect(one.stdout.contains("engine:   ipi"))
    #expect(oneLog.allSatisfy { $0.contains("EXIT after") }, "\(oneLog)")
    let (two, pathTwo, twoLogs) = try await Self.trace(clients: 2)
    #expect(two.status == 0, "\(two)")
    #expect(twoLogs.allSatisfy { $0.contains("EXIT after") }, "\(twoLogs)")
    #expect(!path.isEmpty && path == pathTwo)
  }
}
