import Testing

@testable import IRCEngines
@testable import IRCKit

struct IPIMessageTests {
  @Test func headersAreTwelveSpacePaddedAsciiBytes() {
    for header in IPIHeader.allCases {
      #expect(header.bytes.count == 12)
      #expect(
        String(decoding: header.bytes, as: UTF8.self)
          == header.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))
      #expect(IPIHeader(wire: header.bytes) == header)
    }
    #expect(IPIHeader(wire: Array("READY".utf8) + [UInt8](repeating: 0, count: 7)) == .ready)
    #expect(IPIHeader(wire: Array("HELLOWORLD!!".utf8)) == nil)
    #expect(IPIHeader(wire: Array("READY".utf8)) == nil)
  }

  @Test func unprintableBytesAreEscapedInMessages() {
    #expect(IPIHeader.printable(Array("HELLO".utf8) + [0, 1, 0xff]) == "HELLO\\x00\\x01\\xff")
  }

  /// Layout of i-PI's own server (`sendall(cell.h)`, `sendall(cell.ih)`): header, h with the
  /// lattice vectors as columns row by row, h⁻¹ row by row, int32 N, 3N floats, all
  /// little-endian. Here the second lattice vector is (1, 4, 0).
  @Test func positionDataIsTheCellItsInverseTheCountAndThePositions() {
    let cell = IPICell(h: [2, 1, 0, 0, 4, 0, 0, 0, 8])
    let bytes = IPIMessage.positionData(cell: cell, positions: [1, 2, 3, -4, 5.5, 6])
    #expect(bytes.count == 12 + 72 + 72 + 4 + 48)
    #expect(Array(bytes[0..<12]) == IPIHeader.positionData.bytes)
    #expect(IPIMessage.doubles(bytes, at: 12, count: 9) == [2, 1, 0, 0, 4, 0, 0, 0, 8])
    #expect(
      IPIMessage.doubles(bytes, at: 84, count: 9) == [0.5, -0.125, 0, 0, 0.25, 0, 0, 0, 0.125])
    #expect(Array(bytes[156..<160]) == [2, 0, 0, 0])
    #expect(IPIMessage.doubles(bytes, at: 160, count: 6) == [1, 2, 3, -4, 5.5, 6])
    // 1.0 as an IEEE double, least significant byte first.
    #expect(Array(bytes[160..<168]) == [0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
  }

  @Test func initCarriesTheBeadAndALengthPrefixedString() {
    let bytes = IPIMessage.initialization(bead: 3, string: [0x41, 0x42])
    #expect(bytes == IPIHeader.initialize.bytes + [3, 0, 0, 0, 2, 0, 0, 0, 0x41, 0x42])
  }

  @Test func theInverseCellTimesTheCellIsTheIdentity() {
    let cell = IPICell(h: [3, 0.5, -0.2, 0.1, 4, 0.3, 0, -0.7, 5])
    let inverse = cell.inverse
    for row in 0..<3 {
      for column in 0..<3 {
        let product = (0..<3).map { cell.h[3 * row + $0] * inverse[3 * $0 + column] }.reduce(0, +)
        #expect(abs(product - (row == column ? 1 : 0)) < 1e-14)
      }
    }
  }

  @Test func negativeIntegersRoundTrip() {
    var bytes: [UInt8] = []
    IPIMessage.appendInt32(-2, to: &bytes)
    #expect(bytes == [0xfe, 0xff, 0xff, 0xff])
    #expect(IPIMessage.int32(bytes, at: 0) == -2)
  }
}
