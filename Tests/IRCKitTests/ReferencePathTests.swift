import Foundation
import Testing

@testable import IRCKit

/// The reference path's distance, which every accuracy figure of the bench rests on.
struct ReferencePathTests {
  /// The pruned nearest-sample search finds exactly the sample a full scan finds. The
  /// curve is a hairpin (out along a line, round a half circle of radius 0.05, back) so
  /// that most points have two or three local minima of distance along it, and the
  /// search must not jump past the true one; a third of the points lie within 1e-6…1e-2
  /// of a sample, the rest anywhere around the curve.
  @Test func nearestSampleSearchIsExactOnAHairpin() {
    let spacing = 0.002
    let radius = 0.05
    let straight = 1.0
    let turn = Double.pi * radius
    let length = 2 * straight + turn
    var branch: [ReferencePath.Sample] = []
    for index in 0...Int(length / spacing) {
      let s = Double(index) * spacing
      let point: Vector
      if s <= straight {
        point = Vector([s, radius])
      } else if s <= straight + turn {
        let angle = (s - straight) / radius
        point = Vector([straight + radius * sin(angle), radius * cos(angle)])
      } else {
        point = Vector([straight - (s - straight - turn), -radius])
      }
      branch.append(.init(arcLength: s, coordinates: point, tangent: nil))
    }
    var random = SeededGenerator(seed: 20_261_129)
    for trial in 0..<1500 {
      let point: Vector
      if trial % 3 == 0 {
        let anchor = branch[Int.random(in: 0..<branch.count, using: &random)].coordinates
        let size = pow(10, Double.random(in: -6 ... -2, using: &random))
        point = Vector(anchor.components.map { $0 + size * .random(in: -1...1, using: &random) })
      } else {
        point = Vector([
          Double.random(in: -0.3...1.3, using: &random),
          Double.random(in: -0.3...0.3, using: &random),
        ])
      }
      let scanned = branch.map { $0.coordinates.distance(to: point) }.min()!
      let (index, found) = ReferencePath.nearestSample(to: point, in: branch)
      #expect(found == scanned, "trial \(trial) at \(point)")
      #expect(branch[index].coordinates.distance(to: point) == found)
    }
  }
}
