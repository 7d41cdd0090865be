import Glibc
import IRCKit

/// The listening socket of the server: bound to a socket file or a TCP address, non-blocking.
///
/// A socket file left behind by a server that was killed is removed before binding; one
/// that a live server still listens on is refused (`addressInUse`), never taken over.
final class IPIListener {
  /// Connections the kernel queues before `accept`: more than the clients a run uses.
  private static let backlog: Int32 = 64
  private var descriptor: Int32
  /// The address as bound (an inet port 0 replaced by the port the system chose).
  let address: IPIAddress

  init(_ requested: IPIAddress) throws(IPIError) {
    switch requested {
    case .unix(let name):
      let path = IPIAddress.unixSocketPrefix + name
      descriptor = try Self.bindUnix(path: path, label: requested.description)
      address = requested
    case .inet(let host, let port):
      let (bound, actualPort) = try Self.bindInet(
        host: host, port: port, label: requested.description)
      descriptor = bound
      address = .inet(host: host, port: actualPort)
    }
    guard listen(descriptor, Self.backlog) == 0 else {
      let code = errno
      close()
      throw .socket(operation: "listen", address: requested.description, errno: code)
    }
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
  }

  deinit { close() }

  /// Stops listening and removes the socket file.
  func close() {
    guard descriptor >= 0 else { return }
    _ = Glibc.close(descriptor)
    descriptor = -1
    if let path = address.socketPath { _ = unlink(path) }
  }

  /// A client waiting to be accepted, or nil at once if there is none.
  func acceptPending() -> IPIConnection? {
    guard descriptor >= 0 else { return nil }
    let client = accept(descriptor, nil, nil)
    guard client >= 0 else { return nil }
    if case .inet = address {
      // The protocol is a ping-pong of small messages: Nagle's algorithm would hold each
      // one back for the previous acknowledgement (tens of milliseconds per evaluation).
      var on: Int32 = 1
      _ = setsockopt(
        client, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }
    return IPIConnection(descriptor: client)
  }

  /// Waits until a client is waiting to be accepted or the deadline passes.
  func waitForClient(until deadline: IPIDeadline) -> Bool {
    guard descriptor >= 0 else { return false }
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    while true {
      let ready = poll(&entry, 1, deadline.pollMilliseconds)
      if ready > 0 { return true }
      if ready == 0 || errno != EINTR { return false }
    }
  }

  private static func bindUnix(path: String, label: String) throws(IPIError) -> Int32 {
    var socketAddress = sockaddr_un()
    socketAddress.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
      for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
    }
    if isServed(socketAddress) { throw .addressInUse(label) }
    var status = stat()
    if lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFSOCK { _ = unlink(path) }
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw .socket(operation: "socket", address: label, errno: errno) }
    let result = withUnsafePointer(to: &socketAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard result == 0 else {
      let code = errno
      _ = Glibc.close(descriptor)
      throw .socket(operation: "bind", address: label, errno: code)
    }
    return descriptor
  }

  /// Whether a live server accepts connections on this socket file.
  private static func isServed(_ socketAddress: sockaddr_un) -> Bool {
    var probeAddress = socketAddress
    let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard probe >= 0 else { return false }
    defer { _ = Glibc.close(probe) }
    let result = withUnsafePointer(to: &probeAddress) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    return result == 0
  }

  private static func bindInet(
    host: String, port: Int, label: String
  ) throws(IPIError) -> (Int32, Int) {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_PASSIVE
    var list: UnsafeMutablePointer<addrinfo>?
    let lookup = getaddrinfo(host, String(port), &hints, &list)
    guard lookup == 0, let first = list else {
      throw .unresolvableHost(host: host, address: label)
    }
    defer { freeaddrinfo(list) }
    let descriptor = socket(
      first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
    guard descriptor >= 0 else { throw .socket(operation: "socket", address: label, errno: errno) }
    var on: Int32 = 1
    _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    guard bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
      let code = errno
      _ = Glibc.close(descriptor)
      throw code == EADDRINUSE
        ? .addressInUse(label) : .socket(operation: "bind", address: label, errno: code)
    }
    return (descriptor, boundPort(descriptor) ?? port)
  }

  private static func boundPort(_ descriptor: Int32) -> Int? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let result = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard result == 0 else { return nil }
    return withUnsafePointer(to: &storage) { pointer -> Int? in
      switch Int32(pointer.pointee.ss_family) {
      case AF_INET:
        return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
          Int(UInt16(bigEndian: $0.pointee.sin_port))
        }
      case AF_INET6:
        return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
          Int(UInt16(bigEndian: $0.pointee.sin6_port))
        }
      default: return nil
      }
    }
  }
}
