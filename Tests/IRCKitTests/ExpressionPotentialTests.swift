import Foundation
import Testing

@testable import IRCKit

/// The shipped formula surfaces as the tool uses them: each listed point stationary, of its
/// Hessian index and energy; the IRC of each saddle ends at the minima it connects; a
/// surface that is not finite somewhere ends a computation with a typed error naming the
/// point, never a NaN passed on.
struct ExpressionPotentialTests {
  @Test(arguments: shippedExpressionNames)
  func listedPointsAreStationaryOfTheirIndexAndEnergy(_ name: String) throws {
    let potential = try builtIn(name)
    #expect(!potential.stationaryPoints.isEmpty)
    let scale = potential.scale().gradient
    for listed in potential.stationaryPoints {
      var evaluator = Evaluator(potential.surface)
      let point = try StationaryPoint(at: listed.coordinates, on: &evaluator)
      #expect(
        point.gradientNorm <= 1e-12 * max(1, scale),
        "\(name) \(listed.label): |∇V| = \(point.gradientNorm)")
      #expect(point.index == listed.kind.index, "\(name) \(listed.label): index \(point.index)")
      let energy = try #require(listed.energy, "\(name) \(listed.label) lists no energy")
      #expect(abs(point.energy - energy) <= 1e-13 * max(1, abs(energy)), "\(name) \(listed.label)")
    }
  }

  /// The reference values of `shared/reference/surfaces.md` (six digits), which the files
  /// refine.
  @Test func theFilesRefineTheReferenceValues() throws {
    let references: [(String, String, [Double], Double)] = [
      ("wolfe-quapp", "M1", [-1.174056, 1.477087], -6.762453),
      ("wolfe-quapp", "M2", [1.124102, -1.485274], -6.368957),
      ("wolfe-quapp", "M3", [-0.821908, -1.366730], -4.137203),
      ("wolfe-quapp", "S1", [-1.022244, -0.116062], -1.251312),
      ("wolfe-quapp", "S2", [-0.303211, -1.401338], -3.980303),
      ("wolfe-quapp", "S3", [0.940969, 0.131252], -0.636564),
      ("neria-fischer-karplus", "MA", [2.712681, -0.150940], -5.240535),
      ("neria-fischer-karplus", "MB", [-2.712681, 0.150940], -5.240535),
      ("neria-fischer-karplus", "TS", [0, 0], -0.002221),
      ("anapot", "MA", [-1.052741, 1.027761], -0.513409),
      ("anapot", "MB", [1.941010, 3.854266], 0.985554),
      ("anapot", "TS", [0.611731, 1.492973], 2.809105),
      ("cbm", "M1", [-1, 0], -1), ("cbm", "M2", [1, 0], -1), ("cbm", "TS", [0, 0], 0),
      ("rosenbrock", "M", [1, 1], 0),
      ("curved-double-well", "TS", [0, 0, 0], 1), ("curved-double-well", "M1", [1, 1, 1], 0),
      ("curved-double-well", "M2", [-1, 1, -1], 0),
    ]
    for (name, label, coordinates, energy) in references {
      let listed = try #require(try builtIn(name).point(labelled: label), "\(name) \(label)")
      #expect(listed.coordinates.distance(to: Vector(coordinates)) < 1e-6, "\(name) \(label)")
      #expect(abs((listed.energy ?? .nan) - energy) < 1e-6, "\(name) \(label)")
    }
  }

  struct Connection: Sendable, CustomTestStringConvertible {
    var potential: String
    var saddle: String
    var forward: String
    var backward: String
    var testDescription: String { "\(potential) \(saddle)" }
  }

  static let connections = [
    Connection(potential: "wolfe-quapp", saddle: "S1", forward: "M1", backward: "M3"),
    Connection(potential: "wolfe-quapp", saddle: "S2", forward: "M2", backward: "M3"),
    Connection(potential: "wolfe-quapp", saddle: "S3", forward: "M1", backward: "M2"),
    Connection(potential: "neria-fischer-karplus", saddle: "TS", forward: "MA", backward: "MB"),
    Connection(potential: "anapot", saddle: "TS", forward: "MB", backward: "MA"),
    Connection(potential: "cbm", saddle: "TS", forward: "M2", backward: "M1"),
    Connection(potential: "curved-double-well", saddle: "TS", forward: "M1", backward: "M2"),
    Connection(potential: "muller-brown-formula", saddle: "S1", forward: "MC", backward: "MA"),
  ]

  /// Each branch ends `converged` at the listed minimum, with the energy falling all the way.
  @Test(arguments: connections)
  func theIRCOfEachSaddleEndsAtTheMinimaItConnects(_ connection: Connection) throws {
    let potential = try builtIn(connection.potential)
    let saddle = try refinedSaddle(potential, connection.saddle)
    let settings = TraceSettings(potential: potential, saddle: saddle)
    let path = try IRCTracer(options: settings.options()).trace(from: saddle, on: potential.surface)
    for (branch, label) in [
      (path.forward, connection.forward), (path.backward, connection.backward),
    ] {
      let context = "\(connection) \(branch.direction)"
      #expect(branch.termination == .converged, "\(context): \(branch.termination)")
      let match = potential.match(
        branch.end.coordinates, kind: .minimum, within: settings.stepLength)
      #expect(match?.label == label, "\(context) ended at \(branch.end.coordinates)")
      let energies = branch.points.map(\.energy)
      #expect(zip(energies, energies.dropFirst()).allSatisfy { $1 <= $0 + 1e-12 }, "\(context)")
    }
  }

  /// The map of Wolfe–Quapp: its three minima and three saddles, each saddle joined to the
  /// minima its IRC reaches, and nothing at its maximum (a stationary point of index 2).
  @Test func theMapFindsWolfeQuappsMinimaAndSaddlesButNotItsMaximum() throws {
    let potential = try builtIn("wolfe-quapp")
    let map = try SurfaceMap(region: try #require(potential.plotRange), grid: 12).build(potential)
    #expect(map.nodes.map(\.label) == ["M1", "M2", "M3", "S2", "S1", "S3"])
    #expect(map.nodes.map(\.kind) == [.minimum, .minimum, .minimum, .saddle, .saddle, .saddle])
    let maximum: Vector = [0.0811993, 0.0226557]
    #expect(map.nodes.allSatisfy { $0.point.coordinates.distance(to: maximum) > 0.1 })
    func joins(_ saddle: String) -> Set<String> {
      guard let edge = map.edges.first(where: { map.nodes[$0.saddle].label == saddle }) else {
        return []
      }
      return Set(edge.ends.compactMap { $0.flatMap { map.nodes[$0].label } })
    }
    #expect(joins("S1") == ["M1", "M3"])
    #expect(joins("S2") == ["M2", "M3"])
    #expect(joins("S3") == ["M1", "M2"])
  }

  // MARK: Where a formula is not finite

  static func surface(_ formula: String, _ coordinates: [String] = ["x", "y"]) throws
    -> ExpressionSurface
  {
    try ExpressionSurface(formula: formula, coordinates: coordinates)
  }

  @Test func theSurfaceReturnsTheNonFiniteValueAndTheEvaluatorStopsIt() throws {
    let logarithm = try Self.surface("log(x) + y")
    #expect(logarithm.energy(at: [-1, 0]).isNaN)
    #expect(logarithm.gradient(at: [-1, 0]).isFinite)  // 1/x is finite there
    var evaluator = Evaluator(logarithm)
    #expect(throws: EvaluationError.nonFinite(.energy, at: [-1, 0])) {
      try evaluator.energyAndGradient(at: [-1, 0])
    }
    let reciprocal = try Self.surface("1/x + y^2")
    #expect(reciprocal.energy(at: [0, 1]) == .infinity)
    evaluator = Evaluator(reciprocal)
    #expect(throws: EvaluationError.nonFinite(.energy, at: [0, 1])) {
      try evaluator.energy(at: [0, 1])
    }
    // Finite value, infinite slope: √(x² + y²) at the origin.
    let cone = try Self.surface("sqrt(x^2 + y^2)")
    #expect(cone.energy(at: [0, 0]) == 0)
    evaluator = Evaluator(cone)
    #expect(throws: EvaluationError.nonFinite(.gradient, at: [0, 0])) {
      try evaluator.energyAndGradient(at: [0, 0])
    }
    // Finite value and gradient, no second derivative: |x|³ at x = 0.
    let cusp = try Self.surface("(x^2)^1.5 + y^2")
    #expect(cusp.gradient(at: [0, 1]) == [0, 2])
    evaluator = Evaluator(cusp)
    #expect(throws: EvaluationError.nonFinite(.hessian, at: [0, 1])) {
      try evaluator.hessian(at: [0, 1])
    }
  }

  /// A double well with a logarithmic sink at x = −1/2 between the saddle and the left
  /// well: the backward branch runs down into it and steps past it, where the logarithm
  /// is not finite. It must end `failed` naming that point; the forward branch is unharmed.
  @Test func tracingIntoANonFiniteRegionFailsNamingThePoint() throws {
    let formula = "(x^2 - 1)^2 + y^2 + 0.5*log(x + 0.5)"
    let surface = try Self.surface(formula)
    let potential = Potential(
      name: "sink", coordinateNames: ["x", "y"], model: .expression(surface),
      plotRange: .init(lower: [-0.49, -1], upper: [1.5, 1]))
    var evaluator = Evaluator(surface)
    let saddle = try SaddleRefiner(options: .scaled(to: potential.scale())).refine(
      from: [0.2, 0.05], on: &evaluator
    ).saddle
    let settings = TraceSettings(potential: potential, saddle: saddle)
    let path = try IRCTracer(options: settings.options()).trace(from: saddle, on: surface)
    let branches = [path.forward, path.backward]
    let failed = branches.filter { $0.termination.reason != nil }
    let converged = branches.filter { $0.termination == .converged }
    #expect(failed.count == 1 && converged.count == 1, "\(branches.map(\.termination))")
    let reason = try #require(failed.first?.termination.reason)
    #expect(
      reason.hasPrefix("the energy is not finite at (")
        || reason.hasPrefix("the gradient is not finite at ("), "\(reason)")
    let named = reason.split(separator: "(").last.map { $0.dropLast() } ?? ""
    let x = Double(named.split(separator: ",").first ?? "") ?? .nan
    #expect(x <= -0.5, "the named point \(named) is not past the sink")
    #expect(failed.first?.points.allSatisfy { $0.energy.isFinite && $0.gradient.isFinite } == true)
  }

  @Test func refiningFromANonFinitePointIsATypedError() throws {
    let surface = try Self.surface("log(x) + y^2 - x^2")
    var evaluator = Evaluator(surface)
    let options = SaddleRefiner.Options.scaled(
      to: SurfaceScale(
        region: .init(lower: [-1, -1], upper: [1, 1]), gradient: 1, gradientSource: .file))
    do {
      _ = try SaddleRefiner(options: options).refine(from: [-0.5, 0], on: &evaluator)
      Issue.record("refined a saddle on a surface that is NaN at the start")
    } catch {
      #expect(error == .evaluation(.nonFinite(.energy, at: [-0.5, 0])))
    }
  }

  /// Tapes are shared, registers are not: concurrent evaluation gives the serial results.
  @Test func evaluationIsSafeFromManyThreads() throws {
    let surface = try builtIn("muller-brown-formula").surface
    var generator = SeededGenerator(seed: 0x5448_5244)
    let points = (0..<64).map { _ in generator.point(dimension: 2, range: 1.5) }
    let serial = points.map {
      surface.hessian(at: $0).entries + surface.gradient(at: $0).components
    }
    let results = ResultBox(count: points.count)
    DispatchQueue.concurrentPerform(iterations: points.count) { index in
      results.set(
        index,
        surface.hessian(at: points[index]).entries + surface.gradient(at: points[index]).components)
    }
    #expect(results.values == serial)
  }
}

/// Results written from concurrent iterations, one slot each.
private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [[Double]]
  init(count: Int) { storage = Array(repeating: [], count: count) }
  func set(_ index: Int, _ value: [Double]) { lock.withLock { storage[index] = value } }
  var values: [[Double]] { lock.withLock { storage } }
}
