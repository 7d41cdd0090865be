import Dispatch
import Foundation
import IRCEngines
import IRCKit

/// The tool's own cost per call of a program engine (`xtb`, `external`): the same input
/// evaluated through the tool (fresh folder, input files, spawn, wait, parse, cleanup) and
/// run bare twice: in a folder prepared once (its output to /dev/null, as a shell loop
/// runs it), and in a fresh folder prepared before the clock starts (as the tool must run
/// it: one fresh folder per call, `engines.md`). The three are interleaved call by call so
/// that a change of load affects them alike. The difference between the two bare runs is
/// the program's own cost of writing its files into a new folder, which no tool that
/// keeps calls apart can avoid; the overhead against the fresh-folder run is the tool's.
///
/// The bare run uses `posix_spawn` directly, not the tool's `Subprocess`, so that a slow
/// spawner in the tool shows as overhead rather than cancelling out.
public enum EngineOverhead {
  /// Per-call wall times in seconds, one entry per call.
  public struct Samples: Sendable {
    public var tool: [Double] = []
    public var bare: [Double] = []
    /// Bare runs in a fresh folder each (prepared and removed off the clock).
    public var bareFresh: [Double] = []
    /// The tool's calls, phase by phase.
    public var phases: [CallPhases] = []
  }

  /// The median and the 10th and 90th percentiles of a sample, in seconds.
  public struct Spread: Sendable, Equatable {
    public var median: Double
    public var low: Double
    public var high: Double

    public init(_ values: [Double]) {
      let sorted = values.sorted()
      func quantile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
      }
      median = quantile(0.5)
      low = quantile(0.1)
      high = quantile(0.9)
    }
  }

  /// What a measurement found.
  public struct Summary: Sendable {
    public var calls: Int
    public var tool: Spread
    public var bare: Spread
    /// Per call, tool minus bare (paired, interleaved).
    public var overhead: Spread
    public var bareFresh: Spread
    /// Per call, tool minus the bare run in a fresh folder: the tool's own cost.
    public var overheadFresh: Spread
    /// The tool's phases: folder, write, run, parse, cleanup, and the rest of `evaluate`
    /// (input text, rotation, result checks).
    public var phases: [(name: String, spread: Spread)]
  }

  /// Failures of the measurement itself.
  public enum Failure: Error, Equatable, CustomStringConvertible {
    case engine(EngineFailure)
    case bareRun(String)

    public var description: String {
      switch self {
      case .engine(let failure): return "\(failure)"
      case .bareRun(let reason): return "the bare run failed: \(reason)"
      }
    }
  }

  /// `calls` interleaved pairs (a tool call, then a bare run) after one warm-up pair.
  public static func measure(
    _ engine: any ProgramEngine, symbols: [String], positions: Vector, calls: Int
  ) throws(Failure) -> Samples {
    let input = engine.input(symbols: symbols, positions: positions)
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("irc-bench-bare-\(getpid())")
    try? FileManager.default.removeItem(at: root)
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = try prepare(root.appendingPathComponent("same"), input)
    let bare = BareSpawn(input: input, directory: folder.path)
    var samples = Samples()
    for index in 0...calls {
      var phases = CallPhases()
      let start = DispatchTime.now().uptimeNanoseconds
      do {
        _ = try engine.evaluate(symbols: symbols, positions: positions, phases: &phases)
      } catch {
        throw .engine(error)
      }
      let tool = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      let bareSeconds = try bare.run()
      let fresh = try prepare(root.appendingPathComponent("fresh-\(index)"), input)
      let freshSeconds = try BareSpawn(input: input, directory: fresh.path).run()
      try? FileManager.default.removeItem(at: fresh)
      guard index > 0 else { continue }
      samples.tool.append(tool)
      samples.bare.append(bareSeconds)
      samples.bareFresh.append(freshSeconds)
      samples.phases.append(phases)
    }
    ScratchFolder.finishRemovals()
    return samples
  }

  /// A new folder holding the program's input files.
  private static func prepare(_ folder: URL, _ input: ProgramInput) throws(Failure) -> URL {
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for file in input.files {
        try file.text.write(
          to: folder.appendingPathComponent(file.name), atomically: false, encoding: .utf8)
      }
    } catch {
      throw .bareRun("the bare run's folder could not be prepared: \(error)")
    }
    return folder
  }

  public static func summary(_ samples: Samples) -> Summary {
    let phases = samples.phases
    let rest = zip(samples.tool, phases).map { $0 - $1.total }
    return Summary(
      calls: samples.tool.count, tool: Spread(samples.tool), bare: Spread(samples.bare),
      overhead: Spread(zip(samples.tool, samples.bare).map { $0 - $1 }),
      bareFresh: Spread(samples.bareFresh),
      overheadFresh: Spread(zip(samples.tool, samples.bareFresh).map { $0 - $1 }),
      phases: [
        ("folder", Spread(phases.map(\.folder))), ("write", Spread(phases.map(\.write))),
        ("spawn+run+wait", Spread(phases.map(\.run))), ("parse", Spread(phases.map(\.parse))),
        ("cleanup", Spread(phases.map(\.cleanup))), ("rest", Spread(rest)),
      ])
  }
}

/// The program run as bare as it can be: `posix_spawnp` in a prepared folder, stdin from
/// and output to /dev/null, the environment built once.
struct BareSpawn {
  var arguments: [String]
  var environment: [String]
  var directory: String

  init(input: ProgramInput, directory: String) {
    arguments = input.arguments
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in input.environment { merged[key] = value }
    environment = merged.map { "\($0.key)=\($0.value)" }
    self.directory = directory
  }

  /// One run; its wall time from spawn to reaped exit.
  func run() throws(EngineOverhead.Failure) -> Double {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    guard let addChdir = Self.addChdir else {
      throw .bareRun("this C library has no posix_spawn_file_actions_addchdir_np")
    }
    _ = addChdir(&actions, directory)
    let strings = (arguments + environment).map { strdup($0) }
    defer { for pointer in strings { free(pointer) } }
    let argv = Array(strings[0..<arguments.count]) + [nil]
    let envp = Array(strings[arguments.count...]) + [nil]
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let status = posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
    guard status == 0 else { throw .bareRun(String(cString: strerror(status))) }
    var exit: Int32 = 0
    while waitpid(pid, &exit, 0) < 0 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard exit == 0 else { throw .bareRun("\(arguments[0]) ended with wait status \(exit)") }
    return seconds
  }

  private static let addChdir:
    (
      @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) ->
        Int32
    )? = {
      guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
      return unsafeBitCast(
        symbol,
        to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>)
          -> Int32).self)
    }()
}
