import Foundation
import Testing

/// The test harness itself: the readers refuse what the contract forbids, and a run that
/// outlasts its timeout is killed and fails. A reader that accepted anything would make
/// every file check above pass vacuously.
@Suite struct HarnessTests {
  static let comment =
    #"Properties=species:S:1:pos:R:3 energy=-1.5 grad_norm=0.25 s=0.0 step=0 direction=saddle pbc="F F F""#
  static let valid = "1\n\(comment)\nX -0.5 1.25 0.0\n1\n\(comment)\nX 0.5 1.0 0.0\n"

  @Test func xyzReaderAcceptsAContractFile() throws {
    let frames = try XYZTrajectory.parse(Data(Self.valid.utf8))
    #expect(frames.count == 2)
    #expect(try frames[0].number("energy") == -1.5)
    #expect(frames[0]["pbc"] == "F F F")
    #expect(frames[1].atoms.first?.position == [0.5, 1.0, 0.0])
  }

  /// Files that break one rule of the contract each, by the rule they break.
  static let broken: KeyValuePairs<String, String> = [
    "trailing blank line": valid + "\n",
    "no final newline": String(valid.dropLast()),
    "CRLF": valid.replacingOccurrences(of: "\n", with: "\r\n"),
    "bare word": valid.replacingOccurrences(of: "energy=-1.5", with: "energy -1.5"),
    "capital Energy": valid.replacingOccurrences(of: "s=0.0", with: "s=0.0 Energy=2"),
    "Lattice": valid.replacingOccurrences(of: "s=0.0", with: #"s=0.0 Lattice="1 0 0""#),
    "count line with text": valid.replacingOccurrences(of: "1\nProp", with: "1 atom\nProp"),
    "changing atom count": valid + "2\n\(comment)\nX 0 0 0\nX 1 1 0\n",
    "Properties not first": valid.replacingOccurrences(of: "Properties=", with: "Props="),
    "lower-case symbol": valid.replacingOccurrences(of: "X -0.5", with: "x -0.5"),
    "decimal comma": valid.replacingOccurrences(of: "X 0.5 1.0", with: "X 0,5 1.0"),
    "not ASCII": valid.replacingOccurrences(of: "saddle", with: "s\u{E4}ddle"),
    "comment of 1024 bytes": valid.replacingOccurrences(
      of: "s=0.0", with: "s=0.0 n=" + String(repeating: "9", count: 1024)),
  ]

  @Test(arguments: broken.map(\.key))
  func xyzReaderRefuses(_ rule: String) throws {
    let text = try #require(Self.broken.first { $0.key == rule }?.value)
    #expect(throws: FormatError.self, "a file with \(rule) was accepted") {
      try XYZTrajectory.parse(Data(text.utf8))
    }
  }

  @Test func xyzNumberRefusesNonFinite() throws {
    let text = Self.valid.replacingOccurrences(of: "energy=-1.5", with: "energy=nan")
    let frames = try XYZTrajectory.parse(Data(text.utf8))
    #expect(throws: FormatError.self) { try frames[0].number("energy") }
  }

  @Test func csvReaderChecksShape() throws {
    let table = try CSVTable.parse(Data("s,energy\n0.0,-1.5\n".utf8))
    #expect(try table.numbers("energy") == [-1.5])
    #expect(throws: FormatError.self) { try CSVTable.parse(Data("s,energy\n0.0\n".utf8)) }
    #expect(throws: FormatError.self) { try CSVTable.parse(Data("s,energy\n0.0,1\n\n".utf8)) }
    #expect(throws: FormatError.self) { try table.numbers("x") }
  }

  @Test func runnerKillsARunThatOutlastsItsTimeout() async throws {
    await #expect(throws: IRC.RunError.self) {
      // Every method on both Müller–Brown saddles, each run timed 100 times: minutes of
      // work, so the 200 ms limit always strikes first.
      try await IRC.run(["bench", "muller-brown", "--repeats", "100"], timeout: .milliseconds(200))
    }
  }
}
