import Foundation
import IRCKit

/// One recorded evaluation.
public enum CheckpointRecord: Sendable, Equatable {
  case gradient(Vector, EngineResult)
  case hessian(Vector, Matrix)
}

/// The file behind `--checkpoint`: a header that fingerprints the run, then one line per
/// evaluation, each appended and flushed to disk (`fsync`) before its value is used.
///
/// Format (text, one record per line, every number the 16 hex digits of a Double's bit
/// pattern so that a replayed value is the computed one, bit for bit):
///
///     {"format":"irc-checkpoint/1","fingerprint":{"surface":"…","start":"…",…}}
///     g N x₁ … x_N E g₁ … g_N
///     h N x₁ … x_N H₁₁ H₁₂ … H_NN
///
/// A kill can tear only the last line (every earlier one was synced); a torn last line is
/// dropped and the file cut back to the last whole record before anything is appended.
/// Records are appended whole under a lock, so evaluations made at once (a Hessian's
/// gradients, the two branches traced at once) interleave by line, never within one; their
/// order is that of completion and varies from run to run, which is harmless because a
/// rerun matches records by geometry (`EvaluationLog`), not by position.
public final class CheckpointFile: @unchecked Sendable {
  /// The format written on the first line.
  public static let format = "irc-checkpoint/1"

  public let path: String
  /// The evaluations an earlier run recorded, in the order they were written.
  public let recorded: [CheckpointRecord]
  private let descriptor: Int32
  private let lock = NSLock()

  /// Opens `path` for a run fingerprinted by `fingerprint` (name–value pairs: surface
  /// file, start geometry, settings that change the path). A new file gets the header; an
  /// existing one must carry the same fingerprint, and its records are read for replay.
  public init(path: String, fingerprint: [(name: String, value: String)]) throws(CheckpointError) {
    self.path = path
    let existing = FileManager.default.contents(atPath: path) ?? Data()
    let contents = CheckpointContents(path: path, bytes: [UInt8](existing))
    let header = Self.header(fingerprint)
    var keep = 0
    if existing.isEmpty {
      recorded = []
    } else {
      let parsed = try contents.parse(expecting: fingerprint)
      recorded = parsed.records
      keep = parsed.validBytes
    }
    descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    if existing.isEmpty {
      try write(header + "\n")
    } else if ftruncate(descriptor, off_t(keep)) != 0 || lseek(descriptor, 0, SEEK_END) < 0 {
      throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
  }

  deinit { close(descriptor) }

  /// Appends one evaluation and waits until it is on disk.
  public func append(_ record: CheckpointRecord) throws(CheckpointError) {
    try write(Self.line(for: record) + "\n")
  }

  private func write(_ text: String) throws(CheckpointError) {
    let bytes = Array(text.utf8)
    let failure: String? = lock.withLock {
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes {
          Glibc.write(descriptor, $0.baseAddress, $0.count)
        }
        if written < 0 {
          if errno == EINTR { continue }
          return String(cString: strerror(errno))
        }
        offset += written
      }
      return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
    }
    if let failure { throw .cannotWrite(path: path, reason: failure) }
  }

  static func header(_ fingerprint: [(name: String, value: String)]) -> String {
    JSONValue.object([
      .init("format", .string(format)),
      .init(
        "fingerprint", .object(fingerprint.map { .init($0.name, .string($0.value)) })),
    ]).serialized(pretty: false)
  }

  static func line(for record: CheckpointRecord) -> String {
    func hex(_ values: some Sequence<Double>) -> String {
      values.map { String($0.bitPattern, radix: 16) }.joined(separator: " ")
    }
    switch record {
    case .gradient(let point, let result):
      return "g \(point.count) \(hex(point)) \(hex([result.energy])) \(hex(result.gradient))"
    case .hessian(let point, let hessian):
      return "h \(point.count) \(hex(point)) \(hex(hessian.entries))"
    }
  }
}

/// Why a checkpoint cannot be used.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file is not a checkpoint of this tool (its first line is not the header).
  case notACheckpoint(path: String)
  /// The file was written by a run with other inputs: the names of the fingerprint
  /// entries that differ (`surface`, `start`, a setting).
  case mismatch(path: String, differing: [String])
  /// A record before the last line is malformed: the file was edited or damaged.
  case corrupt(path: String, line: Int)
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .notACheckpoint(let path):
      return "\(path) is not an irc checkpoint (its first line is not an \(CheckpointFile.format) "
        + "header); give a new file name or the checkpoint of this run"
    case .mismatch(let path, let differing):
      return "\(path) was written for another run; what differs from this one: "
        + differing.joined(separator: ", ")
        + "; rerun with the original inputs or give a new checkpoint file"
    case .corrupt(let path, let line):
      return "\(path): line \(line) is not a checkpoint record; the file was damaged or edited"
    case .cannotWrite(let path, let reason):
      return "cannot write the checkpoint \(path): \(reason)"
    }
  }
}

/// The parse of an existing checkpoint's bytes.
struct CheckpointContents {
  var path: String
  var bytes: [UInt8]

  /// The records and the number of bytes up to the end of the last whole one.
  func parse(
    expecting fingerprint: [(name: String, value: String)]
  ) throws(CheckpointError) -> (records: [CheckpointRecord], validBytes: Int) {
    var lines: [(text: String, end: Int)] = []
    var start = 0
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      lines.append((String(decoding: bytes[start..<index], as: UTF8.self), index + 1))
      start = index + 1
    }
    let torn = start < bytes.count
    guard let first = lines.first else {
      // Not even the header is whole: a run killed while creating the file.
      if torn { throw .notACheckpoint(path: path) }
      return ([], 0)
    }
    try check(header: first.text, against: fingerprint)
    var records: [CheckpointRecord] = []
    var valid = first.end
    for (offset, line) in lines.enumerated().dropFirst() {
      // A torn write has no newline yet (dropped above); a whole line must be a record.
      guard let record = Self.record(line.text) else {
        throw .corrupt(path: path, line: offset + 1)
      }
      records.append(record)
      valid = line.end
    }
    return (records, valid)
  }

  private func check(
    header: String, against fingerprint: [(name: String, value: String)]
  ) throws(CheckpointError) {
    guard let json = try? JSONValue(parsing: header),
      json["format"] == .string(CheckpointFile.format),
      case .object(let members)? = json["fingerprint"]
    else { throw .notACheckpoint(path: path) }
    let recorded = Dictionary(
      members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    var differing = fingerprint.filter { recorded[$0.name] != .string($0.value) }.map(\.name)
    let names = Set(fingerprint.map(\.name))
    differing += members.map(\.key).filter { !names.contains($0) }
    guard differing.isEmpty else { throw .mismatch(path: path, differing: differing) }
  }

  /// A record line, or nil when it is not one whole record.
  static func record(_ line: String) -> CheckpointRecord? {
    let fields = line.split(separator: " ", omittingEmptySubsequences: false)
    guard fields.count >= 2, let n = Int(fields[1]), n > 0 else { return nil }
    var numbers: [Double] = []
    numbers.reserveCapacity(fields.count - 2)
    for field in fields.dropFirst(2) {
      guard field.count <= 16, let bits = UInt64(field, radix: 16) else { return nil }
      numbers.append(Double(bitPattern: bits))
    }
    let point = Vector(Array(numbers.prefix(n)))
    switch fields[0] {
    case "g" where numbers.count == 2 * n + 1:
      return .gradient(
        point, EngineResult(energy: numbers[n], gradient: Vector(Array(numbers[(n + 1)...]))))
    case "h" where numbers.count == n + n * n:
      return .hessian(point, Matrix(rows: n, columns: n, entries: Array(numbers[n...])))
    default:
      return nil
    }
  }
}
