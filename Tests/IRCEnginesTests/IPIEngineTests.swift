import Foundation
import Testing

@testable import IRCEngines
@testable import IRCKit

/// The i-PI engine in the tool's units (Å, hartree, hartree/Å) against the Python client.
// The limit catches a hang (every socket wait has its own timeout of seconds); 1 minute
// was exceeded by load alone when the suite ran beside other work on 2 cores.
@Suite(.timeLimit(.minutes(3)))
struct IPIEngineTests {
  static let epsilon = 0.0123
  static let sigma = 1.5
  static let symbols = ["Ar", "Ar", "Ar"]
  static let arguments = ["--epsilon", "\(epsilon)", "--sigma", "\(sigma)"]

  /// The trimer in Å.
  static let positions = Vector(trimer.map { $0 * AtomicUnits.bohr })

  /// The gradient in hartree/Å of the formula evaluated here in atomic units.
  static func directGradient(_ positions: Vector) -> (energy: Double, gradient: [Double]) {
    let direct = lennardJones(
      positions.components.map { $0 / AtomicUnits.bohr }, epsilon: epsilon, sigma: sigma)
    return (direct.energy, direct.forces.map { -$0 / AtomicUnits.bohr })
  }

  @Test func energiesAndGradientsAreInHartreeAndHartreePerAngstrom() throws {
    let engine = try IPIEngine(address: .unix(name: uniqueSocketName("engine")), timeout: 10)
    defer { engine.shutDown() }
    let client = try LJClient(address: engine.server.address, Self.arguments)
    let result = try engine.evaluate(symbols: Self.symbols, positions: Self.positions)
    let direct = Self.directGradient(Self.positions)
    #expect(abs(result.energy - direct.energy) <= 1e-13 * abs(direct.energy))
    for (received, expected) in zip(result.gradient, direct.gradient) {
      #expect(abs(received - expected) <= 1e-12 * abs(expected))
    }
    // The gradient is the derivative of the energy: a central difference along one
    // coordinate agrees to the difference's own error.
    let step = 1e-5
    var plus = Self.positions
    plus[4] += step
    var minus = Self.positions
    minus[4] -= step
    let slope =
      (try engine.evaluate(symbols: Self.symbols, positions: plus).energy
        - engine.evaluate(symbols: Self.symbols, positions: minus).energy) / (2 * step)
    #expect(abs(slope - result.gradient[4]) < 1e-8)
    engine.shutDown()
    #expect(client.finish().stdout == "EXIT after 3 evaluations\n")
  }

  @Test func aBatchOnTwoClientsEqualsOneByOne() throws {
    let engine = try IPIEngine(address: .inet(host: "127.0.0.1", port: 0), timeout: 10)
    defer { engine.shutDown() }
    let clients = try (0..<2).map { _ in
      try LJClient(address: engine.server.address, Self.arguments)
    }
    try engine.server.waitForClients(2)
    let batch = displacedTrimers().map { Vector($0.map { $0 * AtomicUnits.bohr }) }
    let together = try engine.evaluate(symbols: Self.symbols, batch: batch)
    let oneByOne = try batch.map { try engine.evaluate(symbols: Self.symbols, positions: $0) }
    #expect(together == oneByOne)
    engine.shutDown()
    for client in clients { #expect(client.finish().status == 0) }
  }

  /// The finite-difference Hessian of `EngineSurface`, its gradients run three at a time
  /// on three clients, equals the same differences of the formula's gradients, and equals
  /// bit for bit the Hessian from one gradient at a time.
  @Test func aParallelHessianOverSeveralClientsMatchesTheFormula() throws {
    let engine = try IPIEngine(address: .unix(name: uniqueSocketName("hessian")), timeout: 10)
    defer { engine.shutDown() }
    let clients = try (0..<3).map { _ in
      try LJClient(address: engine.server.address, Self.arguments)
    }
    try engine.server.waitForClients(3)
    let parallel = try EngineSurface(
      engine: engine, symbols: Self.symbols, log: EvaluationLog(), jobs: 3
    ).evaluateHessian(at: Self.positions)
    let serial = try EngineSurface(
      engine: engine, symbols: Self.symbols, log: EvaluationLog(), jobs: 1
    ).evaluateHessian(at: Self.positions)
    #expect(parallel == serial)
    let step = EngineSurface.hessianStep
    let columns = (0..<9).map { column -> [Double] in
      var plus = Self.positions
      plus[column] += step
      var minus = Self.positions
      minus[column] -= step
      let gPlus = Self.directGradient(plus).gradient
      let gMinus = Self.directGradient(minus).gradient
      return (0..<9).map { (gPlus[$0] - gMinus[$0]) / (plus[column] - minus[column]) }
    }
    let scale = columns.joined().map(abs).max()!
    for row in 0..<9 {
      for column in 0..<9 {
        let expected = 0.5 * (columns[column][row] + columns[row][column])
        #expect(abs(parallel[row, column] - expected) <= 1e-9 * scale)
      }
    }
    engine.shutDown()
    for client in clients { #expect(client.finish().status == 0) }
  }

  @Test(arguments: [
    ("wrong-count", EngineFailure.Cause.wrongAtomCount(expected: 3, found: 2)),
    ("nan-forces", .nonFiniteOutput),
    (
      "drop", .connection("the i-PI client disconnected while the server waited for a reply header")
    ),
  ])
  func clientFaultsBecomeEngineFailuresWithTheGeometry(
    fault: String, cause: EngineFailure.Cause
  ) throws {
    let engine = try IPIEngine(address: .unix(name: uniqueSocketName("cause")), timeout: 5)
    defer { engine.shutDown() }
    let client = try LJClient(address: engine.server.address, ["--fault", fault])
    defer { _ = client.finish(within: 0) }
    #expect(
      throws: EngineFailure(
        engine: "ipi", cause: cause, symbols: Self.symbols, positions: Self.positions)
    ) {
      try engine.evaluate(symbols: Self.symbols, positions: Self.positions)
    }
  }

  @Test func aTimeoutIsTheEnginesTimeout() throws {
    let engine = try IPIEngine(address: .unix(name: uniqueSocketName("slow")), timeout: 0.4)
    defer { engine.shutDown() }
    let client = try LJClient(address: engine.server.address, ["--fault", "hang"])
    defer { _ = client.finish(within: 0) }
    try engine.server.waitForClients(1, within: 10)
    #expect(
      throws: EngineFailure(
        engine: "ipi", cause: .timeout(seconds: 0.4), symbols: Self.symbols,
        positions: Self.positions)
    ) {
      try engine.evaluate(symbols: Self.symbols, positions: Self.positions)
    }
  }

  /// A failure in a batch names the geometry of the failed request.
  @Test func aBatchFailureNamesItsGeometry() throws {
    let engine = try IPIEngine(address: .unix(name: uniqueSocketName("which")), timeout: 5)
    defer { engine.shutDown() }
    let client = try LJClient(address: engine.server.address, ["--fault", "nan", "--after", "3"])
    defer { _ = client.finish(within: 0) }
    let batch = displacedTrimers().map { Vector($0.map { $0 * AtomicUnits.bohr }) }
    #expect(
      throws: EngineFailure(
        engine: "ipi", cause: .nonFiniteOutput, symbols: Self.symbols, positions: batch[3])
    ) {
      try engine.evaluate(symbols: Self.symbols, batch: batch)
    }
  }
}
