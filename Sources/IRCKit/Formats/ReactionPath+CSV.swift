/// The CSV path log of `shared/reference/outputs.md`.
extension ReactionPath {
  /// Header `s,energy,grad_norm,direction,step,<coordinate names>`, then one row per point
  /// in the order of the XYZ frames; every number round-trips exactly.
  public func csv(coordinateNames: [String]) -> String {
    var text =
      (["s", "energy", "grad_norm", "direction", "step"] + coordinateNames)
      .joined(separator: ",") + "\n"
    for entry in orderedPoints {
      let fields =
        [
          NumberFormat.roundTrip(entry.arcLength), NumberFormat.roundTrip(entry.point.energy),
          NumberFormat.roundTrip(entry.point.gradientNorm), entry.direction.rawValue,
          String(entry.point.step),
        ] + entry.point.coordinates.map(NumberFormat.roundTrip)
      text += fields.joined(separator: ",") + "\n"
    }
    return text
  }
}
