import Testing

@testable import IRCKit

/// The engine kinds decode strictly: each fault is its exact case at its field.
@Suite struct EngineDecodingTests {
  static func decode(_ body: String) throws(PotentialFileError) -> Potential {
    try Potential(
      decoding: "{\"format\": \"irc-potential/1\", \"name\": \"e\", \(body)}", file: "e.json")
  }

  @Test func xtbAndExternalDecodeWithTheirDefaults() throws {
    let xtb = try Self.decode(#""kind": "xtb", "parameters": {"method": "gfn1", "uhf": 1}"#)
    #expect(xtb.engineSpecification == .xtb(XTBParameters(method: .gfn1, uhf: 1)))
    #expect(xtb.units == Units(energy: "hartree", length: "Å") && xtb.molecule == nil)
    let external = try Self.decode(
      #""kind": "external", "parameters": {"command": ["run", "-x"], "cores": 4, "timeout": 9}"#)
    #expect(
      external.engineSpecification
        == .external(ExtToolParameters(command: ["run", "-x"], cores: 4, timeout: 9)))
  }

  @Test func faultsAreNamedAtTheirField() {
    let cases: [(String, PotentialFileError)] = [
      (
        #""kind": "xtb", "parameters": {"method": "gfn3"}"#,
        .invalidValue(
          file: "e.json", path: "parameters.method",
          expected: "one of gfn2, gfn1, gfn0, gfnff, found \"gfn3\"")
      ),
      (
        #""kind": "xtb", "parameters": {"charge": 0.5}"#,
        .invalidValue(
          file: "e.json", path: "parameters.charge", expected: "a whole number, found 0.5")
      ),
      (
        #""kind": "xtb", "parameters": {"chrg": 0}"#,
        .unknownKey(
          file: "e.json", path: "parameters", key: "chrg",
          allowed: [
            "accuracy", "charge", "electronicTemperature", "method", "solvent", "timeout", "uhf",
          ])
      ),
      (
        #""kind": "external", "parameters": {"command": []}"#,
        .invalidValue(
          file: "e.json", path: "parameters.command",
          expected: "a non-empty array of strings: the program and its arguments")
      ),
      (
        #""kind": "external", "parameters": {"command": ["x"], "timeout": 0}"#,
        .invalidValue(
          file: "e.json", path: "parameters.timeout", expected: "a positive number, found 0.0")
      ),
      (
        #""kind": "xtb", "parameters": {}, "units": {"energy": "eV"}"#,
        .invalidValue(
          file: "e.json", path: "units.energy", expected: "\"hartree\", the unit engines return")
      ),
    ]
    for (body, expected) in cases {
      #expect(throws: expected) { try Self.decode(body) }
    }
  }
}
