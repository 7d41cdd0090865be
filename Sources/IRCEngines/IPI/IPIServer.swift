import Foundation
import IRCKit

/// The i-PI server: listens on an address, keeps every client that connects, and evaluates
/// geometries on them, one at a time or a batch spread over all of them.
///
/// References:
/// - i-PI manual, "Communication protocol" and "Sockets": the driver is the server, each
///   engine a client that stays connected; several clients serve one driver at once.
///   (Kapil et al., Comput. Phys. Commun. 236, 214 (2019); https://docs.ipi-code.org)
///
/// Everything is in atomic units (bohr, hartree), as on the wire; `IPIEngine` converts.
/// Every wait is bounded by `timeout`: for a client to connect when none is, and for a
/// client to answer one evaluation. A client that fails is disconnected and its
/// evaluation throws; the other clients go on serving. Evaluations may be requested from
/// several threads at once: each takes a free client, or waits for one.
public final class IPIServer: @unchecked Sendable {
  /// The address as bound: an inet port 0 is replaced by the port the system chose.
  public let address: IPIAddress
  /// Seconds to wait for a client to connect, and for a client to answer one evaluation.
  public let timeout: Double
  /// How long to wait for EXIT to be taken by a client that may have stopped reading.
  static let exitTimeout = 1.0
  /// While every client is busy or none is connected, the listener is checked for newcomers
  /// this often (seconds): short against any evaluation, long against a system call.
  static let waitSlice = 0.005

  private let listener: IPIListener
  private let condition = NSCondition()
  private var idle: [IPISession] = []
  private var busy = 0
  private var isShutDown = false
  /// When `takeSession` next looks for newly connected clients while one is idle.
  private var nextAcceptCheck = 0.0

  public init(address: IPIAddress, timeout: Double) throws(IPIError) {
    precondition(timeout > 0 && timeout.isFinite, "the timeout must be positive and finite")
    listener = try IPIListener(address)
    self.address = listener.address
    self.timeout = timeout
  }

  deinit { shutDown() }

  /// Clients connected now (accepting any that are waiting).
  public var clientCount: Int {
    condition.lock()
    defer { condition.unlock() }
    acceptPending()
    return idle.count + busy
  }

  /// Waits until at least `count` clients are connected; throws `noClient` after `seconds`
  /// (by default the server's `timeout`).
  @discardableResult
  public func waitForClients(_ count: Int = 1, within seconds: Double? = nil) throws(IPIError)
    -> Int
  {
    let seconds = seconds ?? timeout
    let deadline = IPIDeadline.after(seconds: seconds)
    while true {
      let connected = clientCount
      if connected >= count { return connected }
      guard deadline.pollMilliseconds > 0 else {
        throw .noClient(address: address.description, seconds: seconds)
      }
      _ = listener.waitForClient(until: deadline)
    }
  }

  /// One evaluation on the next free client: positions in bohr (x, y, z per atom).
  public func evaluate(positions: [Double], cell: IPICell) throws(IPIError) -> IPIReply {
    precondition(positions.count % 3 == 0, "positions come in x, y, z triples")
    let session = try takeSession()
    do {
      let reply = try session.evaluate(positions: positions, cell: cell, timeout: timeout)
      giveBack(session, failed: false)
      return reply
    } catch {
      giveBack(session, failed: true)
      throw error
    }
  }

  /// Tells every client to EXIT, closes every connection and the listener, and removes the
  /// socket file. Clients busy in an evaluation get EXIT when it ends. Idempotent.
  public func shutDown() {
    condition.lock()
    defer { condition.unlock() }
    guard !isShutDown else { return }
    isShutDown = true
    acceptPending()
    for session in idle {
      session.sendExit(timeout: Self.exitTimeout)
      session.close()
    }
    idle.removeAll()
    listener.close()
    condition.broadcast()
  }

  /// Caller holds the lock. `throttled`: skip the `accept` call if one was made within
  /// `waitSlice` — while a client is idle a newcomer can wait that long, and a fast client
  /// is spared a system call per evaluation.
  private func acceptPending(throttled: Bool = false) {
    guard !isShutDown else { return }
    let now = IPIDeadline.now()
    if throttled && now < nextAcceptCheck { return }
    nextAcceptCheck = now + Self.waitSlice
    while let connection = listener.acceptPending() { idle.append(IPISession(connection)) }
  }

  private func takeSession() throws(IPIError) -> IPISession {
    let deadline = IPIDeadline.after(seconds: timeout)
    condition.lock()
    defer { condition.unlock() }
    while true {
      guard !isShutDown else { throw .shutDown }
      acceptPending(throttled: !idle.isEmpty)
      if !idle.isEmpty {
        busy += 1
        return idle.removeFirst()
      }
      if busy > 0 {
        // A busy client comes back within its own evaluation's timeout.
        _ = condition.wait(until: Date(timeIntervalSinceNow: Self.waitSlice))
        continue
      }
      guard deadline.pollMilliseconds > 0 else {
        throw .noClient(address: address.description, seconds: timeout)
      }
      condition.unlock()
      _ = listener.waitForClient(
        until: IPIDeadline(time: min(deadline.time, IPIDeadline.now() + Self.waitSlice)))
      condition.lock()
    }
  }

  private func giveBack(_ session: IPISession, failed: Bool) {
    condition.lock()
    defer { condition.unlock() }
    busy -= 1
    if failed {
      session.close()
    } else if isShutDown {
      session.sendExit(timeout: Self.exitTimeout)
      session.close()
    } else {
      idle.append(session)
    }
    condition.broadcast()
  }
}
