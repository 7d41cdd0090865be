import IRCKit

/// One connected client and the server's side of the protocol's exchanges with it.
///
/// References:
/// - i-PI manual, "Communication protocol": the server asks `STATUS`; a client answers
///   `NEEDINIT` (then gets `INIT`), `READY` (then gets `POSDATA`) or `HAVEDATA` (then gets
///   `GETFORCE` and answers `FORCEREADY`); `EXIT` ends it.
///   (Kapil et al., Comput. Phys. Commun. 236, 214 (2019))
/// - ASE `SocketServer.calculate` follows the same order: STATUS, [INIT, STATUS], POSDATA,
///   STATUS, GETFORCE.
///
/// A session is used by one thread at a time (the server hands it out and takes it back).
final class IPISession: @unchecked Sendable {
  private let connection: IPIConnection
  /// The bead index sent with INIT: every client computes the same single replica.
  static let bead: Int32 = 0
  /// The init string sent with INIT. The clients ignore it; ASE sends one zero byte because
  /// some clients do not cope with an empty one, and so does this server.
  static let initString: [UInt8] = [0]

  init(_ connection: IPIConnection) { self.connection = connection }

  /// One evaluation: positions (bohr, 3N) in `cell` to the client, its reply back.
  /// Any failure leaves the session unusable; the caller closes it.
  func evaluate(
    positions: [Double], cell: IPICell, timeout: Double
  ) throws(IPIError) -> IPIReply {
    let deadline = IPIDeadline.after(seconds: timeout)
    var status = try ask(IPIHeader.status.bytes, deadline: deadline, timeout: timeout)
    if status == .needInit {
      let initialize = IPIMessage.initialization(bead: Self.bead, string: Self.initString)
      status = try ask(initialize + IPIHeader.status.bytes, deadline: deadline, timeout: timeout)
    }
    guard status == .ready else { throw unexpected(expected: [.ready, .needInit]) }
    // POSDATA, the next STATUS and GETFORCE go out together: a client reads its socket in
    // order, answering STATUS with HAVEDATA once it has computed; two round trips per
    // evaluation instead of three.
    let request =
      IPIMessage.positionData(cell: cell, positions: positions) + IPIHeader.status.bytes
      + IPIHeader.getForce.bytes
    status = try ask(request, deadline: deadline, timeout: timeout)
    guard status == .haveData else { throw unexpected(expected: [.haveData]) }
    status = try answer(deadline: deadline, timeout: timeout)
    guard status == .forceReady else { throw unexpected(expected: [.forceReady]) }
    return try receiveForces(atomCount: positions.count / 3, deadline: deadline, timeout: timeout)
  }

  /// Tells the client to stop, without waiting long for a client that no longer reads.
  func sendExit(timeout: Double) {
    try? connection.send(
      IPIHeader.exit.bytes, what: "EXIT", deadline: .after(seconds: timeout), timeout: timeout)
  }

  func close() { connection.close() }

  /// The last header received, kept raw so that an unexpected one is shown as sent.
  private var lastHeader: [UInt8] = []

  private func ask(
    _ message: [UInt8], deadline: IPIDeadline, timeout: Double
  ) throws(IPIError) -> IPIHeader? {
    try connection.send(message, what: "a request", deadline: deadline, timeout: timeout)
    return try answer(deadline: deadline, timeout: timeout)
  }

  private func answer(deadline: IPIDeadline, timeout: Double) throws(IPIError) -> IPIHeader? {
    lastHeader = try connection.receive(
      IPIHeader.length, what: "a reply header", deadline: deadline, timeout: timeout)
    return IPIHeader(wire: lastHeader)
  }

  private func unexpected(expected: [IPIHeader]) -> IPIError {
    .unexpectedHeader(
      expected: expected.map(\.rawValue), received: IPIHeader.printable(lastHeader))
  }

  private func receiveForces(
    atomCount: Int, deadline: IPIDeadline, timeout: Double
  ) throws(IPIError) -> IPIReply {
    let prefix = try connection.receive(
      IPIMessage.replyPrefixLength, what: "the energy and atom count of FORCEREADY",
      deadline: deadline, timeout: timeout)
    let energy = IPIMessage.doubles(prefix, at: 0, count: 1)[0]
    let count = Int(IPIMessage.int32(prefix, at: 8))
    guard count == atomCount else { throw .wrongAtomCount(expected: atomCount, received: count) }
    let body = try connection.receive(
      8 * 3 * count + IPIMessage.matrixLength + 4, what: "the forces and virial of FORCEREADY",
      deadline: deadline, timeout: timeout)
    let forces = IPIMessage.doubles(body, at: 0, count: 3 * count)
    let virial = IPIMessage.doubles(body, at: 8 * 3 * count, count: 9)
    let extraLength = Int(IPIMessage.int32(body, at: 8 * 3 * count + IPIMessage.matrixLength))
    guard (0...IPIMessage.maximumExtraBytes).contains(extraLength) else {
      throw .invalidExtraLength(extraLength)
    }
    let extra = try connection.receive(
      extraLength, what: "the extra string of FORCEREADY", deadline: deadline, timeout: timeout)
    guard energy.isFinite else { throw .nonFinite(quantity: "energy") }
    guard forces.allSatisfy(\.isFinite) else { throw .nonFinite(quantity: "forces") }
    return IPIReply(energy: energy, forces: forces, virial: virial, extra: extra)
  }
}
