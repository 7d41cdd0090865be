/// The multi-frame extended-XYZ trajectory of `shared/reference/outputs.md`.
extension ReactionPath {
  /// The ordered path as XYZ text: a count line, a `key=value` comment line
  /// (`Properties=species:S:1:pos:R:3 energy=… grad_norm=… s=… step=… direction=… pbc="F F F"`)
  /// and the atoms of `potential.atoms(at:)`, frame after frame, ASCII, LF, one final newline.
  public func xyz(potential: Potential) -> String {
    var text = ""
    for entry in orderedPoints {
      let atoms = potential.atoms(at: entry.point.coordinates)
      text += "\(atoms.count)\n"
      text += XYZ.comment([
        ("energy", NumberFormat.roundTrip(entry.point.energy)),
        ("grad_norm", NumberFormat.roundTrip(entry.point.gradientNorm)),
        ("s", NumberFormat.roundTrip(entry.arcLength)),
        ("step", String(entry.point.step)),
        ("direction", entry.direction.rawValue),
      ])
      text += "\n"
      for atom in atoms { text += XYZ.atomLine(atom) + "\n" }
    }
    return text
  }
}

/// Pieces of the XYZ format shared by every trajectory writer.
public enum XYZ {
  /// A comment line of `key=value` pairs after the `Properties` declaration, ending with
  /// `pbc="F F F"`. Values must be single tokens of ASCII without spaces or quotes.
  public static func comment(_ pairs: [(String, String)]) -> String {
    (["Properties=species:S:1:pos:R:3"] + pairs.map { "\($0.0)=\($0.1)" } + ["pbc=\"F F F\""])
      .joined(separator: " ")
  }

  public static func atomLine(_ atom: Atom) -> String {
    [
      atom.symbol, NumberFormat.roundTrip(atom.position.x), NumberFormat.roundTrip(atom.position.y),
      NumberFormat.roundTrip(atom.position.z),
    ]
    .joined(separator: " ")
  }
}
