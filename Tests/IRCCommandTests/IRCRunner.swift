import Foundation

/// Runs the built `irc` executable as a subprocess and captures what it printed.
///
/// The binary is found beside the test runner (SwiftPM puts every product of a build in
/// one folder, `.build/debug`), so the tests exercise exactly what `swift build` made.
enum IRC {
  /// What one run printed and how it ended.
  struct Result: Sendable, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String {
      "irc \(arguments.joined(separator: " ")) → exit \(status)\n"
        + "--- stdout ---\n\(stdout.prefix(4000))\n--- stderr ---\n\(stderr.prefix(4000))"
    }
  }

  struct RunError: Error, CustomStringConvertible {
    var description: String
  }

  /// The package root, from this file's location (`Tests/IRCCommandTests/IRCRunner.swift`).
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The shipped potential file of a built-in.
  static func builtInFile(_ name: String) -> URL {
    packageRoot.appendingPathComponent("potentials").appendingPathComponent(name + ".json")
  }

  /// The `irc` executable: the first regular, executable file named `irc` in the folder of
  /// the test runner or one of its ancestors.
  static func executable() throws -> URL {
    var starts: [URL] = []
    if let runner = Bundle.main.executableURL { starts.append(runner) }
    starts.append(URL(fileURLWithPath: CommandLine.arguments[0]))
    starts.append(Bundle.main.bundleURL)
    var tried: [String] = []
    for start in starts {
      var folder = start.standardizedFileURL.deletingLastPathComponent()
      while true {
        let candidate = folder.appendingPathComponent("irc")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
          !isDirectory.boolValue, FileManager.default.isExecutableFile(atPath: candidate.path)
        {
          return candidate
        }
        tried.append(folder.path)
        if folder.path == "/" || folder.path.isEmpty { break }
        folder = folder.deletingLastPathComponent()
      }
    }
    throw RunError(
      description: "the built irc executable was not found beside the test runner; looked in "
        + Set(tried).sorted().joined(separator: ", ")
        + ". Build it first (swift build), or run the tests with swift test.")
  }

  /// Runs `irc` with `arguments`.
  ///
  /// - Parameters:
  ///   - environment: variables to set on top of this process's environment.
  ///     `IRC_POTENTIALS` is removed unless given here, so a developer's setting cannot
  ///     change which built-ins the tests see.
  ///   - directory: the working directory (default: this process's).
  ///   - timeout: a run that takes longer is killed and the test fails, rather than hangs.
  static func run(
    _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
    timeout: Duration = .seconds(60)
  ) async throws -> Result {
    let binary = try executable()
    // Output goes to files, not pipes: a pipe that nobody drains blocks a chatty child.
    let scratch = try TemporaryDirectory(prefix: "irc-run")
    defer { scratch.remove() }
    let outURL = scratch.url.appendingPathComponent("stdout")
    let errURL = scratch.url.appendingPathComponent("stderr")
    try Data().write(to: outURL)
    try Data().write(to: errURL)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var variables = ProcessInfo.processInfo.environment
    variables["IRC_POTENTIALS"] = nil
    variables.merge(environment) { _, new in new }
    process.environment = variables
    if let directory { process.currentDirectoryURL = directory }
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()

    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var timedOut = false
    while process.isRunning {
      if clock.now >= deadline {
        timedOut = true
        // SIGKILL, not Process.terminate()'s SIGTERM: a child spawned from a Dispatch
        // worker thread inherits its blocked signal mask and would ignore SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        break
      }
      try await Task.sleep(for: .milliseconds(5))
    }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
    let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
    if timedOut {
      throw RunError(
        description: "irc \(arguments.joined(separator: " ")) did not finish within \(timeout); "
          + "killed. stdout so far:\n\(stdout.prefix(2000))\nstderr so far:\n\(stderr.prefix(2000))"
      )
    }
    return Result(
      arguments: arguments, status: process.terminationStatus, stdout: stdout, stderr: stderr)
  }
}

/// A fresh folder under the system's temporary directory.
struct TemporaryDirectory: Sendable {
  let url: URL

  init(prefix: String = "irc-cli-test") throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  /// The names in the folder, hidden ones included, sorted.
  func contents() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
  }

  func write(_ text: String, to name: String) throws -> URL {
    let target = file(name)
    try Data(text.utf8).write(to: target)
    return target
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}
