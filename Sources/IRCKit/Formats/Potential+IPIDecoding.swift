/// Strict decoding of the `ipi` kind's parameters (`shared/reference/engines.md`):
///
///     {"format": "irc-potential/1", "name": "my-engine", "kind": "ipi",
///      "parameters": {"address": "unix:my-engine", "timeout": 600}}
extension FieldReader {
  static let ipiKeys = ["address", "timeout"]

  func ipiParameters(_ fields: [String: JSONValue]) throws(PotentialFileError) -> IPIParameters {
    let path = "parameters.address"
    let text = try string(fields["address"], at: path)
    let address: IPIAddress
    do {
      address = try IPIAddress(parsing: text)
    } catch {
      throw .invalidValue(file: file, path: path, expected: "a valid address: \(error)")
    }
    let timeout = try positive(fields["timeout"], at: "parameters.timeout")
    return IPIParameters(address: address, timeout: timeout ?? IPIParameters.defaultTimeout)
  }
}
