import Foundation
import IRCKit
import Testing

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Loads a shipped potential file by name.
func builtIn(_ name: String) throws -> Potential {
  let url = packageRoot.appendingPathComponent("potentials/\(name).json")
  return try Potential(decoding: String(contentsOf: url, encoding: .utf8), file: "\(name).json")
}

/// A refined saddle of a shipped potential.
func refinedSaddle(_ potential: Potential, _ label: String) throws -> StationaryPoint {
  let start = try #require(potential.point(labelled: label)).coordinates
  var evaluator = Evaluator(potential.surface)
  return try SaddleRefiner(options: .scaled(to: potential.scale())).refine(
    from: start, on: &evaluator
  ).saddle
}

/// A reference path at 10⁻¹⁰ and 100 steps per length scale (the bench uses 10⁻¹¹ and
/// 1000), accurate to about 10⁻¹⁰ at a fraction of the cost in a debug build.
func testReference(_ potential: Potential, _ saddle: StationaryPoint) throws -> ReferencePath {
  let settings = try TraceSettings(potential: potential, saddle: saddle)
  return try ReferencePath(
    saddle: saddle, on: potential.surface, lengthScale: settings.lengthScale,
    gradientTolerance: 0.1 * settings.gradientTolerance, pathTolerance: 1e-10,
    stepsPerLength: 100)
}
