/// The energies at which a map's colour bands change and its contour lines run, and the
/// colour of each band.
///
/// The scale starts at the lowest energy on the map and ends at a clip, `energyMax`:
/// surfaces such as Müller–Brown climb to thousands at the edges of their plot range, and
/// a scale that followed them would spend every colour there and none on the minima,
/// saddles and valleys that a reaction path crosses. Above the clip the map is one light
/// grey. By default the clip sits half the barrier above the highest listed stationary
/// point in view (E_low + 1.5·(E_high − E_low)), so that every listed point and the
/// valleys around it fall inside the colour scale with room to spare; without listed
/// points the median energy of the map stands in for E_high.
struct ContourLevels: Sendable, Equatable {
  /// Bottom of the colour scale: the lowest finite energy on the map.
  var lowest: Double
  /// Top of the colour scale; the last level.
  var clip: Double
  /// Distance between levels (a nice number); the last level is the clip and may be
  /// closer to the one below when the clip was given.
  var step: Double
  /// Ascending, ending at `clip`.
  var levels: [Double]

  /// About this many bands between `lowest` and the clip: enough to read the shape of a
  /// well, few enough that each band's colour is told apart on the colour bar.
  static let targetBands = 16
  /// The colour of the map above the clip: neutral, so that the eye stays on the scale.
  static let clippedColor = "#e6e6e6"

  /// - Parameters:
  ///   - lowest: the lowest energy on the map.
  ///   - highest: the highest energy on the map; a default clip never exceeds it.
  ///   - reference: E_high, the energy the default clip leaves room above.
  ///   - energyMax: the clip given by the user, or nil for the default.
  init(lowest: Double, highest: Double, reference: Double, energyMax: Double?)
    throws(PlotError)
  {
    self.lowest = lowest
    if let energyMax {
      guard energyMax.isFinite, energyMax > lowest else {
        throw PlotError.energyMaxTooLow(energyMax: energyMax, lowest: lowest)
      }
      clip = energyMax
      step = NiceScale.niceNumber((energyMax - lowest) / Double(Self.targetBands), round: true)
    } else {
      var top = lowest + 1.5 * (reference - lowest)
      if !(top > lowest) { top = highest }
      top = min(top, highest)
      if !(top > lowest) { top = lowest + max(1, abs(lowest)) }
      step = NiceScale.niceNumber((top - lowest) / Double(Self.targetBands), round: true)
      clip = (top / step).rounded(.up) * step
      if !(clip > lowest) { clip = lowest + step }
    }
    let (top, spacing) = (clip, step)
    let below = NiceScale.multiples(of: spacing, from: lowest, to: top)
      .filter { $0 > lowest && $0 < top - 0.25 * spacing }
    levels = below + [top]
  }

  /// The colour of the band below `levels[index]` (from the previous level, or from
  /// `lowest` for the first), evenly spread over viridis.
  func bandColor(_ index: Int) -> RGBColor {
    let count = levels.count
    return ColorMap.viridis.color(at: count > 1 ? Double(index) / Double(count - 1) : 0.5)
  }
}
