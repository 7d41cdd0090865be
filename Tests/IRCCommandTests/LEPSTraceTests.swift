import Foundation
import Testing

/// `irc trace leps`: collinear A–B–C with free atoms, no finite minima. Both branches run
/// into asymptotic valleys, and the trajectory holds three H atoms on the x axis.
@Suite struct LEPSTraceTests {
  @Test func bothBranchesEndAsymptotic() async throws {
    let outputs = try await TraceOutputs.leps.value
    let run = outputs.result
    #expect(run.status == 0, "\(run)")
    let summary = try outputs.summary()
    #expect(summary["potential"] as? String == "leps")
    for branch in try JSONDocument.branches(summary) {
      #expect(branch["termination"] as? String == "asymptotic")
      let end = try #require(branch["end"] as? [String: Any])
      #expect(end["matches"] is NSNull)
    }
    let summaryLines = run.stderr.split(separator: "\n").drop { !$0.hasPrefix("forward:  ") }
    #expect(summaryLines.first?.hasPrefix("forward:  asymptotic after ") == true)
    #expect(summaryLines.contains { $0.hasPrefix("backward: asymptotic after ") })
    #expect(!summaryLines.contains { $0.contains("matches") }, "\(summaryLines)")
    #expect(summaryLines.filter { $0.contains("not a minimum") }.count == 2)
  }

  @Test func trajectoryPlacesThreeHydrogensOnTheAxis() async throws {
    let outputs = try await TraceOutputs.leps.value
    let frames = try outputs.frames()
    try PathChecks.checkFrames(frames)
    let table = try outputs.table()
    try PathChecks.checkCSV(table, matches: frames, coordinates: ["rAB", "rBC"])
    try PathChecks.checkBranches(try outputs.decoded(), table: table)
    let rAB = try table.numbers("rAB")
    let rBC = try table.numbers("rBC")
    for (row, frame) in frames.enumerated() {
      try #require(frame.atoms.count == 3, "frame \(row): \(frame.atoms.count) atoms")
      #expect(frame.atoms.map(\.symbol) == ["H", "H", "H"])
      #expect(frame.atoms.allSatisfy { $0.position[1] == 0 && $0.position[2] == 0 })
      let x = frame.atoms.map { $0.position[0] }
      let c = rAB[row] + rBC[row]
      #expect(x[0] == 0 && x[1] == rAB[row], "frame \(row): A at 0, B at r_AB")
      #expect(isClose(x[2], c, relative: 1e-12), "frame \(row): C at \(x[2]), r_AB + r_BC = \(c)")
    }
  }
}
