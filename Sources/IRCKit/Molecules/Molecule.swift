/// The atoms of a molecular surface: their symbols and the masses the IRC weights them with.
///
/// A molecular surface is Cartesian: its 3N coordinates are x₁, y₁, z₁, x₂, … in Å (or the
/// file's length unit). The masses decide the metric of the path (q = M^½x), nothing else:
/// the energy does not depend on them.
public struct Molecule: Sendable, Equatable {
  /// Element symbols as given (`D` and `T` for the hydrogen isotopes).
  public let symbols: [String]
  /// The mass of each atom, in amu.
  public let masses: [Double]
  /// Masses by symbol that override `AtomicMasses.mostAbundant` (the file's `masses`,
  /// then the command line's), kept so that relabelled atoms get them too.
  public let overrides: [String: Double]

  /// Atoms with the default masses, overridden per symbol by `overrides`.
  public init(symbols: [String], overrides: [String: Double] = [:]) throws(MoleculeError) {
    var masses: [Double] = []
    for (symbol, mass) in overrides where !(mass > 0 && mass.isFinite) {
      throw .invalidMass(symbol: symbol, value: mass)
    }
    for symbol in symbols {
      guard let mass = overrides[symbol] ?? AtomicMasses.mostAbundant[symbol] else {
        throw .unknownMass(symbol: symbol)
      }
      masses.append(mass)
    }
    self.symbols = symbols
    self.masses = masses
    self.overrides = overrides
  }

  public var atomCount: Int { symbols.count }
  /// 3N, the number of Cartesian coordinates.
  public var dimension: Int { 3 * symbols.count }

  /// The symbols as elements (an isotope as its element), for trajectory files.
  public var elements: [String] { symbols.map(AtomicMasses.element(of:)) }

  /// The coordinate names x1, y1, z1, x2, … of `atomCount` atoms.
  public static func coordinateNames(atomCount: Int) -> [String] {
    (1...max(1, atomCount)).prefix(atomCount).flatMap { ["x\($0)", "y\($0)", "z\($0)"] }
  }

  /// The same atoms under new symbols (e.g. `D` for an `H` from an XYZ start), with more
  /// mass overrides (the command line's) on top of the present ones.
  public func relabelled(
    _ newSymbols: [String]? = nil, overriding extra: [String: Double] = [:]
  ) throws(MoleculeError) -> Molecule {
    try Molecule(symbols: newSymbols ?? symbols, overrides: overrides.merging(extra) { $1 })
  }

  /// Each distinct symbol with its mass, in order of first appearance: what a run prints
  /// and records as "the masses used".
  public var massesBySymbol: [(symbol: String, mass: Double)] {
    var seen: [(symbol: String, mass: Double)] = []
    for (symbol, mass) in zip(symbols, masses) where !seen.contains(where: { $0.symbol == symbol })
    {
      seen.append((symbol, mass))
    }
    return seen
  }

  /// A symbol from an XYZ file matches a surface's atom if it is the same element
  /// (`D` matches `H`).
  public static func sameElement(_ a: String, _ b: String) -> Bool {
    AtomicMasses.element(of: a) == AtomicMasses.element(of: b)
  }
}

/// Why atoms could not be given masses.
public enum MoleculeError: Error, Equatable, CustomStringConvertible {
  /// No default mass for this symbol and none given.
  case unknownMass(symbol: String)
  /// A given mass is not a finite positive number.
  case invalidMass(symbol: String, value: Double)

  public var description: String {
    switch self {
    case .unknownMass(let symbol):
      return "no default mass for \"\(symbol)\" (the table covers H–Kr, I, D and T); give one "
        + "in the file's masses or with --masses \(symbol)=<amu>"
    case .invalidMass(let symbol, let value):
      return "the mass of \(symbol) must be a finite positive number of amu, found \(value)"
    }
  }
}
