import Foundation

/// Number formats shared by every writer and every error description (the lowest layer,
/// so that any folder may describe a number).
public enum NumberFormat {
  /// The shortest decimal text that reads back to exactly `value` (Swift's own
  /// `description`, which is locale-independent and always uses `.`).
  public static func roundTrip(_ value: Double) -> String { "\(value)" }

  /// `%.<digits>g` for human-readable tables, e.g. `-40.66484351`. `String(format:)`
  /// without a locale does not localise, so the decimal point is always `.`.
  public static func significant(_ value: Double, _ digits: Int, keepZeros: Bool = false) -> String
  {
    String(format: keepZeros ? "%#.\(digits)g" : "%.\(digits)g", value)
  }

  /// `%.<places>f`, unlocalised.
  public static func fixed(_ value: Double, _ places: Int) -> String {
    String(format: "%.\(places)f", value)
  }

  /// `%.<digits>e`, unlocalised.
  public static func scientific(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)e", value)
  }
}
