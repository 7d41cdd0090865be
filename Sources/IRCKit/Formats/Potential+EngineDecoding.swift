/// Strict decoding of the engine kinds `xtb`, `external` and `ipi` (`shared/reference/engines.md`):
/// their atoms come from the `--from` XYZ (or an optional top-level `atoms`), energies are
/// in hartree and lengths in Å, and `coordinates` and `plotRange` have no meaning.
extension Potential {
  /// The kinds computed by another program.
  public static let engineKinds = ["xtb", "external", "ipi"]

  /// The engine of this potential, if its kind is one.
  public var engineSpecification: EngineSpecification? {
    if case .engine(let specification) = model { return specification }
    return nil
  }
}

extension FieldReader {
  static let xtbKeys = [
    "method", "charge", "uhf", "solvent", "accuracy", "electronicTemperature", "timeout",
  ]
  static let externalKeys = ["command", "charge", "multiplicity", "cores", "timeout"]

  func enginePotential(
    _ top: [String: JSONValue], name: String, kind: String
  ) throws(PotentialFileError) -> Potential {
    for key in ["coordinates", "plotRange", "masses"] where top[key] != nil {
      throw .invalidValue(
        file: file, path: key,
        expected: "no \(key) for kind \(kind): its atoms and their coordinates come from the "
          + "--from XYZ file (masses from --masses); remove the \(key) key")
    }
    let units = try object(top["units"] ?? .object([]), at: "units", allowed: ["energy", "length"])
    if let energy = units["energy"], energy != .string("hartree") {
      throw .invalidValue(
        file: file, path: "units.energy", expected: "\"hartree\", the unit engines return")
    }
    if let length = units["length"], length != .string("Å") {
      throw .invalidValue(
        file: file, path: "units.length", expected: "\"Å\", the unit engines are given")
    }
    let specification = try engineSpecification(top["parameters"], kind: kind)
    let symbols = try top["atoms"].map { value throws(PotentialFileError) in
      try atomSymbols(value)
    }
    let molecule: Molecule?
    do {
      molecule = try symbols.map { symbols throws(MoleculeError) in try Molecule(symbols: symbols) }
    } catch {
      throw .invalidValue(file: file, path: "atoms", expected: "atoms with known masses: \(error)")
    }
    let dimension = 3 * (symbols?.count ?? 0)
    if top["stationaryPoints"] != nil && symbols == nil {
      throw .invalidValue(
        file: file, path: "stationaryPoints",
        expected: "stationary points only with top-level atoms, which fix their length")
    }
    return Potential(
      name: name,
      title: try optionalString(top["title"], at: "title"),
      reference: try optionalString(top["reference"], at: "reference"),
      notes: try optionalString(top["notes"], at: "notes"),
      units: Units(energy: "hartree", length: "Å"),
      coordinateNames: Molecule.coordinateNames(atomCount: dimension / 3),
      model: .engine(specification),
      stationaryPoints: try stationaryPoints(top["stationaryPoints"], dimension: dimension),
      defaults: try defaults(top["defaults"]),
      plotRange: nil, molecule: molecule)
  }

  func engineSpecification(
    _ value: JSONValue?, kind: String
  ) throws(PotentialFileError) -> EngineSpecification {
    switch kind {
    case "xtb":
      return .xtb(try xtbParameters(try object(value, at: "parameters", allowed: Self.xtbKeys)))
    case "ipi":
      return .ipi(try ipiParameters(try object(value, at: "parameters", allowed: Self.ipiKeys)))
    default:
      return .external(
        try extToolParameters(try object(value, at: "parameters", allowed: Self.externalKeys)))
    }
  }

  func xtbParameters(_ fields: [String: JSONValue]) throws(PotentialFileError) -> XTBParameters {
    var parameters = XTBParameters()
    if let value = fields["method"] {
      let text = try string(value, at: "parameters.method")
      guard let method = XTBParameters.Method(rawValue: text) else {
        throw .invalidValue(
          file: file, path: "parameters.method",
          expected: "one of "
            + XTBParameters.Method.allCases.map(\.rawValue).joined(separator: ", ")
            + ", found \"\(text)\"")
      }
      parameters.method = method
    }
    parameters.charge = try integer(fields["charge"], at: "parameters.charge") ?? 0
    parameters.uhf = try integer(fields["uhf"], at: "parameters.uhf", minimum: 0) ?? 0
    parameters.solvent = try optionalString(fields["solvent"], at: "parameters.solvent")
    parameters.accuracy = try positive(fields["accuracy"], at: "parameters.accuracy")
    parameters.electronicTemperature = try positive(
      fields["electronicTemperature"], at: "parameters.electronicTemperature")
    parameters.timeout = try positive(fields["timeout"], at: "parameters.timeout")
    return parameters
  }

  func extToolParameters(
    _ fields: [String: JSONValue]
  ) throws(PotentialFileError) -> ExtToolParameters {
    let expected = "a non-empty array of strings: the program and its arguments"
    let elements = try array(fields["command"], at: "parameters.command", expected: expected)
    guard !elements.isEmpty else {
      throw .invalidValue(file: file, path: "parameters.command", expected: expected)
    }
    var command: [String] = []
    for (index, element) in elements.enumerated() {
      command.append(try string(element, at: "parameters.command[\(index)]"))
    }
    return ExtToolParameters(
      command: command, charge: try integer(fields["charge"], at: "parameters.charge") ?? 0,
      multiplicity: try integer(fields["multiplicity"], at: "parameters.multiplicity", minimum: 1)
        ?? 1,
      cores: try integer(fields["cores"], at: "parameters.cores", minimum: 1) ?? 1,
      timeout: try positive(fields["timeout"], at: "parameters.timeout"))
  }

  /// An optional whole number, at least `minimum` when one is given.
  func integer(
    _ value: JSONValue?, at path: String, minimum: Int? = nil
  ) throws(PotentialFileError) -> Int? {
    guard let number = try optionalNumber(value, at: path) else { return nil }
    guard number == number.rounded(), abs(number) < 1e9 else {
      throw .invalidValue(file: file, path: path, expected: "a whole number, found \(number)")
    }
    if let minimum, Int(number) < minimum {
      throw .invalidValue(
        file: file, path: path,
        expected: "a whole number of at least \(minimum), found \(Int(number))")
    }
    return Int(number)
  }
}
