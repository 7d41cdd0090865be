import IRCKit

extension IPIEngine {
  /// The parameters of the `ipi` kind of a potential file (`shared/reference/engines.md`):
  ///
  ///     {"format": "irc-potential/1", "name": "my-engine", "kind": "ipi",
  ///      "parameters": {"address": "unix:my-engine", "timeout": 600}}
  public struct Settings: Sendable, Equatable {
    /// Where the tool listens for the engine's clients.
    public var address: IPIAddress
    /// Seconds to wait for a client to connect, and for a client to answer one evaluation.
    public var timeout: Double

    /// Ten minutes: time to start a client by hand after `irc` starts, and for one gradient
    /// of a small DFT calculation. A client waiting in a batch queue, or a slower method,
    /// needs the file to say more.
    public static let defaultTimeout = 600.0
    public static let keys = ["address", "timeout"]

    public init(address: IPIAddress, timeout: Double = Self.defaultTimeout) {
      self.address = address
      self.timeout = timeout
    }

    /// Decodes the `parameters` object of an `ipi` potential file; `file` names it in errors.
    public init(decoding parameters: JSONValue?, file: String) throws(PotentialFileError) {
      let expected = "an object with \"address\" (\"unix:NAME\" or \"inet:HOST:PORT\")"
      guard let parameters else {
        throw .missingField(file: file, path: "parameters", expected: expected)
      }
      guard case .object(let members) = parameters else {
        throw .wrongType(
          file: file, path: "parameters", expected: expected, found: parameters.typeName)
      }
      if let unknown = members.first(where: { !Self.keys.contains($0.key) }) {
        throw .unknownKey(file: file, path: "parameters", key: unknown.key, allowed: Self.keys)
      }
      address = try Self.address(parameters["address"], file: file)
      timeout = try Self.timeout(parameters["timeout"], file: file)
    }

    private static func address(
      _ value: JSONValue?, file: String
    ) throws(PotentialFileError) -> IPIAddress {
      let path = "parameters.address"
      let expected = "a string, \"unix:NAME\" or \"inet:HOST:PORT\""
      guard let value else { throw .missingField(file: file, path: path, expected: expected) }
      guard case .string(let text) = value else {
        throw .wrongType(file: file, path: path, expected: expected, found: value.typeName)
      }
      do {
        return try IPIAddress(parsing: text)
      } catch {
        throw .invalidValue(file: file, path: path, expected: "a valid address: \(error)")
      }
    }

    private static func timeout(
      _ value: JSONValue?, file: String
    ) throws(PotentialFileError) -> Double {
      let path = "parameters.timeout"
      guard let value else { return defaultTimeout }
      guard case .number(let seconds) = value else {
        throw .wrongType(
          file: file, path: path, expected: "a number of seconds", found: value.typeName)
      }
      guard seconds.isFinite else { throw .nonFinite(file: file, path: path) }
      guard seconds > 0 else {
        throw .invalidValue(
          file: file, path: path, expected: "a positive number of seconds, found \(seconds)")
      }
      return seconds
    }
  }

  /// Starts serving with the settings of a potential file.
  public init(settings: Settings) throws(IPIError) {
    try self.init(address: settings.address, timeout: settings.timeout)
  }
}
