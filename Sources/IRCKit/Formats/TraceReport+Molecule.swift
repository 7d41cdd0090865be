/// The molecular fields of the JSON summary (outputs.md, "Molecules"): `atoms`, `masses`,
/// `units.arcLength`, `units.frequency`, `saddle.frequencies`, and per branch
/// `end.frequencies`, `end.index`, `end.asymptotic` and `end.barrier` (E_saddle − E_end,
/// the barrier from that side). An asymptotic end (fragments separating) is no stationary
/// point: its `index` and `frequencies` are those of the Hessian where |∇V| fell below the
/// tolerance, whose negative curvatures are the gradient's own, and `asymptotic: true`
/// says so (the fields stay, so that every end has the same members).
extension TraceReport {
  /// `json` with the molecular fields of `vibrations` added.
  public func json(with vibrations: PathVibrations) -> JSONValue {
    guard case .object(var members) = json else { return json }
    let molecule = vibrations.molecule
    func update(_ key: String, _ change: (inout [JSONValue.Member]) -> Void) {
      guard let index = members.firstIndex(where: { $0.key == key }),
        case .object(var inner) = members[index].value
      else { return }
      change(&inner)
      members[index].value = .object(inner)
    }
    update("units") { units in
      units.append(.init("arcLength", .string("amu^1/2*\(potential.units.lengthName)")))
      units.append(.init("frequency", .string(vibrations.frequencyUnit)))
    }
    update("saddle") { saddle in
      saddle.append(.init("frequencies", .numbers(vibrations.frequencies(vibrations.saddle))))
      saddle.append(.init("rigidBodyModes", .number(Double(vibrations.saddle.rigidBodyModeCount))))
    }
    if let index = members.firstIndex(where: { $0.key == "branches" }) {
      members[index].value = .array(
        path.branches.map { branch in
          guard case .object(var fields) = branchJSONValue(branch) else { return .null }
          if let end = fields.firstIndex(where: { $0.key == "end" }),
            case .object(var inner) = fields[end].value
          {
            let analysis = vibrations.end(branch.direction)
            inner.append(.init("frequencies", .numbers(vibrations.frequencies(analysis))))
            inner.append(.init("index", .number(Double(analysis.index))))
            inner.append(.init("asymptotic", .bool(branch.termination == .asymptotic)))
            inner.append(.init("barrier", .number(path.saddle.energy - branch.end.energy)))
            fields[end].value = .object(inner)
          }
          return .object(fields)
        })
    }
    let position = (members.firstIndex { $0.key == "potential" } ?? -1) + 1
    members.insert(
      contentsOf: [
        .init("atoms", .array(molecule.symbols.map(JSONValue.string))),
        .init(
          "masses",
          .object(molecule.massesBySymbol.map { .init($0.symbol, .number($0.mass)) })),
      ], at: position)
    return .object(members)
  }

  /// One branch's JSON as `json` writes it.
  private func branchJSONValue(_ branch: Branch) -> JSONValue {
    guard case .array(let branches) = json["branches"] ?? .null,
      let index = path.branches.firstIndex(where: { $0.direction == branch.direction })
    else { return .null }
    return branches[index]
  }
}
