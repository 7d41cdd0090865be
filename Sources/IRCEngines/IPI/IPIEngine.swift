import IRCKit

/// An engine that stays loaded in another process (or on another machine) and is reached
/// over the i-PI socket protocol: the tool serves, the engine connects as a client.
///
/// References:
/// - i-PI manual, "Communication protocol" (Kapil et al., Comput. Phys. Commun. 236, 214
///   (2019)): atomic units on the wire, forces = −∇E.
/// - `shared/reference/engines.md`, kind `ipi`: a molecule is sent in a large cubic cell.
///
/// The protocol carries no element symbols: the client must hold the same atoms in the same
/// order as the start geometry; only their number is checked. Evaluations may come from
/// several threads at once; each goes to a free client (see `IPIServer`).
public struct IPIEngine: Engine {
  public let server: IPIServer

  /// The cell a molecule is sent in: a cube of 200 bohr (106 Å). Clients that treat the
  /// system as periodic then see its images far beyond any interaction cutoff (machine-
  /// learned potentials use 5–6 Å), and the cell never changes during a run, so a client
  /// whose result depends on the cell (a plane-wave code) gives one consistent surface.
  public static let moleculeCell = IPICell.cubic(edge: 200)

  /// Starts serving on `address`; `timeout` bounds the wait for a client to connect and
  /// for a client to answer one evaluation.
  public init(address: IPIAddress, timeout: Double) throws(IPIError) {
    server = try IPIServer(address: address, timeout: timeout)
  }

  /// Starts serving with the parameters of an `ipi` potential file.
  public init(parameters: IPIParameters) throws(IPIError) {
    try self.init(address: parameters.address, timeout: parameters.timeout)
  }

  public var name: String { "ipi" }

  /// As many calls as clients are connected now, whatever `jobs`: each client computes
  /// one geometry at a time, wherever it runs.
  public func concurrentCalls(jobs: Int) -> Int { max(1, server.clientCount) }

  public func evaluate(symbols: [String], positions: Vector) throws(EngineFailure) -> EngineResult {
    do {
      let reply = try server.evaluate(positions: Self.bohr(positions), cell: Self.moleculeCell)
      return Self.result(reply)
    } catch {
      throw Self.failure(error, symbols: symbols, positions: positions)
    }
  }

  /// Independent geometries spread over every connected client (one thread per client,
  /// whatever the number of cores), results in request order: the entry point for the
  /// gradients of a finite-difference Hessian. The failure thrown is that of the earliest
  /// failed request; no request is handed out after a failure.
  public func evaluate(
    symbols: [String], batch: [Vector]
  ) throws(EngineFailure) -> [EngineResult] {
    do {
      return try server.evaluate(batch: batch.map(Self.bohr), cell: Self.moleculeCell)
        .map(Self.result)
    } catch {
      throw Self.failure(error.error, symbols: symbols, positions: batch[error.index])
    }
  }

  /// Sends EXIT to every client and removes the socket file (see `IPIServer.shutDown`).
  public func shutDown() { server.shutDown() }

  static func bohr(_ positions: Vector) -> [Double] {
    positions.components.map { $0 / AtomicUnits.bohr }
  }

  /// Energy in hartree as sent; gradient = −forces, from hartree/bohr to hartree/Å.
  static func result(_ reply: IPIReply) -> EngineResult {
    EngineResult(
      energy: reply.energy, gradient: Vector(reply.forces.map { -$0 / AtomicUnits.bohr }))
  }

  static func failure(_ error: IPIError, symbols: [String], positions: Vector) -> EngineFailure {
    let cause: EngineFailure.Cause
    switch error {
    case .timedOut(_, let seconds): cause = .timeout(seconds: seconds)
    case .wrongAtomCount(let expected, let received):
      cause = .wrongAtomCount(expected: expected, found: received)
    case .nonFinite: cause = .nonFiniteOutput
    case .invalidExtraLength: cause = .unreadableOutput(error.description)
    default: cause = .connection(error.description)
    }
    return EngineFailure(engine: "ipi", cause: cause, symbols: symbols, positions: positions)
  }
}
