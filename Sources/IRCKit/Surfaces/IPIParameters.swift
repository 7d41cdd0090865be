/// The parameters of the `ipi` kind (`shared/reference/engines.md`): where the tool serves
/// the engine's clients, and how long it waits for them.
public struct IPIParameters: Sendable, Equatable {
  public var address: IPIAddress
  /// Seconds to wait for a client to connect, and for a client to answer one evaluation.
  public var timeout: Double

  /// Ten minutes: time to start a client by hand after `irc` starts, and for one gradient
  /// of a small DFT calculation. A client waiting in a batch queue, or a slower method,
  /// needs the file to say more.
  public static let defaultTimeout = 600.0

  public init(address: IPIAddress, timeout: Double = Self.defaultTimeout) {
    self.address = address
    self.timeout = timeout
  }
}
