/// The frames of a trajectory file, whatever produced them: the one writer of the
/// multi-frame extended-XYZ trajectory and the CSV log of `shared/reference/outputs.md`,
/// serving traced paths (`ReactionPath.trajectory`) and elastic bands alike.
public struct Trajectory: Sendable, Equatable {
  /// What a frame belongs to: a branch of a traced path (or its saddle), or a band.
  public enum Segment: Sendable, Equatable {
    case path(PathDirection)
    case band

    /// The `direction` value of the XYZ comment line and the CSV column.
    public var name: String {
      switch self {
      case .path(let direction): direction.rawValue
      case .band: "band"
      }
    }
  }

  /// One frame: arc length, coordinates, energy, |∇V|, its step number and segment.
  public struct Frame: Sendable, Equatable {
    public var arcLength: Double
    public var coordinates: Vector
    public var energy: Double
    public var gradientNorm: Double
    public var step: Int
    public var segment: Segment

    public init(
      arcLength: Double, coordinates: Vector, energy: Double, gradientNorm: Double, step: Int,
      segment: Segment
    ) {
      self.arcLength = arcLength
      self.coordinates = coordinates
      self.energy = energy
      self.gradientNorm = gradientNorm
      self.step = step
      self.segment = segment
    }
  }

  public var frames: [Frame]
  /// False marks every XYZ comment line `converged=F`: a band that yielded no verified
  /// saddle (the CSV contract has no place for it).
  public var converged: Bool

  public init(frames: [Frame], converged: Bool = true) {
    self.frames = frames
    self.converged = converged
  }

  /// The frames as XYZ text: a count line, a `key=value` comment line
  /// (`Properties=species:S:1:pos:R:3 energy=… grad_norm=… s=… step=… direction=… pbc="F F F"`)
  /// and the atoms of `potential.atoms(at:)`, frame after frame, ASCII, LF, one final newline.
  public func xyz(potential: Potential) -> String {
    var text = ""
    for frame in frames {
      let atoms = potential.atoms(at: frame.coordinates)
      text += "\(atoms.count)\n"
      text += XYZ.comment(
        [
          ("energy", NumberFormat.roundTrip(frame.energy)),
          ("grad_norm", NumberFormat.roundTrip(frame.gradientNorm)),
          ("s", NumberFormat.roundTrip(frame.arcLength)),
          ("step", String(frame.step)),
          ("direction", frame.segment.name),
        ] + (converged ? [] : [("converged", "F")]))
      text += "\n"
      for atom in atoms { text += XYZ.atomLine(atom) + "\n" }
    }
    return text
  }

  /// Header `s,energy,grad_norm,direction,step,<coordinate names>`, then one row per frame
  /// in the order of the XYZ frames, the coordinates as `shown` maps them (Cartesian for a
  /// mass-weighted band); every number round-trips exactly.
  public func csv(coordinateNames: [String], shown: (Vector) -> Vector = { $0 }) -> String {
    var text =
      (["s", "energy", "grad_norm", "direction", "step"] + coordinateNames)
      .joined(separator: ",") + "\n"
    for frame in frames {
      let fields =
        [
          NumberFormat.roundTrip(frame.arcLength), NumberFormat.roundTrip(frame.energy),
          NumberFormat.roundTrip(frame.gradientNorm), frame.segment.name, String(frame.step),
        ] + shown(frame.coordinates).map(NumberFormat.roundTrip)
      text += fields.joined(separator: ",") + "\n"
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
