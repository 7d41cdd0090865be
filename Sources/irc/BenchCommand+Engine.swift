import Foundation
import IRCBench
import IRCEngines
import IRCKit

/// `irc bench --engine FILE --from GEOM.xyz`: the tool's own cost per engine call.
extension BenchCommand {
  static let engineOptions: [OptionSpec] = [
    .option(
      "--engine", "file",
      "Measure the tool's own cost per call of this engine potential instead: xtb and "
        + "external calls through irc against bare runs of the program on the same input, "
        + "interleaved; ipi evaluations answered at once by a client in this process; needs --from"),
    .option("--from", "file.xyz", "For --engine: the geometry every call evaluates"),
    .option(
      "--calls", "n",
      "For --engine: calls measured, \(callLimits.lowerBound)–\(callLimits.upperBound) "
        + "(default: 50)"),
  ]
  static let callLimits = 1...100_000

  static func engineOverhead(_ arguments: ParsedArguments, console: Console, json: Bool) throws
    -> ExitCode
  {
    for option in ["--methods", "--repeats", "--svg", "--sizes"]
    where arguments.values[option] != nil {
      throw UsageError(message: "\(option) does not apply to --engine", command: spec)
    }
    for flag in ["--saddles", "--surfaces", "--clusters"] where arguments.has(flag) {
      throw UsageError(message: "\(flag) does not apply to --engine", command: spec)
    }
    guard let from = arguments.values["--from"], from.lowercased().hasSuffix(".xyz") else {
      throw UsageError(message: "--engine needs --from <file.xyz>: the geometry", command: spec)
    }
    let calls = try arguments.integer("--calls", in: callLimits, spec: spec) ?? 50
    let (potential, file) = try PotentialLocator.load(arguments.values["--engine"]!)
    guard let specification = potential.engineSpecification else {
      throw CommandError(
        message: "\(file) is a \(potential.model.kindName) surface, not an engine kind; "
          + "--engine measures the engine kinds (xtb, external, ipi)")
    }
    let xyz = try MolecularRun.readXYZ(from)
    let running: any Engine
    do {
      running = try specification.engine(environment: ProcessInfo.processInfo.environment)
    } catch {
      throw CommandError(message: "\(file): cannot start the engine: \(error)")
    }
    if let server = running as? IPIEngine {
      return try ipiOverhead(
        server, file: file, xyz: xyz, from: from, calls: calls, console: console, json: json)
    }
    guard let engine = running as? any ProgramEngine else {
      throw CommandError(message: "\(file): kind \(specification.kind) cannot be measured")
    }
    console.log(
      "engine overhead: \(engine.name) (\(file)), \(xyz.symbols.count) atoms from \(from), "
        + "\(calls) calls through irc and \(calls) bare runs, interleaved (release build for "
        + "meaningful times)\n")
    let samples: EngineOverhead.Samples
    do {
      samples = try EngineOverhead.measure(
        engine, symbols: xyz.symbols, positions: xyz.coordinates, calls: calls)
    } catch {
      throw CommandError(message: "\(file): \(error)")
    }
    let summary = EngineOverhead.summary(samples)
    console.log(engineText(summary))
    if json { console.out(engineJSON(summary, engine: engine.name).serialized() + "\n") }
    return .success
  }

  /// `--engine` on an `ipi` file: evaluations answered at once by a client in this
  /// process, over the file's address.
  static func ipiOverhead(
    _ engine: IPIEngine, file: String, xyz: XYZGeometry, from: String, calls: Int,
    console: Console, json: Bool
  ) throws -> ExitCode {
    console.log(
      "engine overhead: ipi (\(file)) on \(engine.server.address), \(xyz.symbols.count) atoms "
        + "from \(from), \(calls) evaluations answered at once by a client in this process "
        + "(release build for meaningful times)\n")
    let times: [Double]
    do {
      times = try IPIOverhead.measure(
        engine, symbols: xyz.symbols, positions: xyz.coordinates, calls: calls)
    } catch {
      engine.shutDown()
      throw CommandError(message: "\(file): \(error)")
    }
    let spread = EngineOverhead.Spread(times)
    console.log(
      TraceLog.pad("ms per evaluation", 22, right: false) + "    median       p10       p90\n"
        + TraceLog.pad("through irc", 22, right: false)
        + [spread.median, spread.low, spread.high].map {
          TraceLog.pad(NumberFormat.fixed(1000 * $0, 3), 10)
        }.joined() + "\n")
    if json {
      console.out(
        JSONValue.object([
          .init("engine", .string("ipi")), .init("calls", .number(Double(times.count))),
          .init("unit", .string("ms")),
          .init(
            "tool",
            .object([
              .init("median", .number(1000 * spread.median)),
              .init("p10", .number(1000 * spread.low)), .init("p90", .number(1000 * spread.high)),
            ])),
        ]).serialized() + "\n")
    }
    return .success
  }

  static func engineText(_ summary: EngineOverhead.Summary) -> String {
    func row(_ label: String, _ spread: EngineOverhead.Spread) -> String {
      TraceLog.pad(label, 22, right: false)
        + [spread.median, spread.low, spread.high].map {
          TraceLog.pad(NumberFormat.fixed(1000 * $0, 3), 10)
        }.joined() + "\n"
    }
    var text = TraceLog.pad("ms per call", 22, right: false) + "    median       p10       p90\n"
    text += row("through irc", summary.tool) + row("bare, fresh folder", summary.bareFresh)
    text += row("bare, same folder", summary.bare)
    text += row("overhead (paired)", summary.overheadFresh)
    text += row("  vs same folder", summary.overhead)
    text += "phases of the call through irc:\n"
    for (name, spread) in summary.phases { text += row("  " + name, spread) }
    return text
  }

  static func engineJSON(_ summary: EngineOverhead.Summary, engine: String) -> JSONValue {
    func spread(_ value: EngineOverhead.Spread) -> JSONValue {
      .object([
        .init("median", .number(1000 * value.median)), .init("p10", .number(1000 * value.low)),
        .init("p90", .number(1000 * value.high)),
      ])
    }
    return .object([
      .init("engine", .string(engine)), .init("calls", .number(Double(summary.calls))),
      .init("unit", .string("ms")), .init("tool", spread(summary.tool)),
      .init("bareFreshFolder", spread(summary.bareFresh)), .init("bare", spread(summary.bare)),
      .init("overhead", spread(summary.overheadFresh)),
      .init("overheadAgainstSameFolder", spread(summary.overhead)),
      .init("phases", .object(summary.phases.map { .init($0.name, spread($0.spread)) })),
    ])
  }
}
