import Foundation

/// An 8-bit sRGB colour.
struct RGBColor: Sendable, Equatable {
  var red: Double
  var green: Double
  var blue: Double

  init(red: Double, green: Double, blue: Double) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  init(_ hex: UInt32) {
    red = Double((hex >> 16) & 0xff)
    green = Double((hex >> 8) & 0xff)
    blue = Double(hex & 0xff)
  }

  /// `self` moved `weight` of the way to `other`.
  func mixed(with other: RGBColor, _ weight: Double) -> RGBColor {
    RGBColor(
      red: red + weight * (other.red - red), green: green + weight * (other.green - green),
      blue: blue + weight * (other.blue - blue))
  }

  /// `#rrggbb`.
  var hex: String {
    let digits = Array("0123456789abcdef")
    var text = "#"
    for channel in [red, green, blue] {
      let value = Int(min(255, max(0, channel.isFinite ? channel.rounded() : 0)))
      text.append(digits[value / 16])
      text.append(digits[value % 16])
    }
    return text
  }

  /// Relative luminance (sRGB, Rec. 709 weights on linearised channels): decides whether
  /// text on this colour should be dark or light.
  var luminance: Double {
    func linear(_ channel: Double) -> Double {
      let c = channel / 255
      return c <= 0.040_45 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
  }
}
