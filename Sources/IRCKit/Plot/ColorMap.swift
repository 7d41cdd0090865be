/// A colour scale from a fraction in [0, 1] to an sRGB colour.
///
/// References:
/// - S. van der Walt and N. Smith, "viridis", matplotlib's default colour map (2015),
///   released under CC0: perceptually uniform (equal steps in the fraction are equal steps
///   in CAM02-UCS lightness and hue), monotone in lightness, so it reads in greyscale and
///   for the common forms of colour blindness. The anchors below are every eighth entry
///   of its 256-entry table, plus the last; linear interpolation between them stays
///   within one 8-bit step of the full table.
struct ColorMap: Sendable {
  /// Colours as 0xRRGGBB.
  private let anchors: [UInt32]
  /// Where each anchor sits in [0, 1]: its index in the full table over the table's last
  /// index (0, 8, …, 248, 255 of 255 for viridis).
  private let positions: [Double]

  static let viridis = ColorMap(
    anchors: [
      0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989,
      0x3b528b, 0x375b8d, 0x33638d, 0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e,
      0x21918c, 0x1f988b, 0x1fa088, 0x22a785, 0x28ae80, 0x32b67a, 0x3fbc73, 0x4ec36b,
      0x5ec962, 0x70cf57, 0x84d44b, 0x98d83e, 0xaddc30, 0xc2df23, 0xd8e219, 0xece51b,
      0xfde725,
    ],
    tableIndices: Array(stride(from: 0, through: 248, by: 8)) + [255], tableSize: 256)

  private init(anchors: [UInt32], tableIndices: [Int], tableSize: Int) {
    self.anchors = anchors
    self.positions = tableIndices.map { Double($0) / Double(tableSize - 1) }
  }

  /// The colour at `fraction`, clamped to [0, 1] (NaN reads as 0).
  func color(at fraction: Double) -> RGBColor {
    let t = fraction.isNaN ? 0 : min(1, max(0, fraction))
    var upper = 1
    while upper < positions.count - 1 && positions[upper] < t { upper += 1 }
    let lower = upper - 1
    let span = positions[upper] - positions[lower]
    let weight = span > 0 ? (t - positions[lower]) / span : 0
    return RGBColor(anchors[lower]).mixed(with: RGBColor(anchors[upper]), weight)
  }
}
