import Testing

@testable import IRCKit

/// The `ipi` kind of a potential file: its parameters read strictly, every fault located.
struct IPIPotentialFileTests {
  static func decode(_ parameters: String) throws(PotentialFileError) -> Potential {
    try Potential(
      decoding: #"{"format": "irc-potential/1", "name": "e", "kind": "ipi", "parameters": "#
        + parameters + "}", file: "e.json")
  }

  @Test func addressAndTimeoutAreRead() throws {
    let potential = try Self.decode(#"{"address": "inet:0.0.0.0:4000", "timeout": 30}"#)
    #expect(
      potential.engineSpecification
        == .ipi(IPIParameters(address: .inet(host: "0.0.0.0", port: 4000), timeout: 30)))
    #expect(potential.engineSpecification?.kind == .ipi)
    #expect(potential.engineSpecification?.timeout == 30)
  }

  @Test func theTimeoutHasADefault() throws {
    let potential = try Self.decode(#"{"address": "unix:hcn"}"#)
    #expect(
      potential.engineSpecification
        == .ipi(IPIParameters(address: .unix(name: "hcn"), timeout: 600)))
  }

  @Test(arguments: [
    (
      #"{"adress": "unix:x"}"#,
      PotentialFileError.unknownKey(
        file: "e.json", path: "parameters", key: "adress", allowed: ["address", "timeout"])
    ),
    (#"{}"#, .missingField(file: "e.json", path: "parameters.address", expected: "a string")),
    (
      #"{"address": 31415}"#,
      .wrongType(
        file: "e.json", path: "parameters.address", expected: "a string", found: "a number")
    ),
    (
      #"{"address": "inet:h:99999"}"#,
      .invalidValue(
        file: "e.json", path: "parameters.address",
        expected: "a valid address: \(IPIAddressError.invalidPort("inet:h:99999"))")
    ),
    (
      #"{"address": "unix:x", "timeout": 0}"#,
      .invalidValue(
        file: "e.json", path: "parameters.timeout", expected: "a positive number, found 0.0")
    ),
    (
      #"{"address": "unix:x", "timeout": "10"}"#,
      .wrongType(
        file: "e.json", path: "parameters.timeout", expected: "a number", found: "a string")
    ),
  ])
  func badParametersAreLocated(parameters: String, expected: PotentialFileError) {
    #expect(throws: expected) { try Self.decode(parameters) }
  }
}
