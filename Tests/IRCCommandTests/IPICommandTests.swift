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

  /// Starts `count` clients on `socket` (each with `options`); they retry until the
  /// server is up.
  static func clients(
    _ count: Int, socket: String, log folder: TemporaryDirectory, options: [String] = []
  ) throws -> [Process] {
    try (0..<count).map { index in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments =
        [
          "python3", client.path, "unix:\(socket)", "--epsilon", "0.00038", "--sigma", "6.43",
        ] + options
      let log = folder.file("client\(index).log")
      try Data().write(to: log)
      process.standardOutput = try FileHandle(forWritingTo: log)
      process.standardError = FileHandle.nullDevice
      try process.run()
      return process
    }
  }

  /// A run through the socket: what `irc` printed, the XYZ it wrote, each client's log.
  struct Run {
    var result: IRC.Result
    var xyz: String
    var logs: [String]
  }

  /// Traces with `count` clients (each started with `clientOptions`) and `--jobs jobs`.
  static func trace(
    clients count: Int, jobs: Int, clientOptions: [String] = [], extra: [String] = []
  ) async throws -> Run {
    let socket = "irc-test-\(ProcessInfo.processInfo.processIdentifier)-\(count)-\(jobs)"
    let folder = try setUp(socket: socket)
    defer { folder.remove() }
    let running = try clients(count, socket: socket, log: folder, options: clientOptions)
    defer { for process in running where process.isRunning { process.terminate() } }
    let result = try await IRC.run(
      [
        "trace", folder.file("ipi.json").path, "--from", folder.file("start.xyz").path,
        "--jobs", String(jobs), "--xyz", folder.file("path.xyz").path,
      ] + extra, timeout: .seconds(120))
    for process in running { process.waitUntilExit() }
    let logs = try (0..<count).map {
      try String(contentsOf: folder.file("client\($0).log"), encoding: .utf8)
    }
    let xyz = (try? String(contentsOf: folder.file("path.xyz"), encoding: .utf8)) ?? ""
    return Run(result: result, xyz: xyz, logs: logs)
  }

  /// The (start, end) times of each evaluation in a `--timeline` client log.
  static func timeline(_ log: String) -> [(start: Double, end: Double)] {
    log.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ")
      guard fields.count == 3, fields[0] == "evaluation", let start = Double(fields[1]),
        let end = Double(fields[2])
      else { return nil }
      return (start, end)
    }
  }

  /// Both branches converge through the socket; every client is sent EXIT. Two clients
  /// trace the same path, to the byte, as one, and compute at the same time even with
  /// `--jobs 1` (no finite-difference Hessian spread over them): the two branches are
  /// traced at once, each evaluation going to whichever client is free.
  @Test func anLJ7SaddleIsTracedThroughTheSocketWithOneOrTwoClients() async throws {
    let one = try await Self.trace(clients: 1, jobs: 1)
    #expect(one.result.status == 0, "\(one.result)")
    #expect(
      one.result.stdout.contains("forward:  converged")
        && one.result.stdout.contains("backward: converged"))
    #expect(one.result.stdout.contains("engine:   ipi"))
    #expect(one.logs.allSatisfy { $0.contains("EXIT after") }, "\(one.logs)")
    // Each client takes 3 ms per evaluation, so that the time of an evaluation is the
    // client's rather than the tool's (a debug build's linear algebra between two calls
    // takes about as long as the client's arithmetic).
    let two = try await Self.trace(
      clients: 2, jobs: 1, clientOptions: ["--timeline", "--delay", "0.003"])
    #expect(two.result.status == 0, "\(two.result)")
    #expect(two.logs.allSatisfy { $0.contains("EXIT after") }, "\(two.logs)")
    #expect(!one.xyz.isEmpty && one.xyz == two.xyz)
    let (first, second) = (Self.timeline(two.logs[0]), Self.timeline(two.logs[1]))
    // Each evaluation of one client that overlaps one of the other's in time. With the
    // branches traced one after the other and --jobs 1 the tool has one request out at a
    // time, so this would be 0; traced at once a quiet machine gives about 190, a
    // loaded one (a build beside the suite on 2 cores) as few as 16, since a branch
    // waiting for a core is not asking its client. Any overlap at all refutes one request
    // at a time; a few are asked for, so that one clock tick's coincidence is not enough.
    let overlapping = first.filter { a in
      second.contains { b in a.start < b.end && b.start < a.end }
    }
    #expect(!first.isEmpty && !second.isEmpty)
    #expect(overlapping.count >= 3, "\(overlapping.count) overlapping evaluations")
  }

  /// Two clients, the run killed (SIGKILL) while the branches are traced, rerun with the
  /// same `--checkpoint` and two new clients: the path is the uninterrupted one to the
  /// byte, the records written before the kill are replayed (in whatever order the two
  /// branches interleaved them), and only the rest is computed.
  @Test func aRunKilledDuringTheBranchesResumesToTheSamePath() async throws {
    let socket = "irc-test-\(ProcessInfo.processInfo.processIdentifier)-kill"
    let folder = try Self.setUp(socket: socket)
    defer { folder.remove() }
    let checkpoint = folder.file("run.checkpoint")
    let arguments = [
      "trace", folder.file("ipi.json").path, "--from", folder.file("start.xyz").path,
      "--jobs", "2", "--xyz", folder.file("path.xyz").path, "--checkpoint", checkpoint.path,
    ]
    // Slow enough that the watch below sees the checkpoint grow record by record.
    let slow = ["--delay", "0.004"]
    let whole = try await Self.trace(clients: 2, jobs: 2)
    #expect(whole.result.status == 0, "\(whole.result)")
    let records = try #require(Self.computedCalls(whole.result.stdout))

    let clients = try Self.clients(2, socket: socket, log: folder, options: slow)
    defer { for process in clients where process.isRunning { process.terminate() } }
    let child = try ChildProcess(arguments, in: folder.url)
    // Killed once half the gradients are on disk: well past the saddle's refinement
    // (one Hessian, 42 gradients), inside the branches.
    var written = 0
    while written < records / 2, child.process.isRunning {
      try await Task.sleep(for: .milliseconds(2))
      written = Self.recordCount(checkpoint)
    }
    kill(child.process.processIdentifier, SIGKILL)
    #expect(try await child.wait() == .signal(SIGKILL))
    for process in clients { process.waitUntilExit() }
    let kept = Self.recordCount(checkpoint)
    #expect(kept >= records / 2 && kept < records, "\(kept) of \(records) records")

    let fresh = try Self.clients(2, socket: socket, log: folder)
    defer { for process in fresh where process.isRunning { process.terminate() } }
    let resumed = try await IRC.run(arguments, timeout: .seconds(120))
    for process in fresh { process.waitUntilExit() }
    #expect(resumed.status == 0, "\(resumed)")
    let xyz = try String(contentsOf: folder.file("path.xyz"), encoding: .utf8)
    #expect(xyz == whole.xyz)
    let computed = try #require(Self.computedCalls(resumed.stdout))
    #expect(computed < records && computed > 0, "\(computed) computed after the resume")
    #expect(resumed.stdout.contains("\(records) gradient calls"))
  }

  /// The gradients the engine computed, from the report line "N gradient calls (M computed".
  static func computedCalls(_ stdout: String) -> Int? {
    guard let range = stdout.range(of: #"\((\d+) computed"#, options: .regularExpression) else {
      return nil
    }
    return Int(stdout[range].dropFirst().prefix { $0.isNumber })
  }

  /// Whole gradient records in a checkpoint file (Hessian records are not counted).
  static func recordCount(_ file: URL) -> Int {
    guard let data = try? Data(contentsOf: file) else { return 0 }
    var count = 0
    var lineStart = true
    for byte in data {
      if lineStart && byte == UInt8(ascii: "g") { count += 1 }
      lineStart = byte == UInt8(ascii: "\n")
    }
    return count
  }
}
