import Testing

@testable import IRCEngines
@testable import IRCKit

struct IPIAddressTests {
  @Test func unixNamesASocketFileInTmp() throws {
    let address = try IPIAddress(parsing: "unix:hcn")
    #expect(address == .unix(name: "hcn"))
    #expect(address.socketPath == "/tmp/ipi_hcn")
    #expect(address.description == "unix:hcn")
  }

  @Test func inetTakesHostAndPortOrTheDefaultPort() throws {
    #expect(try IPIAddress(parsing: "inet:127.0.0.1:4000") == .inet(host: "127.0.0.1", port: 4000))
    #expect(try IPIAddress(parsing: "inet:node12") == .inet(host: "node12", port: 31415))
    #expect(try IPIAddress(parsing: "inet:[::1]:5000") == .inet(host: "::1", port: 5000))
    #expect(try IPIAddress(parsing: "inet:[::1]") == .inet(host: "::1", port: 31415))
    #expect(IPIAddress.inet(host: "::1", port: 5000).description == "inet:[::1]:5000")
    #expect(try IPIAddress(parsing: "inet:localhost:31415").socketPath == nil)
  }

  @Test(arguments: [
    ("tcp:localhost:1", IPIAddressError.unknownScheme("tcp:localhost:1")),
    ("unix:", .invalidSocketName("unix:")),
    ("unix:a/b", .invalidSocketName("unix:a/b")),
    (
      "unix:" + String(repeating: "x", count: 120),
      .socketPathTooLong("unix:" + String(repeating: "x", count: 120), limit: 107)
    ),
    ("inet::31415", .invalidHost("inet::31415")),
    ("inet:a:b:c", .invalidHost("inet:a:b:c")),
    ("inet:[::1", .invalidHost("inet:[::1")),
    ("inet:host:port", .invalidPort("inet:host:port")),
    ("inet:host:65536", .invalidPort("inet:host:65536")),
    ("inet:host:-1", .invalidPort("inet:host:-1")),
  ])
  func malformedAddressesAreRefusedWithTheirCase(text: String, expected: IPIAddressError) {
    #expect(throws: expected) { try IPIAddress(parsing: text) }
  }

  @Test func errorsSayWhichFormsExist() {
    let message = IPIAddressError.unknownScheme("tcp:x").description
    #expect(message.contains("unix:NAME") && message.contains("inet:HOST:PORT"))
  }
}
