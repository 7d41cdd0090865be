import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// No run loses a file: an output never replaces an input, a planted symbolic link is
/// never followed, a full disk leaves the folder as it was, and `saddle` and `neb` write
/// the files asked for, marked, when they exit 2.
@Suite struct OutputSafetyTests {
  /// A folder holding the `cbm` potential file as `cbm.json` and as `in.svg`, with a
  /// symbolic and a hard link to each.
  static func inputFolder() throws -> TemporaryDirectory {
    let folder = try TemporaryDirectory(prefix: "irc-inputs")
    let text = try String(contentsOf: IRC.builtInFile("cbm"), encoding: .utf8)
    _ = try folder.write(text, to: "cbm.json")
    _ = try folder.write(text, to: "in.svg")
    let manager = FileManager.default
    try manager.createSymbolicLink(
      atPath: folder.file("link.csv").path, withDestinationPath: "cbm.json")
    try manager.createSymbolicLink(
      atPath: folder.file("link.json").path, withDestinationPath: "cbm.json")
    try manager.createSymbolicLink(
      atPath: folder.file("link.svg").path, withDestinationPath: "in.svg")
    try manager.linkItem(at: folder.file("cbm.json"), to: folder.file("hard.xyz"))
    try manager.linkItem(at: folder.file("in.svg"), to: folder.file("hard.svg"))
    return folder
  }

  /// Each names the input as an output: by its own name, through a symbolic link (either
  /// side) or through a hard link. The option that collides comes last.
  static let overwrites: [[String]] = [
    ["trace", "./cbm.json", "--csv", "cbm.json"],
    ["trace", "./cbm.json", "--xyz", "cbm.json"],
    ["trace", "./in.svg", "--svg", "in.svg"],
    ["plot", "./in.svg", "--svg", "in.svg"],
    ["trace", "./cbm.json", "--xyz", "out.xyz", "--csv", "link.csv"],
    ["trace", "./link.json", "--csv", "cbm.json"],
    ["trace", "./cbm.json", "--xyz", "hard.xyz"],
    ["trace", "./in.svg", "--svg", "link.svg"],
    ["plot", "./in.svg", "--svg", "hard.svg"],
  ]

  @Test(arguments: overwrites)
  func anOutputThatIsTheInputIsRefused(_ arguments: [String]) async throws {
    let folder = try Self.inputFolder()
    defer { folder.remove() }
    let before = try folder.snapshot()
    let run = try await IRC.run(arguments, in: folder.url)
    #expect(run.status == 64, "\(run)")
    let option = arguments[arguments.count - 2]
    #expect(
      run.stderr.hasPrefix("Error: \(option) '\(arguments.last!)' is the potential file"), "\(run)")
    #expect(run.stderr.contains("Usage: irc \(arguments[0])"), "\(run)")
    #expect(try folder.snapshot() == before, "the folder changed: \(run)")
  }

  /// Symbolic links to a file that must survive, planted at the names the old scheme
  /// (`.<name>.<pid>.tmp`) gave this run's temporary files, as soon as its pid is known
  /// (it writes nothing before it has traced the path), and at an output's own name. The
  /// run writes correct outputs as regular files and the target is untouched.
  @Test func plantedSymbolicLinksAreNeverFollowed() async throws {
    let folder = try TemporaryDirectory(prefix: "irc-planted")
    defer { folder.remove() }
    let precious = "precious: must not change\n"
    let victim = try folder.write(precious, to: "victim.txt")
    let manager = FileManager.default
    let outputs = ["out.xyz", "out.csv", "out.svg"]
    try manager.createSymbolicLink(
      atPath: folder.file("out.csv").path, withDestinationPath: victim.path)
    let child = try ChildProcess(
      ["trace", "cbm", "--xyz", "out.xyz", "--csv", "out.csv", "--svg", "out.svg", "--grid", "40"],
      in: folder.url)
    let pid = child.process.processIdentifier
    for name in outputs {
      try manager.createSymbolicLink(
        atPath: folder.file(".\(name).\(pid).tmp").path, withDestinationPath: victim.path)
    }
    let ending = try await child.wait()
    #expect(ending == .exit(0), "\(ending): \(child.stderr)")
    #expect(
      try String(contentsOf: victim, encoding: .utf8) == precious, "a planted link was followed")
    for name in outputs {
      let type = try manager.attributesOfItem(atPath: folder.file(name).path)[.type]
      #expect(type as? FileAttributeType == .typeRegular, "\(name) is not a regular file")
    }
    let frames = try XYZTrajectory.parse(Data(contentsOf: folder.file("out.xyz")))
    let table = try CSVTable.parse(Data(contentsOf: folder.file("out.csv")))
    let rows = try table.numbers("s").count
    #expect(frames.count > 10 && frames.count == rows)
    _ = try FigureCommandTests.SVGDocument(folder.file("out.svg"))
    let names = try folder.contents()
    #expect(!names.contains { $0.hasPrefix(".irc-tmp-") }, "temporary files left: \(names)")
    #expect(names.count == outputs.count + 1 + outputs.count, "\(names)")
  }

  /// A file-size limit (`ulimit -f`, SIGXFSZ ignored, so `write` fails with EFBIG as on a
  /// full disk) that the XYZ and CSV fit under and the figure does not: exit 1 naming the
  /// figure and the cause, and the folder, old outputs included, exactly as it was.
  @Test func aFullDiskLeavesTheFolderAsItWas() async throws {
    let folder = try TemporaryDirectory(prefix: "irc-full")
    defer { folder.remove() }
    for name in ["out.xyz", "out.csv", "out.svg"] {
      _ = try folder.write("old \(name)\n", to: name)
    }
    let before = try folder.snapshot()
    // 60 blocks of 512 bytes: above the XYZ (16 kB) and CSV (8 kB), below the SVG (64 kB).
    let child = try ChildProcess(
      [
        "-c", "trap '' XFSZ; ulimit -f 60; exec \"$0\" \"$@\"", try IRC.executable().path,
        "trace", "cbm", "--xyz", "out.xyz", "--csv", "out.csv", "--svg", "out.svg",
      ], executable: URL(fileURLWithPath: "/bin/sh"), in: folder.url)
    let ending = try await child.wait()
    #expect(ending == .exit(1), "\(ending): \(child.stderr)")
    #expect(
      child.stderr.contains(
        "Error: cannot write out.svg: the file is larger than the file-size limit"),
      "\(child.stderr)")
    #expect(
      try folder.snapshot() == before, "the folder changed: \((try? folder.contents()) ?? [])")
  }

  /// A saddle search that ends at a minimum exits 2 and still draws the figure asked for,
  /// titled as not converged.
  @Test func aSaddleSearchThatFailsStillWritesItsFigure() async throws {
    let folder = try TemporaryDirectory(prefix: "irc-saddle")
    defer { folder.remove() }
    let run = try await IRC.run(
      ["saddle", "--from", "0.6234994049308765,0.02803775852868567", "--svg", "s.svg", "--json"],
      in: folder.url)
    #expect(run.status == 2, "\(run)")
    #expect(try JSONDocument.object(run.stdout)["converged"] as? Bool == false)
    let svg = try FigureCommandTests.SVGDocument(folder.file("s.svg"))
    #expect(
      svg.texts.contains { $0.hasSuffix(": no saddle found (not converged)") }, "\(svg.texts)")
    #expect(svg.texts.contains("start"))
  }

  /// A band that runs into a region where the surface is not finite (a hole at the origin,
  /// hit by the single image between the wells) exits 2 and still writes XYZ, CSV and SVG:
  /// the two ends, marked `converged=F` and "NOT converged".
  @Test func aBandThatFailsStillWritesItsFiles() async throws {
    let folder = try TemporaryDirectory(prefix: "irc-neb")
    defer { folder.remove() }
    _ = try folder.write(
      """
      {"format": "irc-potential/1", "name": "hole", "kind": "expression",
       "coordinates": ["x", "y"],
       "parameters": {"energy": "(x^2 - 1)^2 + y^2 + 0.001*log(x^2 + y^2 - 0.01)"},
       "stationaryPoints": [{"label": "A", "kind": "minimum", "coordinates": [-1, 0]},
                            {"label": "B", "kind": "minimum", "coordinates": [1, 0]}],
       "plotRange": {"lower": [-2, -1.5], "upper": [2, 1.5]}}
      """, to: "hole.json")
    let run = try await IRC.run(
      [
        "neb", "./hole.json", "--from", "A", "--to", "B", "--images", "1", "--xyz", "b.xyz",
        "--csv", "b.csv", "--svg", "b.svg", "--json",
      ], in: folder.url)
    #expect(run.status == 2, "\(run)")
    #expect(run.stderr.contains("Error: the band could not be relaxed: "), "\(run)")
    let band = try JSONDocument.object(run.stdout)["band"] as? [String: Any]
    #expect(band?["converged"] as? Bool == false)
    let frames = try XYZTrajectory.parse(Data(contentsOf: folder.file("b.xyz")))
    #expect(frames.count == 2 && frames.allSatisfy { $0["converged"] == "F" })
    #expect(isClose(try frames[0].number("energy"), try frames[1].number("energy"), absolute: 1e-9))
    let table = try CSVTable.parse(Data(contentsOf: folder.file("b.csv")))
    #expect(try table.numbers("x").map { $0.rounded() } == [-1, 1])
    let svg = try FigureCommandTests.SVGDocument(folder.file("b.svg"))
    #expect(svg.texts.contains { $0.hasSuffix(": band NOT converged, no verified saddle") })
  }
}
