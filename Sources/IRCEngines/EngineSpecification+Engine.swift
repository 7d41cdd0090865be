import IRCKit

extension EngineSpecification {
  /// The running engine a potential file's engine kind describes. An `ipi` engine starts
  /// serving at once, and throws when its address cannot be served.
  public func engine(environment: [String: String]) throws(IPIError) -> any Engine {
    switch self {
    case .xtb(let parameters):
      return XTBEngine(
        program: XTBEngine.defaultProgram(environment: environment), method: parameters.method,
        charge: parameters.charge, uhf: parameters.uhf, solvent: parameters.solvent,
        accuracy: parameters.accuracy, electronicTemperature: parameters.electronicTemperature,
        timeout: parameters.timeout)
    case .external(let parameters):
      return ExtToolEngine(
        command: parameters.command, charge: parameters.charge,
        multiplicity: parameters.multiplicity, cores: parameters.cores,
        timeout: parameters.timeout)
    case .ipi(let parameters):
      return try IPIEngine(parameters: parameters)
    }
  }
}

/// FNV-1a, 64 bits: a fingerprint of a file's content for checkpoint headers (not for
/// security: it tells "the same file" from "another file").
public enum ContentFingerprint {
  public static func of(_ bytes: some Sequence<UInt8>) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16)
  }
}
