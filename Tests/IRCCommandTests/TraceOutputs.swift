import Foundation
import Testing

/// One `irc trace` run in a fresh working directory, with the files it wrote read back.
struct TraceOutputs: Sendable {
  var result: IRC.Result
  var xyz: Data?
  var csv: Data?
  /// The working directory's contents after the run.
  var files: [String]

  /// Runs `irc trace <arguments> --xyz path.xyz --csv path.csv [--json]` in a temporary
  /// directory (relative output paths, so the files land in the working directory).
  static func trace(
    _ arguments: [String], json: Bool = true, environment: [String: String] = [:]
  ) async throws -> TraceOutputs {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let outputs = ["--xyz", "path.xyz", "--csv", "path.csv"] + (json ? ["--json"] : [])
    let result = try await IRC.run(
      ["trace"] + arguments + outputs, environment: environment, in: directory.url)
    return TraceOutputs(
      result: result,
      xyz: try? Data(contentsOf: directory.file("path.xyz")),
      csv: try? Data(contentsOf: directory.file("path.csv")),
      files: try directory.contents())
  }

  /// The default Müller–Brown trace from S1, traced once and read by several tests. The
  /// run uses a German locale, in which a careless writer would print decimal commas.
  static let mullerBrown = Task {
    try await trace([], environment: ["LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"])
  }

  /// LEPS, whose branches end in asymptotic valleys.
  static let leps = Task { try await trace(["leps"]) }

  /// The `--json` summary as parsed by JSONSerialization: checks it is one document and
  /// shows which keys are present (null included).
  func summary() throws -> [String: Any] {
    try JSONDocument.object(result.stdout)
  }

  /// The same summary decoded by JSONDecoder, for exact comparisons: JSONSerialization in
  /// swift-corelibs-foundation can read a double one unit in the last place off.
  func decoded() throws -> TraceSummary {
    try JSONDecoder().decode(TraceSummary.self, from: Data(result.stdout.utf8))
  }

  func frames() throws -> [XYZFrame] {
    try XYZTrajectory.parse(try #require(xyz, "no XYZ file was written: \(result)"))
  }

  func table() throws -> CSVTable {
    try CSVTable.parse(try #require(csv, "no CSV file was written: \(result)"))
  }
}

/// The fields of a trace's `--json` summary that `shared/reference/outputs.md` requires.
struct TraceSummary: Decodable {
  struct Point: Decodable {
    var coordinates: [Double]
    var energy: Double
    var gradNorm: Double
    var hessianEigenvalues: [Double]?
    var matches: String?
  }

  struct Branch: Decodable {
    var direction: String
    var termination: String
    var steps: Int
    var arcLength: Double
    var gradientEvaluations: Int
    var hessianEvaluations: Int
    var end: Point
  }

  var potential: String
  var saddle: Point
  var branches: [Branch]

  func branch(_ direction: String) throws -> Branch {
    try #require(branches.first { $0.direction == direction }, "no \(direction) branch")
  }
}

/// Reading a `--json` document.
enum JSONDocument {
  /// stdout must be one JSON object and nothing else.
  static func object(_ text: String) throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(parsed as? [String: Any], "stdout is not one JSON object: \(text)")
  }

  static func branches(_ summary: [String: Any]) throws -> [[String: Any]] {
    try #require(summary["branches"] as? [[String: Any]], "no branches array")
  }

  static func branch(_ summary: [String: Any], _ direction: String) throws -> [String: Any] {
    try #require(
      branches(summary).first { $0["direction"] as? String == direction }, "no \(direction) branch")
  }

  static func numbers(_ value: Any?) throws -> [Double] {
    try #require(value as? [Double], "not an array of numbers: \(String(describing: value))")
  }
}

/// Checks every path file shares: the frame order of the contract, the keys of each
/// comment line, and that the CSV rows are the XYZ frames, number for number.
enum PathChecks {
  static let directions = ["backward", "saddle", "forward"]

  static func checkFrames(_ frames: [XYZFrame], sourceLocation: SourceLocation = #_sourceLocation)
    throws
  {
    for frame in frames {
      #expect(frame["pbc"] == "F F F", "\(frame.comment)", sourceLocation: sourceLocation)
      for key in ["energy", "grad_norm", "s"] { _ = try frame.number(key) }
      let direction = try #require(frame["direction"], sourceLocation: sourceLocation)
      #expect(directions.contains(direction), "\(frame.comment)", sourceLocation: sourceLocation)
      #expect(Int(try #require(frame["step"])) != nil, "\(frame.comment)")
    }
    // backward…, saddle, forward… with s strictly increasing through 0 at the saddle.
    let order = frames.map { directions.firstIndex(of: $0["direction"] ?? "") ?? -1 }
    #expect(order == order.sorted(), "directions out of order", sourceLocation: sourceLocation)
    let saddles = frames.indices.filter { frames[$0]["direction"] == "saddle" }
    #expect(saddles.count == 1, "exactly one saddle frame", sourceLocation: sourceLocation)
    let arc = try frames.map { try $0.number("s") }
    for (index, frame) in frames.enumerated() {
      switch frame["direction"] {
      case "backward": #expect(arc[index] < 0, "\(frame.comment)", sourceLocation: sourceLocation)
      case "forward": #expect(arc[index] > 0, "\(frame.comment)", sourceLocation: sourceLocation)
      default:
        #expect(frame["s"] == "0.0" && frame["step"] == "0", "\(frame.comment)")
      }
    }
    for index in arc.indices.dropFirst() where !(arc[index - 1] < arc[index]) {
      Issue.record(
        "s does not increase at frame \(index): \(arc[index - 1]) then \(arc[index])",
        sourceLocation: sourceLocation)
    }
    // step counts from 0 at the saddle along each branch.
    let backward = frames.filter { $0["direction"] == "backward" }.compactMap { Int($0["step"]!) }
    let forward = frames.filter { $0["direction"] == "forward" }.compactMap { Int($0["step"]!) }
    #expect(
      backward == Array(stride(from: backward.count, to: 0, by: -1)),
      "backward steps count down to 1", sourceLocation: sourceLocation)
    #expect(
      forward == Array(stride(from: 1, through: forward.count, by: 1)),
      "forward steps count up from 1", sourceLocation: sourceLocation)
    // Downhill both ways: the highest energy of the path is the saddle's.
    let energy = try frames.map { try $0.number("energy") }
    if let saddle = saddles.first {
      for index in energy.indices.dropFirst() {
        let uphill = index <= saddle
        if uphill ? energy[index] < energy[index - 1] : energy[index] > energy[index - 1] {
          let rise = "\(energy[index - 1]) then \(energy[index])"
          Issue.record(
            "energy rises away from the saddle at frame \(index): \(rise)",
            sourceLocation: sourceLocation)
        }
      }
    }
  }

  /// The CSV holds the same points as the XYZ, with the same numbers to the last bit.
  static func checkCSV(
    _ table: CSVTable, matches frames: [XYZFrame], coordinates: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(
      table.header == ["s", "energy", "grad_norm", "direction", "step"] + coordinates,
      sourceLocation: sourceLocation)
    try #require(
      table.rows.count == frames.count, "CSV rows \(table.rows.count), XYZ frames \(frames.count)",
      sourceLocation: sourceLocation)
    let columns = [("s", "s"), ("energy", "energy"), ("grad_norm", "grad_norm")]
    for (row, frame) in zip(table.rows.indices, frames) {
      for (csvName, xyzKey) in columns {
        let csvValue = try table.numbers(csvName)[row]
        if csvValue != (try frame.number(xyzKey)) {
          Issue.record(
            "row \(row): CSV \(csvName) \(csvValue) ≠ XYZ \(xyzKey) \(frame[xyzKey]!)",
            sourceLocation: sourceLocation)
        }
      }
      #expect(try table.column("direction")[row] == frame["direction"])
      #expect(try table.column("step")[row] == frame["step"])
    }
  }

  /// Each branch's `steps` in the JSON is its number of rows, and its end is the last row.
  static func checkBranches(
    _ summary: TraceSummary, table: CSVTable, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let directions = try table.column("direction")
    let arc = try table.numbers("s")
    let energy = try table.numbers("energy")
    let gradNorm = try table.numbers("grad_norm")
    for direction in ["backward", "forward"] {
      let branch = try summary.branch(direction)
      let rows = directions.indices.filter { directions[$0] == direction }
      #expect(
        branch.steps == rows.count, "\(direction) steps vs CSV rows \(rows.count)",
        sourceLocation: sourceLocation)
      guard let last = direction == "forward" ? rows.last : rows.first else { continue }
      #expect(branch.arcLength == abs(arc[last]), sourceLocation: sourceLocation)
      #expect(branch.end.energy == energy[last], sourceLocation: sourceLocation)
      #expect(branch.end.gradNorm == gradNorm[last], sourceLocation: sourceLocation)
    }
    let saddle = try #require(directions.firstIndex(of: "saddle"), sourceLocation: sourceLocation)
    #expect(summary.saddle.energy == energy[saddle], sourceLocation: sourceLocation)
    #expect(summary.saddle.gradNorm == gradNorm[saddle], sourceLocation: sourceLocation)
  }
}
