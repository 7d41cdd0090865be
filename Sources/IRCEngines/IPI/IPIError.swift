import Glibc
import IRCKit

/// What went wrong while serving i-PI clients: setting up the server, or one evaluation.
///
/// Every fault of a client (it disconnects, stalls, sends a header the protocol does not
/// allow there, or a reply with the wrong atom count or a non-finite number) ends that
/// client's session and fails the evaluation with one of these cases; nothing crashes,
/// nothing waits forever, no partial reply is taken for a result.
public enum IPIError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A socket call failed while setting up or accepting: the operation, the address, errno.
  case socket(operation: String, address: String, errno: Int32)
  /// The host of an inet address does not resolve to an address of this machine.
  case unresolvableHost(host: String, address: String)
  /// Another server is already listening on the socket file.
  case addressInUse(String)
  /// No client connected within the timeout.
  case noClient(address: String, seconds: Double)
  /// The client closed the connection while the server waited for `awaiting`.
  case disconnected(awaiting: String)
  /// The client did not send `awaiting` within the timeout.
  case timedOut(awaiting: String, seconds: Double)
  /// The client sent a header the protocol does not allow here (shown with non-printing
  /// bytes escaped).
  case unexpectedHeader(expected: [String], received: String)
  /// FORCEREADY carried forces for a different number of atoms.
  case wrongAtomCount(expected: Int, received: Int)
  /// FORCEREADY carried a NaN or an infinity.
  case nonFinite(quantity: String)
  /// FORCEREADY announced more extra bytes than the server accepts (or a negative count).
  case invalidExtraLength(Int)
  /// The server was shut down; it evaluates nothing more.
  case shutDown

  public var description: String {
    switch self {
    case .socket(let operation, let address, let errno):
      return "i-PI server at \(address): \(operation) failed: \(Self.errnoText(errno))"
    case .unresolvableHost(let host, let address):
      return "i-PI server at \(address): host \"\(host)\" does not resolve;"
        + " use an address of this machine (127.0.0.1, a host name, or 0.0.0.0 for every interface)"
    case .addressInUse(let address):
      return "i-PI server at \(address): another server is already listening there;"
        + " choose another address or stop that server"
    case .noClient(let address, let seconds):
      return "no i-PI client connected to \(address) within \(Self.seconds(seconds));"
        + " start the engine's client with this address, or raise the timeout"
    case .disconnected(let awaiting):
      return "the i-PI client disconnected while the server waited for \(awaiting)"
    case .timedOut(let awaiting, let seconds):
      return "the i-PI client did not send \(awaiting) within \(Self.seconds(seconds));"
        + " raise the timeout if the engine is slow"
    case .unexpectedHeader(let expected, let received):
      return "the i-PI client sent header \"\(received)\" where the protocol allows "
        + expected.map { "\"\($0)\"" }.joined(separator: " or ")
    case .wrongAtomCount(let expected, let received):
      return "the i-PI client returned forces for \(received) atoms; the geometry has \(expected)"
    case .nonFinite(let quantity):
      return "the i-PI client returned a non-finite \(quantity)"
    case .invalidExtraLength(let length):
      return "the i-PI client announced \(length) extra bytes after the virial;"
        + " at most \(IPIMessage.maximumExtraBytes) are accepted"
    case .shutDown:
      return "the i-PI server has been shut down"
    }
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
  }

  private static func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: text)) (errno \(code))"
  }
}
