import Foundation
import Testing

/// `irc bench --engine`: the tool's own cost per engine call, measured.
@Suite struct EngineBenchTests {
  /// Through the fake ExtTool engine: every round ran the program three times (through the
  /// tool, bare in one folder, bare in a fresh folder; the warm-up round included), and the
  /// document holds the spreads and phases.
  @Test func programEngineRunsPairedCallsAndReportsPhases() async throws {
    let folder = try EngineSaddleFreqTests.setUp()
    defer { folder.remove() }
    let counter = folder.file("calls")
    let run = try await IRC.run(
      ["bench", "--engine", "morse.json", "--from", "h2.xyz", "--calls", "3", "--json"],
      environment: ["IRC_FAKE_ENGINE_COUNTER": counter.path], in: folder.url,
      timeout: .seconds(120))
    #expect(run.status == 0, "\(run)")
    #expect(EngineSaddleFreqTests.calls(counter) == 3 * (3 + 1))
    let result = try JSONDocument.object(run.stdout)
    #expect(result["engine"] as? String == "external")
    #expect(result["calls"] as? Double == 3)
    for key in ["tool", "bare", "bareFreshFolder"] {
      let spread = try #require(result[key] as? [String: Any])
      let median = try #require(spread["median"] as? Double)
      #expect(median > 0 && median.isFinite)
    }
    let phases = try #require(result["phases"] as? [String: Any])
    #expect(
      Set(phases.keys) == ["folder", "write", "spawn+run+wait", "parse", "cleanup", "rest"])
    #expect(run.stderr.contains("overhead (paired)"))
  }

  /// An `ipi` file: evaluations over its socket, answered by the bench's own client.
  @Test func ipiEngineIsMeasuredOverItsSocket() async throws {
    let folder = try EngineSaddleFreqTests.setUp()
    defer { folder.remove() }
    let name = "irc-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try """
    {"format": "irc-potential/1", "name": "socket", "kind": "ipi",
     "parameters": {"address": "unix:\(name)", "timeout": 30}}
    """.write(to: folder.file("socket.json"), atomically: true, encoding: .utf8)
    let run = try await IRC.run(
      ["bench", "--engine", "socket.json", "--from", "h2.xyz", "--calls", "200", "--json"],
      in: folder.url)
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["engine"] as? String == "ipi" && result["calls"] as? Double == 200)
    let tool = try #require(result["tool"] as? [String: Any])
    #expect(try #require(tool["median"] as? Double) > 0)
    #expect(!FileManager.default.fileExists(atPath: "/tmp/ipi_\(name)"))
  }

  @Test func engineNeedsAnXYZGeometry() async throws {
    let run = try await IRC.run(["bench", "--engine", "x.json"])
    #expect(run.status == 64, "\(run)")
    #expect(run.stderr.contains("--engine needs --from <file.xyz>"))
  }
}
