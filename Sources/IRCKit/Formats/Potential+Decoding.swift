/// Strict decoding of the potential-file contract (`shared/reference/potential-file.md`,
/// format `irc-potential/1`): every key known, every type and length checked, every number
/// finite, every error located.
extension Potential {
  /// The format versions this tool reads.
  public static let supportedFormats = ["irc-potential/1"]
  /// The kinds a file may name.
  public static let knownKinds = Kind.allCases.map(\.rawValue)

  /// Decodes a potential file's text; `file` names it in errors.
  public init(decoding text: String, file: String) throws(PotentialFileError) {
    let size = text.utf8.count
    guard size <= PotentialFileLimit.fileSize.limit else {
      throw .tooLarge(file: file, path: "", limit: .fileSize, found: size)
    }
    let root: JSONValue
    do {
      root = try JSONValue(parsing: text)
    } catch {
      throw .syntax(file: file, line: error.line, column: error.column, message: error.message)
    }
    self = try FieldReader(file: file).potential(root)
  }
}

/// Reads fields of a parsed JSON document, naming each by its path in errors.
struct FieldReader {
  let file: String

  // MARK: Generic fields

  func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  /// The members of an object, after checking it is one and has no unknown keys.
  func object(
    _ value: JSONValue?, at path: String, allowed: [String]
  ) throws(PotentialFileError) -> [String: JSONValue] {
    guard let value else { throw .missingField(file: file, path: path, expected: "an object") }
    guard case .object(let members) = value else {
      throw .wrongType(file: file, path: path, expected: "an object", found: value.typeName)
    }
    var result: [String: JSONValue] = [:]
    for member in members {
      guard allowed.contains(member.key) else {
        throw .unknownKey(file: file, path: path, key: member.key, allowed: allowed.sorted())
      }
      result[member.key] = member.value
    }
    return result
  }

  func number(_ value: JSONValue?, at path: String) throws(PotentialFileError) -> Double {
    guard let value else { throw .missingField(file: file, path: path, expected: "a number") }
    guard case .number(let number) = value else {
      throw .wrongType(file: file, path: path, expected: "a number", found: value.typeName)
    }
    guard number.isFinite else { throw .nonFinite(file: file, path: path) }
    return number
  }

  func optionalNumber(_ value: JSONValue?, at path: String) throws(PotentialFileError) -> Double? {
    guard let value else { return nil }
    return try number(value, at: path)
  }

  func positive(_ value: JSONValue?, at path: String) throws(PotentialFileError) -> Double? {
    guard let number = try optionalNumber(value, at: path) else { return nil }
    guard number > 0 else {
      throw .invalidValue(file: file, path: path, expected: "a positive number, found \(number)")
    }
    return number
  }

  func string(_ value: JSONValue?, at path: String) throws(PotentialFileError) -> String {
    guard let value else { throw .missingField(file: file, path: path, expected: "a string") }
    guard case .string(let string) = value else {
      throw .wrongType(file: file, path: path, expected: "a string", found: value.typeName)
    }
    return string
  }

  func optionalString(_ value: JSONValue?, at path: String) throws(PotentialFileError) -> String? {
    guard let value else { return nil }
    return try string(value, at: path)
  }

  func array(
    _ value: JSONValue?, at path: String, expected: String
  ) throws(PotentialFileError) -> [JSONValue] {
    guard let value else { throw .missingField(file: file, path: path, expected: expected) }
    guard case .array(let elements) = value else {
      throw .wrongType(file: file, path: path, expected: expected, found: value.typeName)
    }
    return elements
  }

  /// An array of exactly `count` finite numbers.
  func vector(_ value: JSONValue?, at path: String, count: Int) throws(PotentialFileError) -> Vector
  {
    let elements = try array(value, at: path, expected: "an array of \(count) numbers")
    guard elements.count == count else {
      throw .wrongLength(file: file, path: path, expected: count, found: elements.count)
    }
    var components: [Double] = []
    for (index, element) in elements.enumerated() {
      components.append(try number(element, at: "\(path)[\(index)]"))
    }
    return Vector(components)
  }

  // MARK: The document

  static let topLevelKeys = [
    "format", "name", "kind", "coordinates", "parameters", "title", "reference", "notes",
    "units", "stationaryPoints", "defaults", "plotRange", "atoms", "masses",
  ]

  func potential(_ root: JSONValue) throws(PotentialFileError) -> Potential {
    let top = try object(root, at: "", allowed: Self.topLevelKeys)
    let format = try string(top["format"], at: "format")
    guard Potential.supportedFormats.contains(format) else {
      throw .unsupportedFormat(file: file, found: format, supported: Potential.supportedFormats)
    }
    let name = try string(top["name"], at: "name")
    guard !name.isEmpty,
      name.unicodeScalars.allSatisfy({
        $0.isASCII
          && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
            || "-_.".unicodeScalars.contains($0))
      })
    else {
      throw .invalidValue(
        file: file, path: "name",
        expected: "a non-empty name of letters, digits, '-', '_' or '.' (it is the file's stem)")
    }
    let kind = try string(top["kind"], at: "kind")
    guard Potential.knownKinds.contains(kind) else {
      throw .unknownKind(file: file, found: kind, known: Potential.knownKinds)
    }
    // A surface computed by another program: Potential+EngineDecoding.swift.
    if Potential.engineKinds.contains(kind) {
      return try enginePotential(top, name: name, kind: kind)
    }
    // A file over atoms: Potential+MoleculeDecoding.swift.
    if top["atoms"] != nil || top["masses"] != nil {
      return try molecularPotential(top, name: name, kind: kind)
    }
    let coordinates = try coordinateNames(top["coordinates"])
    let model = try self.model(kind: kind, top["parameters"], coordinates: coordinates)
    return try potential(
      top, name: name, coordinateNames: coordinates, model: model, hasPlotRange: true)
  }

  /// The fields every file decoded here holds beside its model, checked in this order
  /// (an error names the first wrong one): `units`, `title`, `reference`, `notes`,
  /// `stationaryPoints` of `coordinateNames.count` coordinates, `defaults`, and `plotRange`
  /// where the file may have one (`hasPlotRange`; a file over atoms has none).
  func potential(
    _ top: [String: JSONValue], name: String, coordinateNames: [String], model: Potential.Model,
    hasPlotRange: Bool, molecule: Molecule? = nil
  ) throws(PotentialFileError) -> Potential {
    let units = try object(top["units"] ?? .object([]), at: "units", allowed: ["energy", "length"])
    let dimension = coordinateNames.count
    return Potential(
      name: name,
      title: try optionalString(top["title"], at: "title"),
      reference: try optionalString(top["reference"], at: "reference"),
      notes: try optionalString(top["notes"], at: "notes"),
      units: Units(
        energyName: try optionalString(units["energy"], at: "units.energy"),
        lengthName: try optionalString(units["length"], at: "units.length")),
      coordinateNames: coordinateNames,
      model: model,
      stationaryPoints: try stationaryPoints(top["stationaryPoints"], dimension: dimension),
      defaults: try defaults(top["defaults"]),
      plotRange: hasPlotRange ? try box(top["plotRange"], dimension: dimension) : nil,
      molecule: molecule)
  }

  /// Throws if `count` elements at `path` are more than `limit` allows.
  func check(_ count: Int, at path: String, against limit: PotentialFileLimit)
    throws(PotentialFileError)
  {
    guard count <= limit.limit else {
      throw .tooLarge(file: file, path: path, limit: limit, found: count)
    }
  }

  func coordinateNames(_ value: JSONValue?) throws(PotentialFileError) -> [String] {
    let elements = try array(value, at: "coordinates", expected: "an array of coordinate names")
    guard !elements.isEmpty else {
      throw .invalidValue(file: file, path: "coordinates", expected: "at least one coordinate name")
    }
    try check(elements.count, at: "coordinates", against: .coordinates)
    var names: [String] = []
    var seen = Set<String>()
    for (index, element) in elements.enumerated() {
      let path = "coordinates[\(index)]"
      let name = try string(element, at: path)
      // The rule a formula refers to names by, so every coordinate can appear in one.
      guard ExpressionSurface.isName(name) else {
        throw .invalidValue(
          file: file, path: path,
          expected:
            "a name of ASCII letters, digits and '_' starting with a letter, found "
            + InputExcerpt.quoted(name))
      }
      guard seen.insert(name).inserted else {
        throw .invalidValue(
          file: file, path: path,
          expected: "a name not used before, found \(InputExcerpt.quoted(name)) again")
      }
      names.append(name)
    }
    return names
  }

  func requireDimension(_ expected: Int, of coordinates: [String], kind: String)
    throws(PotentialFileError)
  {
    guard coordinates.count == expected else {
      throw .wrongLength(
        file: file, path: "coordinates", expected: expected, found: coordinates.count)
    }
  }

  // MARK: Kinds

  func model(
    kind: String, _ value: JSONValue?, coordinates: [String]
  ) throws(PotentialFileError) -> Potential.Model {
    guard let known = Potential.Kind(rawValue: kind) else {
      throw .unknownKind(file: file, found: kind, known: Potential.knownKinds)
    }
    switch known {
    case .gaussianSum:
      try requireDimension(2, of: coordinates, kind: kind)
      return .gaussianSum(try gaussianSum(value))
    case .leps:
      try requireDimension(2, of: coordinates, kind: kind)
      let fields = try object(value, at: "parameters", allowed: Self.lepsKeys + ["rAC", "atoms"])
      let acDistance: LEPS.ACDistance
      switch fields["rAC"] {
      case .string("sum"): acDistance = .sum
      case .number: acDistance = .fixed(try positive(fields["rAC"], at: "parameters.rAC")!)
      case nil:
        throw .missingField(
          file: file, path: "parameters.rAC", expected: "\"sum\" or a positive number")
      case .string(let other):
        throw .invalidValue(
          file: file, path: "parameters.rAC",
          expected: "\"sum\" or a positive number, found \(InputExcerpt.quoted(other))")
      case .some(let other):
        throw .wrongType(
          file: file, path: "parameters.rAC", expected: "\"sum\" or a positive number",
          found: other.typeName)
      }
      return .leps(
        LEPS(parameters: try lepsParameters(fields), acDistance: acDistance),
        atoms: try atoms(fields["atoms"]))
    case .lepsHarmonic:
      try requireDimension(2, of: coordinates, kind: kind)
      let fields = try object(
        value, at: "parameters", allowed: Self.lepsKeys + ["rAC", "atoms", "harmonic"])
      let rAC = try number(fields["rAC"], at: "parameters.rAC")
      guard rAC > 0 else {
        throw .invalidValue(
          file: file, path: "parameters.rAC", expected: "a positive number (A and C are fixed)")
      }
      let harmonic = try object(
        fields["harmonic"], at: "parameters.harmonic", allowed: ["kc", "c"])
      let kc = try number(harmonic["kc"], at: "parameters.harmonic.kc")
      let c = try number(harmonic["c"], at: "parameters.harmonic.c")
      guard c != 0 else {
        throw .invalidValue(
          file: file, path: "parameters.harmonic.c", expected: "a non-zero number")
      }
      return .lepsHarmonic(
        LEPSHarmonic(parameters: try lepsParameters(fields), rAC: rAC, kc: kc, c: c),
        atoms: try atoms(fields["atoms"]))
    case .expression:
      return .expression(try expressionSurface(value, coordinates: coordinates))
    case .xtb, .external, .ipi:
      // Decoded before the model (Potential+EngineDecoding.swift); never reached.
      throw .unknownKind(file: file, found: kind, known: Potential.knownKinds)
    case .lennardJones, .morse:
      throw .missingField(
        file: file, path: "atoms",
        expected: "an array of element symbols: kind \(kind) is a cluster of atoms in space")
    }
  }

  /// The `expression` kind: `energy`, a formula, and optional `constants`, named numbers.
  /// A fault in the formula is reported at `parameters.energy` with its column and the
  /// formula with a caret under it; a bad constant at `parameters.constants.NAME`.
  func expressionSurface(
    _ value: JSONValue?, coordinates: [String]
  ) throws(PotentialFileError) -> ExpressionSurface {
    let fields = try object(value, at: "parameters", allowed: ["constants", "energy"])
    var constants: [String: Double] = [:]
    if let value = fields["constants"] {
      guard case .object(let members) = value else {
        throw .wrongType(
          file: file, path: "parameters.constants", expected: "an object of named numbers",
          found: value.typeName)
      }
      for member in members {
        constants[member.key] = try number(
          member.value, at: "parameters.constants.\(InputExcerpt.cut(member.key))")
      }
    }
    let formula = try string(fields["energy"], at: "parameters.energy")
    try check(formula.unicodeScalars.count, at: "parameters.energy", against: .formulaLength)
    do {
      return try ExpressionSurface(formula: formula, coordinates: coordinates, constants: constants)
    } catch {
      // The surface checks the names (the coordinates' were checked above, so a name
      // error is a constant's): reported at that constant.
      guard let column = error.column, let display = error.caretDisplay else {
        let path: String
        switch error.reason {
        case .invalidName(let name), .constantShadowsCoordinate(let name),
          .constantShadowsFunction(let name):
          path = "parameters.constants.\(InputExcerpt.cut(name))"
        default: path = "parameters"
        }
        throw .invalidValue(
          file: file, path: path, expected: "\(error.expected), found \(error.found)")
      }
      throw .invalidValue(
        file: file, path: "parameters.energy",
        expected: "\(error.expected) at column \(column), found \(error.found)\n\(display)")
    }
  }

  static let gaussianTermKeys = ["A", "a", "b", "c", "x0", "y0"]

  func gaussianSum(_ value: JSONValue?) throws(PotentialFileError) -> GaussianSum {
    let fields = try object(value, at: "parameters", allowed: ["terms"])
    let elements = try array(fields["terms"], at: "parameters.terms", expected: "an array of terms")
    guard !elements.isEmpty else {
      throw .invalidValue(file: file, path: "parameters.terms", expected: "at least one term")
    }
    try check(elements.count, at: "parameters.terms", against: .terms)
    var terms: [GaussianSum.Term] = []
    for (index, element) in elements.enumerated() {
      let path = "parameters.terms[\(index)]"
      let term = try object(element, at: path, allowed: Self.gaussianTermKeys)
      var numbers: [Double] = []
      for key in Self.gaussianTermKeys {
        numbers.append(try number(term[key], at: "\(path).\(key)"))
      }
      terms.append(
        GaussianSum.Term(
          A: numbers[0], a: numbers[1], b: numbers[2], c: numbers[3], x0: numbers[4], y0: numbers[5]
        ))
    }
    return GaussianSum(terms: terms)
  }

  static let lepsKeys = ["a", "b", "c", "dAB", "dBC", "dAC", "r0", "alpha"]

  func lepsParameters(_ fields: [String: JSONValue]) throws(PotentialFileError) -> LEPS.Parameters {
    var numbers: [String: Double] = [:]
    for key in Self.lepsKeys {
      numbers[key] = try number(fields[key], at: "parameters.\(key)")
    }
    for key in ["a", "b", "c"] where numbers[key]! <= -1 {
      throw .invalidValue(
        file: file, path: "parameters.\(key)",
        expected: "a number greater than -1 (the Sato parameter divides by 1 + \(key))")
    }
    guard numbers["alpha"]! > 0 else {
      throw .invalidValue(
        file: file, path: "parameters.alpha", expected: "a positive Morse exponent")
    }
    return LEPS.Parameters(
      a: numbers["a"]!, b: numbers["b"]!, c: numbers["c"]!, dAB: numbers["dAB"]!,
      dBC: numbers["dBC"]!, dAC: numbers["dAC"]!, r0: numbers["r0"]!, alpha: numbers["alpha"]!)
  }

  func atoms(_ value: JSONValue?) throws(PotentialFileError) -> [String] {
    guard let value else { return ["H", "H", "H"] }
    let elements = try array(
      value, at: "parameters.atoms", expected: "an array of 3 element symbols")
    guard elements.count == 3 else {
      throw .wrongLength(file: file, path: "parameters.atoms", expected: 3, found: elements.count)
    }
    var symbols: [String] = []
    for (index, element) in elements.enumerated() {
      let path = "parameters.atoms[\(index)]"
      let symbol = try string(element, at: path)
      guard Elements.symbols.contains(symbol) else {
        throw .invalidValue(
          file: file, path: path,
          expected:
            "a correctly capitalised element symbol such as \"H\" or \"Cl\", found "
            + InputExcerpt.quoted(symbol))
      }
      symbols.append(symbol)
    }
    return symbols
  }

  // MARK: Optional sections

  func stationaryPoints(
    _ value: JSONValue?, dimension: Int
  ) throws(PotentialFileError) -> [Potential.KnownPoint] {
    guard let value else { return [] }
    let elements = try array(value, at: "stationaryPoints", expected: "an array of points")
    try check(elements.count, at: "stationaryPoints", against: .stationaryPoints)
    var points: [Potential.KnownPoint] = []
    var labels = Set<String>()
    for (index, element) in elements.enumerated() {
      let path = "stationaryPoints[\(index)]"
      let fields = try object(
        element, at: path, allowed: ["label", "kind", "coordinates", "energy"])
      let label = try string(fields["label"], at: "\(path).label")
      guard !label.isEmpty, !label.contains(where: \.isWhitespace) else {
        throw .invalidValue(
          file: file, path: "\(path).label", expected: "a non-empty label without spaces")
      }
      guard labels.insert(label).inserted else {
        throw .invalidValue(
          file: file, path: "\(path).label",
          expected: "a label not used before, found \(InputExcerpt.quoted(label)) again")
      }
      let kindName = try string(fields["kind"], at: "\(path).kind")
      guard let kind = StationaryKind(rawValue: kindName) else {
        throw .invalidValue(
          file: file, path: "\(path).kind",
          expected: "\"minimum\" or \"saddle\", found \(InputExcerpt.quoted(kindName))")
      }
      points.append(
        Potential.KnownPoint(
          label: label, kind: kind,
          coordinates: try vector(
            fields["coordinates"], at: "\(path).coordinates", count: dimension),
          energy: try optionalNumber(fields["energy"], at: "\(path).energy")))
    }
    return points
  }

  func defaults(_ value: JSONValue?) throws(PotentialFileError) -> Potential.Defaults {
    guard let value else { return Potential.Defaults() }
    let fields = try object(
      value, at: "defaults",
      allowed: ["stepLength", "gradientTolerance", "maxSteps", "gradientScale"])
    var maxSteps: Int?
    if let steps = try positive(fields["maxSteps"], at: "defaults.maxSteps") {
      guard steps == steps.rounded(), steps <= Double(TraceSettings.maxStepsLimit) else {
        throw .invalidValue(
          file: file, path: "defaults.maxSteps",
          expected: "a whole number from 1 to \(TraceSettings.maxStepsLimit)")
      }
      maxSteps = Int(steps)
    }
    return Potential.Defaults(
      stepLength: try positive(fields["stepLength"], at: "defaults.stepLength"),
      gradientTolerance: try positive(
        fields["gradientTolerance"], at: "defaults.gradientTolerance"),
      maxSteps: maxSteps,
      gradientScale: try positive(fields["gradientScale"], at: "defaults.gradientScale"))
  }

  func box(_ value: JSONValue?, dimension: Int) throws(PotentialFileError) -> Potential.Box? {
    guard let value else { return nil }
    let fields = try object(value, at: "plotRange", allowed: ["lower", "upper"])
    let lower = try vector(fields["lower"], at: "plotRange.lower", count: dimension)
    let upper = try vector(fields["upper"], at: "plotRange.upper", count: dimension)
    for index in 0..<dimension where lower[index] >= upper[index] {
      throw .invalidValue(
        file: file, path: "plotRange.upper[\(index)]",
        expected: "a value greater than plotRange.lower[\(index)] = \(lower[index])")
    }
    return Potential.Box(lower: lower, upper: upper)
  }
}
