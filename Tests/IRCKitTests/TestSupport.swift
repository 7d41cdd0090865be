import Foundation
import Testing

@testable import IRCKit

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Loads a shipped potential file by name.
func builtIn(_ name: String) throws -> Potential {
  let url = packageRoot.appendingPathComponent("potentials/\(name).json")
  return try Potential(decoding: String(contentsOf: url, encoding: .utf8), file: "\(name).json")
}

/// The names of every shipped potential file.
func shippedPotentialNames() throws -> [String] {
  try FileManager.default.contentsOfDirectory(
    atPath: packageRoot.appendingPathComponent("potentials").path
  )
  .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
}

/// The Müller–Brown surface with the parameters of the reference table, written out
/// independently of the shipped file so the two can be compared.
let referenceMullerBrown = GaussianSum(terms: [
  .init(A: -200, a: -1, b: 0, c: -10, x0: 1, y0: 0),
  .init(A: -100, a: -1, b: 0, c: -10, x0: 0, y0: 0.5),
  .init(A: -170, a: -6.5, b: 11, c: -6.5, x0: -0.5, y0: 1.5),
  .init(A: 15, a: 0.7, b: 0.6, c: 0.7, x0: -1, y0: 1),
])

/// A known stationary point of `shared/reference/surfaces.md`.
struct ReferencePoint: Sendable, CustomTestStringConvertible {
  var potential: String
  var label: String
  var kind: StationaryKind
  var coordinates: Vector
  var energy: Double
  var eigenvalues: [Double]
  var testDescription: String { "\(potential) \(label)" }
}

/// The reference table, copied from `shared/reference/surfaces.md`.
let referencePoints: [ReferencePoint] = [
  .init(
    potential: "muller-brown", label: "MA", kind: .minimum,
    coordinates: [-0.5582236346330243, 1.441725841804669], energy: -146.699517209954,
    eigenvalues: [410.531, 4068.199]),
  .init(
    potential: "muller-brown", label: "MB", kind: .minimum,
    coordinates: [0.6234994049308765, 0.02803775852868567], energy: -108.1667241168524,
    eigenvalues: [543.836, 3005.396]),
  .init(
    potential: "muller-brown", label: "MC", kind: .minimum,
    coordinates: [-0.05001082299820606, 0.4666941048719721], energy: -80.76781812965903,
    eigenvalues: [221.037, 1479.197]),
  .init(
    potential: "muller-brown", label: "S1", kind: .saddle,
    coordinates: [-0.8220015587327321, 0.6243128028148714], energy: -40.6648435086574,
    eigenvalues: [-750.863, 490.241]),
  .init(
    potential: "muller-brown", label: "S2", kind: .saddle,
    coordinates: [0.212486582000662, 0.2929883251073678], energy: -72.24894011232521,
    eigenvalues: [-735.247, 510.887]),
  .init(
    potential: "leps", label: "TS", kind: .saddle,
    coordinates: [1.1493779933661, 0.86246876994693], energy: -3.176913086718,
    eigenvalues: [-6.0932, 13.6954]),
  .init(
    potential: "leps-harmonic", label: "deep", kind: .minimum,
    coordinates: [0.74152066011974, 1.3034191582218], energy: -4.5091759956603,
    eigenvalues: [0.5939, 35.044]),
  .init(
    potential: "leps-harmonic", label: "shallow", kind: .minimum,
    coordinates: [3.0012758053572, -1.3043382793822], energy: -2.6202871068304,
    eigenvalues: [0.5840, 20.908]),
  .init(
    potential: "leps-harmonic", label: "TS", kind: .saddle,
    coordinates: [2.0208277343663, -0.17290120545876], energy: -0.87522467910114,
    eigenvalues: [-8.0027, 0.66546]),
]

/// A refined saddle of a shipped potential.
func refinedSaddle(_ potential: Potential, _ label: String) throws -> StationaryPoint {
  let start = try #require(potential.point(labelled: label)).coordinates
  var evaluator = Evaluator(potential.surface)
  return try SaddleRefiner(options: .scaled(to: potential.scale())).refine(
    from: start, on: &evaluator
  ).saddle
}

/// A reference path for tests: 10⁻¹⁰ and 100 steps per length scale, accurate to about
/// 10⁻¹⁰ (the bench uses 10⁻¹¹ and 1000) at a fraction of the cost in a debug build.
func testReference(
  _ potential: Potential, _ saddle: StationaryPoint, stepsPerLength: Double = 100
) throws -> ReferencePath {
  let settings = try TraceSettings(potential: potential, saddle: saddle)
  return try ReferencePath(
    saddle: saddle, on: potential.surface, lengthScale: settings.lengthScale,
    gradientTolerance: 0.1 * settings.gradientTolerance, pathTolerance: 1e-10,
    stepsPerLength: stepsPerLength)
}

/// |a − b| ≤ max(absolute, relative·max(|a|, |b|)): the one tolerance comparison of the
/// tests. Either bound alone may be given; NaN is never close to anything.
func isClose(_ a: Double, _ b: Double, relative: Double = 0, absolute: Double = 0) -> Bool {
  abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// Component-wise `isClose` of two vectors of equal length.
func isClose(_ a: Vector, _ b: Vector, relative: Double = 0, absolute: Double = 0) -> Bool {
  a.count == b.count
    && zip(a.components, b.components).allSatisfy {
      isClose($0, $1, relative: relative, absolute: absolute)
    }
}
