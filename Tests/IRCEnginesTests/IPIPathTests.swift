import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// The IRC traced through the socket is the path of the built-in `lennard-jones` surface.
// The limit catches a hang (every socket wait has its own timeout of seconds); 1 minute
// was exceeded by load alone when the suite ran beside other work on 2 cores.
@Suite(.timeLimit(.minutes(3)))
struct IPIPathTests {
  /// LJ7 (ε = 1, σ = 1, every mass 1) from its saddle TS-PBP-CO. The client computes in
  /// atomic units: ε = 1 hartree and σ = 1 Å in bohr make its surface, in the tool's
  /// hartree and Å, the built-in one up to rounding.
  @Test func theSocketPathIsTheBuiltInLennardJonesPath() throws {
    let file = packageRoot.appendingPathComponent("potentials/lj7.json")
    let potential = try Potential(
      decoding: String(contentsOf: file, encoding: .utf8), file: file.path)
    let view = try #require(potential.massWeighted())
    let molecule = try #require(view.molecule)
    let listed = try #require(view.point(labelled: "TS-PBP-CO"))
    var evaluator = Evaluator(view.surface)
    let saddle = try StationaryPoint(at: listed.coordinates, on: &evaluator)
    let settings = try TraceSettings(
      potential: view, saddle: saddle, overrides: .init(stepLength: 0.08, method: .euler))
    let builtIn = try settings.tracer().trace(from: saddle, on: view.surface)

    let engine = try IPIEngine(address: .unix(name: uniqueSocketName("path")), timeout: 10)
    defer { engine.shutDown() }
    let clients = try (0..<2).map { _ in
      try LJClient(
        address: engine.server.address, ["--epsilon", "1", "--sigma", "\(1 / AtomicUnits.bohr)"])
    }
    try engine.server.waitForClients(2)
    let symbols = Array(repeating: "Ar", count: 7)
    let socketSurface = MassWeightedSurface(
      EngineSurface(engine: engine, symbols: symbols, log: EvaluationLog(), jobs: 2),
      masses: molecule.masses)
    let throughSocket = try settings.tracer().trace(from: saddle, on: socketSurface)

    for (socket, reference) in zip(throughSocket.branches, builtIn.branches) {
      #expect(socket.termination == reference.termination)
      #expect(socket.termination == .converged)
      // Up to the first step that uses a Hessian only gradients matter, equal to rounding
      // (the client's arithmetic is not the tool's, and the departure's difference quotient
      // amplifies the last bits to ~1e-8); from there the engine's finite-difference Hessians (relative error ~1e-6) stand in
      // for the analytic ones, which moves the points by about that much and may add or
      // save a polishing step.
      #expect(abs(socket.points.count - reference.points.count) <= 2)
      let gradientOnly = reference.points.prefix {
        [.saddle, .displacement, .integrator].contains($0.kind)
      }
      #expect(gradientOnly.count >= 4, "\(reference.points.map(\.kind.rawValue))")
      for (a, b) in zip(socket.points, gradientOnly) {
        #expect(a.kind == b.kind)
        #expect(a.coordinates.distance(to: b.coordinates) < 1e-6)
        #expect(abs(a.energy - b.energy) < 1e-6)
      }
      for (a, b) in zip(socket.points, reference.points).dropFirst(gradientOnly.count) {
        #expect(a.coordinates.distance(to: b.coordinates) < 1e-4)
      }
      #expect(socket.end.coordinates.distance(to: reference.end.coordinates) < 1e-5)
      #expect(abs(socket.end.energy - reference.end.energy) < 1e-9)
    }
    engine.shutDown()
    for client in clients { #expect(client.finish().status == 0) }
  }
}
