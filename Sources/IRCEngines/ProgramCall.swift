import Foundation
import IRCKit

/// One call of a program engine, in the three steps pysisyphus's subprocess calculators
/// use: prepare the input in a fresh folder, run the program there, parse its output.
/// The folder is removed afterwards, whatever happened.
struct ProgramCall {
  var engine: String
  var symbols: [String]
  var positions: Vector
  var arguments: [String]
  var timeout: Double?
  var environment: [String: String] = [:]

  func run(
    prepare: (URL) throws -> Void,
    parse: (URL) throws(EngineFailure.Cause) -> EngineResult
  ) throws(EngineFailure) -> EngineResult {
    func failure(_ cause: EngineFailure.Cause, _ stderr: [String] = []) -> EngineFailure {
      EngineFailure(engine, cause, symbols: symbols, positions: positions, stderr: stderr)
    }
    let folder: URL
    do {
      folder = try ScratchFolder.make()
    } catch {
      throw failure(.unreadableOutput("no scratch folder could be made: \(error)"))
    }
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      try prepare(folder)
    } catch {
      throw failure(.unreadableOutput("the input could not be written: \(error)"))
    }
    let process = Subprocess(
      arguments: arguments, directory: folder.path, timeout: timeout, environment: environment)
    let (outcome, stderr) = process.run()
    switch outcome {
    case .cannotStart(let reason):
      throw failure(.missingProgram("\(arguments[0]) (\(reason))"), stderr)
    case .timedOut: throw failure(.timeout(seconds: timeout ?? 0), stderr)
    case .signalled(let signal): throw failure(.signal(signal), stderr)
    case .exited(let status) where status != 0: throw failure(.exitStatus(status), stderr)
    case .exited: break
    }
    let result: EngineResult
    do {
      result = try parse(folder)
    } catch {
      throw failure(error, stderr)
    }
    guard result.gradient.count == positions.count else {
      throw failure(
        .wrongAtomCount(expected: symbols.count, found: result.gradient.count / 3), stderr)
    }
    guard result.energy.isFinite, result.gradient.isFinite else {
      throw failure(.nonFiniteOutput, stderr)
    }
    return result
  }
}

/// A fresh, private folder for one engine call under `$TMPDIR` (or /tmp).
enum ScratchFolder {
  static func make() throws -> URL {
    let base =
      ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "/tmp"
    var template = Array((base + "/irc-engine-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    guard made != nil else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: base])
    }
    return URL(fileURLWithPath: String(cString: template), isDirectory: true)
  }
}

/// Reading the numbers engines write.
enum EngineOutput {
  /// A number as Fortran programs write it: `1.5E-02`, `1.5D-02`, `-.5d0`.
  static func number(_ token: Substring) -> Double? {
    Double(token.replacingOccurrences(of: "D", with: "E").replacingOccurrences(of: "d", with: "e"))
  }

  /// The text of `name` in `folder`, or why there is none.
  static func text(_ name: String, in folder: URL) throws(EngineFailure.Cause) -> String {
    guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path)
    else { throw .unreadableOutput("the program wrote no \(name) file") }
    return String(decoding: data, as: UTF8.self)
  }

  /// An XYZ frame in Å with every coordinate written to round-trip precision, so that the
  /// engine sees exactly the geometry the tool means.
  static func xyz(symbols: [String], positions: Vector, comment: String = "") -> String {
    var text = "\(symbols.count)\n\(comment)\n"
    for (atom, symbol) in symbols.enumerated() {
      let xyz = (0..<3).map { "\(positions[3 * atom + $0])" }
      text += "\(symbol) \(xyz.joined(separator: " "))\n"
    }
    return text
  }
}
