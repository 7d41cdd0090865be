/// Strict decoding of a molecular potential file (`shared/reference/molecules.md`): a file
/// with top-level `atoms` describes N atoms in space over the 3N Cartesian coordinates
/// x1, y1, z1, x2, …; `coordinates` and `plotRange` are refused, `masses` overrides the
/// default isotope masses per symbol, and each stationary point has 3N numbers.
extension Potential {
  /// The kinds a file over atoms may name.
  public static let molecularKinds = ["leps", "lennard-jones", "morse"]
}

extension FieldReader {
  func molecularPotential(
    _ top: [String: JSONValue], name: String, kind: String
  ) throws(PotentialFileError) -> Potential {
    guard top["coordinates"] == nil else {
      throw .invalidValue(
        file: file, path: "coordinates",
        expected:
          "no coordinates in a file with atoms: they are the Cartesian positions x1,y1,z1,x2,…; "
          + "remove the coordinates key")
    }
    guard top["plotRange"] == nil else {
      throw .invalidValue(
        file: file, path: "plotRange",
        expected: "no plotRange in a file with atoms: a region of 3N Cartesian coordinates "
          + "has no meaning for a molecule; remove it")
    }
    guard Potential.molecularKinds.contains(kind) else {
      throw .invalidValue(
        file: file, path: "kind",
        expected: "a kind over atoms (\(Potential.molecularKinds.joined(separator: ", "))) "
          + "in a file with atoms, found \"\(kind)\"")
    }
    let symbols = try atomSymbols(top["atoms"])
    let overrides = try massOverrides(top["masses"])
    let molecule: Molecule
    do {
      molecule = try Molecule(symbols: symbols, overrides: overrides)
    } catch {
      switch error {
      case .unknownMass(let symbol):
        throw .invalidValue(
          file: file, path: "atoms",
          expected: "atoms with known masses; \"\(symbol)\" has no default mass: give it in "
            + "masses, e.g. \"masses\": {\"\(symbol)\": <amu>}")
      case .invalidMass(let symbol, _):
        throw .invalidValue(
          file: file, path: "masses.\(symbol)", expected: "a finite positive mass in amu")
      }
    }
    let model = try molecularModel(kind: kind, top["parameters"], atomCount: symbols.count)
    return try potential(
      top, name: name, coordinateNames: Molecule.coordinateNames(atomCount: symbols.count),
      model: model, hasPlotRange: false, molecule: molecule)
  }

  /// `atoms`: a non-empty array of element symbols (`D` and `T` allowed).
  func atomSymbols(_ value: JSONValue?) throws(PotentialFileError) -> [String] {
    let elements = try array(value, at: "atoms", expected: "an array of element symbols")
    guard !elements.isEmpty else {
      throw .invalidValue(file: file, path: "atoms", expected: "at least one atom")
    }
    var symbols: [String] = []
    for (index, element) in elements.enumerated() {
      let path = "atoms[\(index)]"
      let symbol = try string(element, at: path)
      guard Self.isAtomSymbol(symbol) else {
        throw .invalidValue(
          file: file, path: path,
          expected: "a correctly capitalised element symbol such as \"H\", \"D\" or \"Cl\", "
            + "found \"\(symbol)\"")
      }
      symbols.append(symbol)
    }
    return symbols
  }

  static func isAtomSymbol(_ symbol: String) -> Bool {
    symbol != "X" && (Elements.symbols.contains(symbol) || symbol == "D" || symbol == "T")
  }

  /// `masses`: symbol → finite positive mass in amu.
  func massOverrides(_ value: JSONValue?) throws(PotentialFileError) -> [String: Double] {
    guard let value else { return [:] }
    guard case .object(let members) = value else {
      throw .wrongType(
        file: file, path: "masses", expected: "an object from element symbol to mass in amu",
        found: value.typeName)
    }
    var masses: [String: Double] = [:]
    for member in members {
      let path = "masses.\(member.key)"
      guard Self.isAtomSymbol(member.key) else {
        throw .invalidValue(
          file: file, path: path,
          expected: "an element symbol as key, found \"\(member.key)\"")
      }
      let mass = try number(member.value, at: path)
      guard mass > 0 else {
        throw .invalidValue(
          file: file, path: path, expected: "a positive mass in amu, found \(mass)")
      }
      masses[member.key] = mass
    }
    return masses
  }

  func molecularModel(
    kind: String, _ value: JSONValue?, atomCount: Int
  ) throws(PotentialFileError) -> Potential.Model {
    switch kind {
    case "leps":
      guard atomCount == 3 else {
        throw .wrongLength(file: file, path: "atoms", expected: 3, found: atomCount)
      }
      let fields = try object(value, at: "parameters", allowed: Self.lepsKeys)
      return .lepsTriatomic(LEPSTriatomic(parameters: try lepsParameters(fields)))
    case "lennard-jones":
      let fields = try object(value, at: "parameters", allowed: ["epsilon", "sigma"])
      return .cluster(
        PairCluster(
          pair: .lennardJones(
            epsilon: try requiredPositive(fields["epsilon"], at: "parameters.epsilon"),
            sigma: try requiredPositive(fields["sigma"], at: "parameters.sigma")),
          atomCount: atomCount))
    default:
      let fields = try object(value, at: "parameters", allowed: ["De", "re", "alpha"])
      return .cluster(
        PairCluster(
          pair: .morse(
            depth: try requiredPositive(fields["De"], at: "parameters.De"),
            equilibrium: try requiredPositive(fields["re"], at: "parameters.re"),
            alpha: try requiredPositive(fields["alpha"], at: "parameters.alpha")),
          atomCount: atomCount))
    }
  }

  func requiredPositive(_ value: JSONValue?, at path: String) throws(PotentialFileError) -> Double {
    guard value != nil else {
      throw .missingField(file: file, path: path, expected: "a positive number")
    }
    return try positive(value, at: path)!
  }
}
