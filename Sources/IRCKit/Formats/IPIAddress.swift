/// Where the i-PI server listens: a UNIX-domain socket file or a TCP host and port.
///
/// References:
/// - i-PI manual, "Communication protocol" and "Running with a client code": a UNIX socket
///   named NAME lives at `/tmp/ipi_NAME`; TCP servers listen on port 31415 unless told.
///   (Kapil et al., Comput. Phys. Commun. 236, 214 (2019); https://docs.ipi-code.org)
/// - ASE `ase.calculators.socketio`: `SocketClient(unixsocket=NAME)` connects to
///   `/tmp/ipi_NAME`, `SocketClient(host=…, port=…)` to a TCP server.
public enum IPIAddress: Sendable, Equatable, CustomStringConvertible {
  /// A socket file `/tmp/ipi_NAME` on this machine.
  case unix(name: String)
  /// A TCP address; `host` may be a name or an IPv4/IPv6 literal, port 0 asks the system
  /// for a free port (the server then reports the one it got).
  case inet(host: String, port: Int)

  /// The port that i-PI, ASE and the client codes use when none is given.
  public static let defaultPort = 31415
  /// The folder and prefix of socket files, fixed by the protocol's convention so that a
  /// client given only NAME finds the server.
  public static let unixSocketPrefix = "/tmp/ipi_"
  /// `sun_path` holds 108 bytes including the terminating zero (Linux `sockaddr_un`).
  static let maximumSocketPathBytes = 107

  /// Parses `unix:NAME`, `inet:HOST:PORT`, `inet:HOST` or `inet:[IPv6]:PORT`.
  public init(parsing text: String) throws(IPIAddressError) {
    if text.hasPrefix("unix:") {
      let name = String(text.dropFirst("unix:".count))
      guard !name.isEmpty, !name.contains("/"), !name.contains("\0") else {
        throw .invalidSocketName(text)
      }
      guard (Self.unixSocketPrefix + name).utf8.count <= Self.maximumSocketPathBytes else {
        throw .socketPathTooLong(text, limit: Self.maximumSocketPathBytes)
      }
      self = .unix(name: name)
    } else if text.hasPrefix("inet:") {
      let (host, port) = try Self.hostAndPort(String(text.dropFirst("inet:".count)), in: text)
      self = .inet(host: host, port: port)
    } else {
      throw .unknownScheme(text)
    }
  }

  /// The socket file of a `unix` address.
  public var socketPath: String? {
    if case .unix(let name) = self { return Self.unixSocketPrefix + name }
    return nil
  }

  public var description: String {
    switch self {
    case .unix(let name): return "unix:\(name)"
    case .inet(let host, let port):
      return host.contains(":") ? "inet:[\(host)]:\(port)" : "inet:\(host):\(port)"
    }
  }

  private static func hostAndPort(
    _ rest: String, in text: String
  ) throws(IPIAddressError) -> (String, Int) {
    var host: Substring
    var portText: Substring?
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { throw .invalidHost(text) }
      host = rest[rest.index(after: rest.startIndex)..<close]
      let after = rest[rest.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":") else { throw .invalidHost(text) }
        portText = after.dropFirst()
      }
    } else {
      let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count <= 2 else { throw .invalidHost(text) }
      host = parts[0]
      portText = parts.count == 2 ? parts[1] : nil
    }
    guard !host.isEmpty, !host.contains(where: \.isWhitespace) else { throw .invalidHost(text) }
    guard let portText else { return (String(host), defaultPort) }
    guard let port = Int(portText), (0...65535).contains(port) else {
      throw .invalidPort(text)
    }
    return (String(host), port)
  }
}

/// An address string that is not one of the forms `IPIAddress` accepts.
public enum IPIAddressError: Error, Sendable, Equatable, CustomStringConvertible {
  case unknownScheme(String)
  case invalidSocketName(String)
  case socketPathTooLong(String, limit: Int)
  case invalidHost(String)
  case invalidPort(String)

  public var description: String {
    let forms = "use \"unix:NAME\" (socket file /tmp/ipi_NAME) or \"inet:HOST:PORT\""
    switch self {
    case .unknownScheme(let text):
      return "address \"\(text)\" has no known form; \(forms)"
    case .invalidSocketName(let text):
      return "address \"\(text)\": the socket name must be non-empty and contain no \"/\"; \(forms)"
    case .socketPathTooLong(let text, let limit):
      return "address \"\(text)\": the socket file /tmp/ipi_NAME would exceed \(limit) bytes;"
        + " choose a shorter NAME"
    case .invalidHost(let text):
      return "address \"\(text)\": expected inet:HOST:PORT, inet:HOST or inet:[IPv6]:PORT"
    case .invalidPort(let text):
      return "address \"\(text)\": the port must be an integer from 0 to 65535"
        + " (default \(IPIAddress.defaultPort))"
    }
  }
}
