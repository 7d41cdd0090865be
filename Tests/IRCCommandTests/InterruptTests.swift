import Foundation
import Testing

/// Signals that land while a run writes its outputs. The write window opens when the first
/// output is staged (the XYZ and CSV) and closes when the set is renamed into place; the
/// figure is drawn inside it, so it lasts long enough to hit. The tests watch the child's
/// open files (`/proc/<pid>/fd`) to know when it has opened.
@Suite(.serialized) struct InterruptTests {
  static let outputs = ["out.xyz", "out.csv", "out.svg"]
  static let arguments = [
    "trace", "cbm", "--xyz", "out.xyz", "--csv", "out.csv", "--svg", "out.svg", "--grid", "120",
  ]
  /// SIGKILLs spread over the write window, and how many runs go at once to keep the
  /// test short.
  static let killTries = 20
  static let killLanes = 4

  /// A folder holding a previous run's outputs (short texts, so that any change shows).
  static func previousOutputs() throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory(prefix: "irc-interrupt")
    for name in outputs { _ = try folder.write("previous \(name)\n", to: name) }
    return folder
  }

  /// SIGINT and SIGTERM inside the window: exit 130 or 143, no temporary file, the previous
  /// outputs unchanged.
  @Test(arguments: [SIGINT, SIGTERM])
  func anInterruptWhileWritingLeavesThePreviousOutputs(_ signal: Int32) async throws {
    let folder = try Self.previousOutputs()
    defer { folder.remove() }
    let before = try folder.snapshot()
    let child = try ChildProcess(Self.arguments, in: folder.url)
    let inWindow = await child.signal(signal, whenWritingIn: folder.url)
    try #require(inWindow, "the run ended before it opened an output: \(child.stderr)")
    let ending = try await child.wait()
    #expect(ending == .exit(128 + signal), "\(ending): \(child.stderr)")
    #expect(
      child.stderr.contains("irc: interrupted; no output file was changed"), "\(child.stderr)")
    #expect(
      try folder.snapshot() == before, "the folder changed: \((try? folder.contents()) ?? [])")
  }

  /// SIGKILL cannot be caught. Spread over the write window, it may leave the previous
  /// outputs, the new ones, or complete temporary files named `.irc-tmp-…`; never a partial
  /// file under any name, and nothing else.
  @Test func aKillAnywhereInTheWindowLeavesNoPartialFile() async throws {
    let reference = try TemporaryDirectory(prefix: "irc-reference")
    defer { reference.remove() }
    let clean = try ChildProcess(Self.arguments, in: reference.url)
    let measured = await clean.writeWindow(in: reference.url)
    #expect(try await clean.wait() == .exit(0), "\(clean.stderr)")
    let window = try #require(measured, "the run ended before it opened an output")
    let new = try Dictionary(
      uniqueKeysWithValues: Self.outputs.map { ($0, try Data(contentsOf: reference.file($0))) })
    let landed = try await withThrowingTaskGroup(of: Int.self) { group in
      for lane in 0..<Self.killLanes {
        group.addTask {
          var landed = 0
          for attempt in stride(from: lane, to: Self.killTries, by: Self.killLanes) {
            // Stratified over the window measured above, from its opening to past its end.
            let delay = window * ((Double(attempt) + 0.5) / Double(Self.killTries) * 1.2)
            if try await Self.killOne(after: delay, attempt: attempt, new: new) { landed += 1 }
          }
          return landed
        }
      }
      return try await group.reduce(0, +)
    }
    #expect(landed >= Self.killTries / 2, "only \(landed) kills landed before the run ended")
  }

  /// One run killed `delay` after it opened its first output; checks what it left against
  /// the previous outputs and the `new` ones. Returns whether the kill found it running.
  static func killOne(after delay: Duration, attempt: Int, new: [String: Data]) async throws -> Bool
  {
    let folder = try previousOutputs()
    defer { folder.remove() }
    let old = try folder.snapshot()
    let child = try ChildProcess(arguments, in: folder.url)
    guard await child.signal(SIGKILL, whenWritingIn: folder.url, after: delay) else {
      return false
    }
    let landed = try await child.wait() == .signal(SIGKILL)
    for (name, bytes) in try folder.snapshot() {
      let bytes = try #require(bytes, "\(name) is not a regular file")
      if name.hasPrefix(".irc-tmp-") {
        #expect(new.values.contains(bytes), "try \(attempt): \(name) is a partial temporary file")
      } else {
        #expect(outputs.contains(name), "try \(attempt): a stray file \(name)")
        #expect(bytes == old[name] || bytes == new[name], "try \(attempt): \(name) is partial")
      }
    }
    return landed
  }
}
