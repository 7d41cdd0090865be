/// The largest things a potential file may hold. Each bounds the time and memory of loading
/// (and of what loading compiles: a formula's derivatives, its Hessian's entries) for any
/// input, and each sits far above anything a real surface needs, so that only a broken or
/// hostile file meets one. README.md ("Limits") lists them.
public enum PotentialFileLimit: Sendable, Equatable, CaseIterable, CustomStringConvertible {
  /// The file's size in bytes.
  case fileSize
  /// The characters (Unicode scalars) of an `expression`'s `energy` formula.
  case formulaLength
  /// The number of `coordinates`: the dimension.
  case coordinates
  /// The number of `gaussian-sum` terms.
  case terms
  /// The number of `stationaryPoints`.
  case stationaryPoints

  /// The largest value allowed.
  public var limit: Int {
    switch self {
    // A few MB: ten times a file listing a dozen points of a 6000-coordinate surface
    // (about 100 kB each), parsed in well under a second.
    case .fileSize: return 10_000_000
    // A page of formula is a few hundred characters; a sum of squares over 10,000
    // coordinates is about 90,000.
    case .formulaLength: return 100_000
    // 3N Cartesian coordinates of a molecule of 3,333 atoms; a 2,000-atom molecule
    // (6,000 coordinates) fits.
    case .coordinates: return 10_000
    // Müller–Brown has 4; a fitted surface a few hundred.
    case .terms: return 10_000
    // A map of a rugged surface lists dozens.
    case .stationaryPoints: return 10_000
    }
  }

  /// What is counted, in the plural.
  public var unit: String {
    switch self {
    case .fileSize: return "bytes"
    case .formulaLength: return "characters"
    case .coordinates: return "coordinates"
    case .terms: return "terms"
    case .stationaryPoints: return "points"
    }
  }

  public var description: String { "at most \(limit) \(unit)" }
}
