import Foundation
import Testing

/// `irc trace` on the engine kinds, through the shipped fake ExtTool engine.
@Suite struct EngineCommandTests {
  static let script = IRC.packageRoot.appendingPathComponent("Tests/FakeEngine/morse-engine.py")

  /// A folder with an `external` potential file running the fake engine, and an XYZ start.
  static func setUp() throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory()
    try """
    {"format": "irc-potential/1", "name": "morse3", "kind": "external",
     "parameters": {"command": ["python3", "\(script.path)"], "timeout": 30}}
    """.write(to: folder.file("morse3.json"), atomically: true, encoding: .utf8)
    try "3\n\nH 0 0 0\nH 1.1 0 0\nH 0.5 0.9 0.1\n".write(
      to: folder.file("start.xyz"), atomically: true, encoding: .utf8)
    return folder
  }

  /// The first call fails: exit 1 before the path starts, the engine and cause named, its
  /// stderr shown, the geometry saved next to the outputs, and no output written.
  @Test func anEngineFailureBeforeThePathIsExitOneWithItsGeometry() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    let result = try await IRC.run(
      [
        "trace", folder.file("morse3.json").path, "--from", folder.file("start.xyz").path,
        "--xyz", folder.file("path.xyz").path,
      ], environment: ["IRC_FAKE_ENGINE": "exit"])
    #expect(result.status == 1, "\(result)")
    #expect(result.stderr.contains("the external engine failed: it exited with status 3"))
    #expect(result.stderr.contains("morse-engine: SCF did not converge"))
    let saved = try String(contentsOf: folder.file("irc-engine-failure.xyz"), encoding: .utf8)
    #expect(saved.hasPrefix("3\nthe external engine failed"))
    #expect(saved.contains("H 1.1 0.0 0.0"))
    #expect(!FileManager.default.fileExists(atPath: folder.file("path.xyz").path))
  }

  @Test func anEngineKindNeedsAnXYZStart() async throws {
    let folder = try Self.setUp()
    defer { folder.remove() }
    let result = try await IRC.run(["trace", folder.file("morse3.json").path, "--from", "0,0"])
    #expect(result.status == 64, "\(result)")
    #expect(
      result.stderr.contains("kind external takes its atoms from the start: give --from FILE.xyz"))
    let model = try await IRC.run(["trace", "--checkpoint", folder.file("c").path])
    #expect(model.status == 64 && model.stderr.contains("--checkpoint applies to the engine kinds"))
  }
}
