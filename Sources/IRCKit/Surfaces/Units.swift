/// The units of a surface's energies and lengths, or none: a model surface in arbitrary
/// units has no unit to print, so its labels read "E", not "E (arbitrary)".
public struct Units: Sendable, Equatable {
  /// The energy unit's symbol (`eV`), nil when arbitrary.
  public var energy: String?
  /// The length unit's symbol (`Å`), nil when arbitrary.
  public var length: String?

  /// The word files and outputs use for no unit.
  public static let arbitraryName = "arbitrary"

  public static let arbitrary = Units()

  public init(energy: String? = nil, length: String? = nil) {
    self.energy = energy
    self.length = length
  }

  /// Units as files write them: a symbol, or `arbitrary` (or nothing) for none.
  public init(energyName: String?, lengthName: String?) {
    func parse(_ name: String?) -> String? { name == Self.arbitraryName ? nil : name }
    self.init(energy: parse(energyName), length: parse(lengthName))
  }

  /// Neither quantity has a unit.
  public var isArbitrary: Bool { energy == nil && length == nil }

  /// The energy unit as outputs write it (`arbitrary` when none).
  public var energyName: String { energy ?? Self.arbitraryName }
  /// The length unit as outputs write it (`arbitrary` when none).
  public var lengthName: String { length ?? Self.arbitraryName }

  /// `title (unit)`, or the bare title without an energy unit.
  public func energyLabel(_ title: String) -> String { Self.label(title, energy) }
  /// `title (unit)`, or the bare title without a length unit.
  public func lengthLabel(_ title: String) -> String { Self.label(title, length) }

  static func label(_ title: String, _ unit: String?) -> String {
    unit.map { "\(title) (\($0))" } ?? title
  }
}
