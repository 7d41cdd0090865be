/// A point to mark and label on a map, by kind.
public struct PlotMarker: Sendable, Equatable {
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// A filled circle.
    case minimum
    /// A diamond.
    case saddle
    /// A square: an end that is not a minimum, a start, anything else.
    case other
  }

  public var coordinates: Vector
  public var label: String
  public var kind: Kind

  public init(coordinates: Vector, label: String, kind: Kind) {
    self.coordinates = coordinates
    self.label = label
    self.kind = kind
  }

  /// A listed stationary point of a potential file: a minimum or a saddle as such, any
  /// other kind of point as `other`.
  public init(_ point: Potential.KnownPoint) {
    let kind: Kind =
      point.kind == .minimum ? .minimum : point.kind == .saddle ? .saddle : .other
    self.init(coordinates: point.coordinates, label: point.label, kind: kind)
  }
}
