import IRCKit

/// The bytes of the i-PI socket protocol: headers, the POSDATA payload, the FORCEREADY reply.
///
/// References:
/// - i-PI manual, "Communication protocol": 12-byte ASCII headers padded with spaces,
///   4-byte integers and 8-byte floats in the machine's byte order (little-endian on every
///   platform the clients run on), atomic units throughout; POSDATA = cell (3×3, "sent
///   transposed"), inverse cell (transposed), atom count, positions; FORCEREADY = energy,
///   atom count, forces, virial (3×3), extra-string length, extra string.
///   "Transposed" is the Fortran clients' view: i-PI's own server (`ipi/interfaces/
///   sockets.py`, `sendall(cell.h)`) writes h — lattice vectors as columns — row by row,
///   which a column-major reader sees as hᵀ; ASE's server writes `atoms.cell.T` row by
///   row, the same bytes. This server writes the same.
///   (Kapil et al., Comput. Phys. Commun. 236, 214 (2019); https://docs.ipi-code.org)
/// - ASE `ase/calculators/socketio.py` (`IPIProtocol`), the reference client most engines
///   reach the protocol through; its INIT sends bead 0 and a one-byte string.
public enum IPIHeader: String, Sendable, CaseIterable {
  case status = "STATUS"
  case ready = "READY"
  case needInit = "NEEDINIT"
  case initialize = "INIT"
  case positionData = "POSDATA"
  case haveData = "HAVEDATA"
  case getForce = "GETFORCE"
  case forceReady = "FORCEREADY"
  case exit = "EXIT"

  /// Every header occupies exactly this many bytes on the wire.
  public static let length = 12

  /// The header padded with spaces to `length` bytes.
  public var bytes: [UInt8] {
    Array(rawValue.utf8)
      + Array(repeating: UInt8(ascii: " "), count: Self.length - rawValue.utf8.count)
  }

  /// The header these 12 bytes spell, trailing spaces (and NULs, which some Fortran
  /// clients pad with) ignored; nil for anything else.
  public init?(wire: [UInt8]) {
    guard wire.count == Self.length else { return nil }
    var end = wire.count
    while end > 0, wire[end - 1] == UInt8(ascii: " ") || wire[end - 1] == 0 { end -= 1 }
    guard let text = String(validating: wire[0..<end], as: UTF8.self) else { return nil }
    self.init(rawValue: text)
  }

  /// Twelve received bytes as printable text for an error message.
  static func printable(_ wire: [UInt8]) -> String {
    var text = ""
    for byte in wire {
      if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\"") {
        text.append(Character(Unicode.Scalar(byte)))
      } else {
        text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
      }
    }
    return text
  }
}

/// A periodic cell in bohr: lattice vectors as the columns of `h`, stored row-major.
public struct IPICell: Sendable, Equatable {
  public var h: [Double]

  public init(h: [Double]) {
    precondition(h.count == 9, "a cell has 3×3 entries")
    self.h = h
  }

  /// A cube of edge `edge` bohr: the cell a molecule is sent in.
  public static func cubic(edge: Double) -> IPICell {
    IPICell(h: [edge, 0, 0, 0, edge, 0, 0, 0, edge])
  }

  /// The inverse of `h`, row-major (cofactors over the determinant; the cell is 3×3).
  public var inverse: [Double] {
    let m = h
    let cofactors = [
      m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
      m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
      m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
    ]
    let determinant = m[0] * cofactors[0] + m[1] * cofactors[3] + m[2] * cofactors[6]
    return cofactors.map { $0 / determinant }
  }
}

/// What a client returned for one geometry (FORCEREADY), in atomic units.
public struct IPIReply: Sendable, Equatable {
  /// Hartree.
  public var energy: Double
  /// Hartree/bohr, atom by atom (x, y, z): minus the gradient.
  public var forces: [Double]
  /// Hartree, 3×3 row-major as sent.
  public var virial: [Double]
  /// Whatever the client appended (ASE sends at least one byte; often JSON or nothing).
  public var extra: [UInt8]

  public init(energy: Double, forces: [Double], virial: [Double], extra: [UInt8]) {
    self.energy = energy
    self.forces = forces
    self.virial = virial
    self.extra = extra
  }
}

/// Encoding and decoding of message bodies.
public enum IPIMessage {
  /// Bytes of the FORCEREADY prefix: energy (float64) and atom count (int32).
  static let replyPrefixLength = 12
  /// A 3×3 matrix of float64.
  static let matrixLength = 72
  /// A client's extra string is a comment (ASE: JSON with extra results); anything beyond
  /// this is taken for garbage rather than read into memory.
  public static let maximumExtraBytes = 1 << 24

  /// POSDATA with its body: h and h⁻¹ row by row, N, positions (bohr).
  public static func positionData(cell: IPICell, positions: [Double]) -> [UInt8] {
    var bytes = IPIHeader.positionData.bytes
    bytes.reserveCapacity(IPIHeader.length + 2 * matrixLength + 4 + 8 * positions.count)
    appendDoubles(cell.h, to: &bytes)
    appendDoubles(cell.inverse, to: &bytes)
    appendInt32(Int32(positions.count / 3), to: &bytes)
    appendDoubles(positions, to: &bytes)
    return bytes
  }

  /// INIT with its body: the bead index and the init string, each length-prefixed.
  public static func initialization(bead: Int32, string: [UInt8]) -> [UInt8] {
    var bytes = IPIHeader.initialize.bytes
    appendInt32(bead, to: &bytes)
    appendInt32(Int32(string.count), to: &bytes)
    bytes += string
    return bytes
  }

  static func appendInt32(_ value: Int32, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  static func appendDoubles(_ values: [Double], to bytes: inout [UInt8]) {
    #if _endian(little)
      values.withUnsafeBytes { bytes += $0 }  // already the wire's byte order: one copy
    #else
      for value in values {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
      }
    #endif
  }

  static func int32(_ bytes: [UInt8], at offset: Int) -> Int32 {
    var raw: UInt32 = 0
    for index in 0..<4 { raw |= UInt32(bytes[offset + index]) << (8 * index) }
    return Int32(bitPattern: raw)
  }

  static func doubles(_ bytes: [UInt8], at offset: Int, count: Int) -> [Double] {
    precondition(offset >= 0 && offset + 8 * count <= bytes.count, "doubles beyond the bytes")
    return bytes.withUnsafeBytes { raw in
      (0..<count).map { item in
        Double(
          bitPattern: UInt64(
            littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * item, as: UInt64.self)))
      }
    }
  }
}
