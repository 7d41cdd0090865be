import Dispatch
import Foundation
import IRCEngines
import IRCKit

/// The engine side of a command on an `xtb` or `external` potential: the atoms from the
/// `--from` XYZ, the running engine behind an evaluation log (and `--checkpoint`), and the
/// report of what the engine cost.
struct EngineRun {
  static let checkpointOption = OptionSpec.option(
    "--checkpoint", "file",
    "For an engine kind: record every evaluation in this file before it is used; rerunning "
      + "the same command with it replays them and continues (refused if the surface, start or "
      + "settings differ)")
  static let jobsOption = OptionSpec.option(
    "--jobs", "n",
    "For an engine kind: engine calls run at once for a finite-difference Hessian or a "
      + "band's images, and, for xtb and external, n > 1 traces the two branches at once (ipi "
      + "does so with two or more clients) (default: the number of cores)")
  /// Options that do not change the path, left out of a checkpoint's fingerprint.
  static let outputOptions: Set<String> = [
    "--xyz", "--csv", "--svg", "--range", "--grid", "--energy-max", "--checkpoint", "--jobs",
    "--modes",
  ]

  var log: EvaluationLog
  /// The running engine, kept to end it (an i-PI server sends its clients EXIT).
  var engine: any Engine
  var surface: EngineSurface
  var started = DispatchTime.now()

  /// Binds `potential` (an engine kind) to the atoms of the XYZ start and a running engine;
  /// nil for any other kind. The start must be an XYZ file.
  static func bind(
    _ potential: inout Potential, file: String, start: StartPoint, arguments: ParsedArguments,
    spec: CommandSpec
  ) throws -> EngineRun? {
    try bind(&potential, file: file, xyzPath: start.xyzPath, arguments: arguments, spec: spec)
  }

  /// `bind` for a command whose start is an XYZ file or something else (`freq`'s label).
  /// `also` names further XYZ inputs (neb's `--to`) whose geometry is part of the start a
  /// checkpoint is written for.
  static func bind(
    _ potential: inout Potential, file: String, xyzPath: String?, also: [String] = [],
    arguments: ParsedArguments, spec: CommandSpec
  ) throws -> EngineRun? {
    guard let specification = potential.engineSpecification else {
      for option in ["--checkpoint", "--jobs"] where arguments.values[option] != nil {
        throw UsageError(
          message: "\(option) applies to the engine kinds (xtb, external, ipi), not "
            + "\(potential.model.kindName)",
          command: spec)
      }
      return nil
    }
    guard let xyzPath else {
      throw UsageError(
        message: "kind \(specification.kind) takes its atoms from the start: give --from FILE.xyz",
        command: spec)
    }
    let jobs =
      try arguments.integer("--jobs", minimum: 1, spec: spec)
      ?? ProcessInfo.processInfo.activeProcessorCount
    let xyz = try MolecularRun.readXYZ(xyzPath)
    if potential.molecule == nil {
      do {
        potential.molecule = try Molecule(symbols: xyz.symbols)
      } catch {
        throw CommandError(message: "\(xyzPath): \(error)")
      }
      potential.coordinateNames = Molecule.coordinateNames(atomCount: xyz.symbols.count)
    }
    var checkpoint: CheckpointFile?
    if let path = arguments.values["--checkpoint"] {
      let geometries = try [xyz] + also.map(MolecularRun.readXYZ)
      let fingerprint: [(name: String, value: String)] = [
        (
          "surface",
          ContentFingerprint.of((try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data())
        ),
        (
          "start",
          geometries.map { xyz in
            xyz.symbols.joined(separator: " ") + " "
              + xyz.coordinates.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
          }.joined(separator: " | ")
        ),
        ("settings", settingsText(arguments)),
      ]
      do {
        checkpoint = try CheckpointFile(path: path, fingerprint: fingerprint)
      } catch {
        throw CommandError(message: "\(error)")
      }
    }
    let log = EvaluationLog(checkpoint: checkpoint)
    let engine: any Engine
    do {
      engine = try specification.engine(environment: ProcessInfo.processInfo.environment)
    } catch {
      throw CommandError(
        message: "\(file): cannot start the \(potential.model.kindName) engine: \(error)")
    }
    return EngineRun(
      log: log, engine: engine,
      surface: EngineSurface(engine: engine, symbols: xyz.symbols, log: log, jobs: jobs))
  }

  /// The command line minus the options that only name outputs: what changes the path.
  static func settingsText(_ arguments: ParsedArguments) -> String {
    let options = arguments.values.filter { !outputOptions.contains($0.key) }
      .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    let flags = arguments.flags.subtracting(["--json"]).sorted()
    return (options + flags).joined(separator: " ")
  }

  /// The saddle refinement on an engine: P-RFO on the start's Hessian, Bofill-updated, with
  /// one more evaluated Hessian at the saddle (the one the trace and the frequencies use).
  static func saddleSearch(_ scale: SurfaceScale) throws -> SaddleRefiner {
    var options = try SaddleRefiner.Options.scaled(to: scale)
    options.hessian = .updated
    return SaddleRefiner(options: options)
  }

  /// How `neb` traces the IRC of each saddle its band found on an engine: as `trace` would
  /// (eulerpc on Bofill-updated Hessians, `TraceSettings.engineTracer`), not the model
  /// surfaces' adaptive method with an exact Hessian at every step.
  static let pathTracing = MinimumEnergyPath.Tracing(
    overrides: .init(method: .eulerpc, hessian: .updated)
  ) { try $0.engineTracer() }

  /// The engine's counts, as the log ends: calls, Hessians and how obtained, replays,
  /// failures, and wall time in the engine versus in the tool.
  func report(updatedHessians: Bool = true) -> String {
    let statistics = log.statistics
    let total = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    return "engine:   \(surface.engine.name), \(statistics.gradientCalls) gradient calls "
      + "(\(statistics.engineCalls) computed, \(statistics.replayedGradients) replayed from the "
      + "checkpoint, \(statistics.repeatedGradients) repeated requests answered from memory), "
      + "\(statistics.failures) failed\n"
      + "          Hessians: \(statistics.finiteDifferenceHessians + statistics.replayedHessians) by "
      + "finite differences along the internal coordinates (2 gradient calls per direction: "
      + "\(statistics.hessianGradientCalls) calls, counted above)"
      + (updatedHessians
        ? "; every other Hessian the method used was a Bofill update (no call)\n" : "\n")
      + "          time: \(NumberFormat.fixed(statistics.engineSeconds, 2)) s in the engine, "
      + "\(NumberFormat.fixed(max(0, total - statistics.engineSeconds), 2)) s in the tool\n"
  }

  func json() -> JSONValue {
    let statistics = log.statistics
    let total = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    return .object([
      .init("engine", .string(surface.engine.name)),
      .init("gradientCalls", .number(Double(statistics.gradientCalls))),
      .init("computed", .number(Double(statistics.engineCalls))),
      .init("replayed", .number(Double(statistics.replayedGradients))),
      .init("repeated", .number(Double(statistics.repeatedGradients))),
      .init("failures", .number(Double(statistics.failures))),
      .init(
        "finiteDifferenceHessians",
        .number(Double(statistics.finiteDifferenceHessians + statistics.replayedHessians))),
      .init("hessianGradientCalls", .number(Double(statistics.hessianGradientCalls))),
      .init("engineSeconds", .number(statistics.engineSeconds)),
      .init("toolSeconds", .number(max(0, total - statistics.engineSeconds))),
    ])
  }

  /// Ends the engine: an i-PI server sends EXIT to its clients and removes its socket file;
  /// the last program calls' folders are removed.
  func finish() {
    (engine as? IPIEngine)?.shutDown()
    ScratchFolder.finishRemovals()
  }

  /// After a failed call: the geometry saved next to the outputs and the engine's last
  /// words, for the log. Nil when no call failed.
  func failureReport(near output: String?) -> String? {
    guard let failure = log.lastFailure else { return nil }
    let folder = output.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? "."
    let path = folder + "/irc-engine-failure.xyz"
    let frame = failure.symbols.enumerated().map { atom, symbol in
      symbol + " "
        + (0..<3).map { NumberFormat.roundTrip(failure.positions[3 * atom + $0]) }
        .joined(separator: " ")
    }
    let text =
      "\(failure.symbols.count)\n\(failure.description)\n" + frame.joined(separator: "\n") + "\n"
    var report = "engine failure: \(failure)\n"
    if (try? Self.writeWhole(text, to: path)) != nil {
      report += "  failing geometry written to \(path)\n"
    }
    if !failure.stderrTail.isEmpty {
      report +=
        "  last lines of the engine's stderr:\n"
        + failure.stderrTail.map { "    \($0)\n" }.joined()
    }
    return report
  }
}

extension EngineRun {
  /// Commands other than `trace`, `saddle`, `freq` and `neb` do not run engines: they
  /// refuse an engine kind before computing anything, instead of evaluating an unbound
  /// surface.
  static func refuse(_ potential: Potential, in command: String) throws(CommandError) {
    guard let specification = potential.engineSpecification else { return }
    throw CommandError(
      message: "\(potential.name) is computed by the \(specification.kind) engine, which "
        + "'irc \(command)' cannot run; 'irc trace', 'irc saddle', 'irc freq' and 'irc neb' "
        + "can, e.g. 'irc trace \(potential.name) --from FILE.xyz'"
    )
  }

  /// Writes `text` to `path` whole (an unnamed temporary linked in when complete).
  private static func writeWhole(_ text: String, to path: String) throws(CommandError) {
    var file = try StagedFile(for: path)
    try file.write(text)
    try file.link()
    try file.rename()
  }
}
