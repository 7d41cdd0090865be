import Testing

@testable import IRCEngines
@testable import IRCKit

struct IPISettingsTests {
  static func decode(_ text: String) throws(PotentialFileError) -> IPIEngine.Settings {
    let root = try! JSONValue(parsing: text)
    return try IPIEngine.Settings(decoding: root["parameters"], file: "e.json")
  }

  @Test func addressAndTimeoutAreRead() throws {
    let settings = try Self.decode(
      #"{"parameters": {"address": "inet:0.0.0.0:4000", "timeout": 30}}"#)
    #expect(
      settings == IPIEngine.Settings(address: .inet(host: "0.0.0.0", port: 4000), timeout: 30))
  }

  @Test func theTimeoutHasADefault() throws {
    let settings = try Self.decode(#"{"parameters": {"address": "unix:hcn"}}"#)
    #expect(settings.timeout == IPIEngine.Settings.defaultTimeout)
    #expect(settings.address == .unix(name: "hcn"))
  }

  @Test(arguments: [
    (
      #"{}"#,
      PotentialFileError.missingField(
        file: "e.json", path: "parameters",
        expected: "an object with \"address\" (\"unix:NAME\" or \"inet:HOST:PORT\")")
    ),
    (
      #"{"parameters": {"adress": "unix:x"}}"#,
      .unknownKey(
        file: "e.json", path: "parameters", key: "adress", allowed: ["address", "timeout"])
    ),
    (
      #"{"parameters": {}}"#,
      .missingField(
        file: "e.json", path: "parameters.address",
        expected: "a string, \"unix:NAME\" or \"inet:HOST:PORT\"")
    ),
    (
      #"{"parameters": {"address": 31415}}"#,
      .wrongType(
        file: "e.json", path: "parameters.address",
        expected: "a string, \"unix:NAME\" or \"inet:HOST:PORT\"", found: "a number")
    ),
    (
      #"{"parameters": {"address": "inet:h:99999"}}"#,
      .invalidValue(
        file: "e.json", path: "parameters.address",
        expected: "a valid address: \(IPIAddressError.invalidPort("inet:h:99999"))")
    ),
    (
      #"{"parameters": {"address": "unix:x", "timeout": 0}}"#,
      .invalidValue(
        file: "e.json", path: "parameters.timeout",
        expected: "a positive number of seconds, found 0.0")
    ),
    (
      #"{"parameters": {"address": "unix:x", "timeout": "10"}}"#,
      .wrongType(
        file: "e.json", path: "parameters.timeout", expected: "a number of seconds",
        found: "a string")
    ),
    (
      #"{"parameters": {"address": "unix:x", "timeout": 1e999}}"#,
      .nonFinite(file: "e.json", path: "parameters.timeout")
    ),
  ])
  func badParametersAreLocated(text: String, expected: PotentialFileError) {
    #expect(throws: expected) { try Self.decode(text) }
  }
}
