import Foundation
import Testing

@testable import IRCKit

/// The reports commands print (`NEBReport`, `MapReport`), the one trajectory writer, and
/// algorithms that run on a bare surface with yardsticks given outright.
struct ReportTests {
  /// The settings of a bare surface (no file model at all) come from the yardsticks given:
  /// a step the "file" chose is used as the file's, the rest derived from the scale.
  @Test func settingsOfABareSurfaceComeFromItsYardsticks() throws {
    let potential = try builtIn("muller-brown")
    let saddle = try refinedSaddle(potential, "S1")
    let box = try #require(potential.plotRange)
    let scale = try SurfaceScale(region: box, gradient: 200, gradientSource: .commandLine)
    let yardsticks = SurfaceYardsticks(scale: scale, stepLength: 0.02)
    let settings = try TraceSettings(saddle: saddle, yardsticks: yardsticks)
    #expect(settings.stepLength == 0.02 && settings.stepLengthSource == .file)
    #expect(settings.gradientToleranceSource == .derived)
    #expect(
      isClose(
        settings.gradientTolerance, 200 * TraceSettings.derivedToleranceFraction, relative: 1e-15))
    // The bare surface traces to the same minima the file lists.
    let path = try settings.tracer().trace(from: saddle, on: referenceMullerBrown)
    let ends = path.branches.map {
      potential.match($0.end.coordinates, kind: .minimum, within: 1e-4)?.label
    }
    #expect(Set(ends.compactMap { $0 }) == ["MA", "MC"], "\(ends)")
  }

  /// A band's trajectory and a path's come out of the one writer: one XYZ frame and one CSV
  /// row per frame, `converged=F` on every frame of a band that failed, the CSV's
  /// coordinates as `shown` maps them.
  @Test func oneWriterServesPathsAndBands() throws {
    let potential = try builtIn("muller-brown")
    let frames = (0..<3).map { k in
      Trajectory.Frame(
        arcLength: Double(k), coordinates: [Double(k), 1], energy: -Double(k), gradientNorm: 1,
        step: k, segment: .band)
    }
    let failed = Trajectory(frames: frames, converged: false)
    let xyz = failed.xyz(potential: potential).split(separator: "\n")
    let comments = xyz.filter { $0.hasPrefix("Properties=") }
    #expect(comments.count == 3)
    #expect(comments.allSatisfy { $0.contains(" direction=band converged=F pbc=") })
    let csv = failed.csv(coordinateNames: ["x", "y"]) { 2 * $0 }.split(separator: "\n")
    #expect(csv.count == 4 && csv[0] == "s,energy,grad_norm,direction,step,x,y")
    #expect(csv[3] == "2.0,-2.0,1.0,band,2,4.0,2.0")
    #expect(!Trajectory(frames: frames).xyz(potential: potential).contains("converged"))
  }

  /// A trace report names the method its settings traced with, typed, and the JSON writes
  /// its raw value as the contract's "method" string.
  @Test func traceReportNamesTheMethodOfItsSettings() throws {
    let potential = try builtIn("muller-brown")
    let start = try #require(potential.point(labelled: "S1")).coordinates
    var evaluator = Evaluator(potential.surface)
    let refinement = try SaddleRefiner(options: .scaled(to: potential.scale())).refine(
      from: start, on: &evaluator)
    for method in [PathMethod.rk4, .eulerpc] {
      let settings = try TraceSettings(
        potential: potential, saddle: refinement.saddle, overrides: .init(method: method))
      let path = try settings.tracer().trace(from: refinement.saddle, on: potential.surface)
      let report = TraceReport(
        potential: potential, settings: settings, refinement: refinement, path: path)
      #expect(report.method == method)
      #expect(report.json["method"] == .string(method.rawValue))
    }
  }

  /// NEB from MA to MB on Müller–Brown: both saddles and MC named, the band re-seated on
  /// the complete path (the first and last frames are the ends), and the JSON holds what
  /// the report holds.
  @Test func nebReportNamesWhatTheBandFound() throws {
    let potential = try builtIn("muller-brown")
    let scale = try potential.scale()
    var evaluator = Evaluator(potential.surface)
    let minimizer = try Minimizer.scaled(to: scale)
    let ends = try ["MA", "MB"].map { label in
      let start = try #require(potential.point(labelled: label)).coordinates
      return NEBReport.End(
        name: label, point: try minimizer.minimize(from: start, on: &evaluator).saddle)
    }
    let band = try NudgedElasticBand.scaled(
      to: scale, from: ends[0].point.coordinates, to: ends[1].point.coordinates, images: 8)
    let report = try NEBReport(
      potential, from: ends[0], to: ends[1], band: band,
      yardsticks: potential.yardsticks(scale), evaluator: &evaluator)
    #expect(report.converged && report.failure == nil)
    #expect(report.saddles.map(\.label) == ["S1", "S2"])
    #expect(report.minima.map(\.label) == ["MC"])
    let frames = report.trajectory.frames
    #expect(try #require(report.path).complete && frames.count == 10)
    #expect(isClose(frames[0].coordinates, ends[0].point.coordinates, absolute: 1e-9))
    #expect(isClose(frames[9].coordinates, ends[1].point.coordinates, absolute: 1e-9))
    #expect(report.endLabels == [0: "MA", 9: "MB"])
    guard case .array(let saddles) = report.json["saddles"] ?? .null else {
      Issue.record("no saddles in \(report.json)")
      return
    }
    #expect(saddles.map { $0["matches"] } == [.string("S1"), .string("S2")])
    #expect(report.json["gradientEvaluations"] == .number(Double(report.counts.gradients)))
  }

  /// The map's report: each barrier is E(saddle) − E(minimum) of the nodes an edge joins.
  @Test func mapReportBarriersAreEnergyDifferences() throws {
    let potential = try builtIn("muller-brown")
    let report = try MapReport(
      potential, region: try #require(potential.plotRange), grid: 6, scale: potential.scale())
    #expect(!report.map.edges.isEmpty)
    for edge in report.map.edges {
      let saddle = report.map.nodes[edge.saddle].point.energy
      for (end, barrier) in zip(edge.ends, report.barriers(edge)) {
        guard let end else {
          #expect(barrier == nil)
          continue
        }
        #expect(barrier == saddle - report.map.nodes[end].point.energy)
        #expect(try #require(barrier) > 0, "a saddle lies above the minima it joins")
      }
    }
    #expect(report.json["grid"] == .number(6))
  }
}
