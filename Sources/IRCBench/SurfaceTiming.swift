import Dispatch
import IRCKit

/// Times the evaluations every algorithm makes, energy with gradient and Hessian, of two
/// surfaces over the same seeded points: how much a formula costs beside a built-in kind.
///
/// References:
/// - G. L. Steele, D. Lea and C. H. Flood, "Fast splittable pseudorandom number
///   generators", OOPSLA 2014: SplitMix64, which seeds the points.
///
/// Each repeat evaluates every point once per surface and quantity, the two surfaces
/// interleaved so that a change of clock speed or load affects both alike; a time is the
/// median over the repeats of the mean per call, in nanoseconds, through `any Surface` as
/// the `Evaluator` calls it. The two surfaces are also compared value by value, so a fast
/// but wrong candidate shows.
public struct SurfaceTiming: Sendable {
  /// Nanoseconds per call.
  public struct Times: Sendable, Equatable {
    public var energyAndGradient: Double
    public var hessian: Double
  }

  /// Two surfaces timed over the same points.
  public struct Comparison: Sendable {
    public var baselineName: String
    public var candidateName: String
    public var baseline: Times
    public var candidate: Times
    public var points: Int
    public var repeats: Int
    public var seed: UInt64
    /// The largest |difference| over the points of the energies, of any gradient
    /// component and of any Hessian entry, relative to the largest magnitude of each.
    public var relativeDifference: (energy: Double, gradient: Double, hessian: Double)
    /// The sum of one number of every timed result: returned so that no optimiser can
    /// drop the calls it times.
    public var checksum: Double

    /// Candidate time over baseline time.
    public var energyAndGradientRatio: Double {
      candidate.energyAndGradient / baseline.energyAndGradient
    }
    public var hessianRatio: Double { candidate.hessian / baseline.hessian }
  }

  /// How many points each repeat evaluates.
  public var points: Int
  /// How many times; the median is reported.
  public var repeats: Int
  public var seed: UInt64

  /// 2000 points and 21 repeats: about 40 000 calls per quantity and surface, a fraction of
  /// a second in a release build, with a median steady to a few per cent.
  public init(points: Int = 2000, repeats: Int = 21, seed: UInt64 = 0x5355_5246) {
    self.points = max(1, points)
    self.repeats = max(1, repeats)
    self.seed = seed
  }

  /// `count` points uniform in `box`, from `seed`.
  public static func points(in box: Potential.Box, count: Int, seed: UInt64) -> [Vector] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in box.randomPoint(using: &generator) }
  }

  /// Times `candidate` against `baseline` over points in `region` (both of its dimension).
  public func compare(
    baseline: any Surface, named baselineName: String, candidate: any Surface,
    named candidateName: String, over region: Potential.Box
  ) -> Comparison {
    let sample = Self.points(in: region, count: points, seed: seed)
    var gradientTimes: [[Double]] = [[], []]
    var hessianTimes: [[Double]] = [[], []]
    var checksum = 0.0
    let surfaces = [baseline, candidate]
    for _ in 0..<repeats {
      for (index, surface) in surfaces.enumerated() {
        let start = DispatchTime.now().uptimeNanoseconds
        for point in sample {
          // The throwing requirement, which the `Evaluator` calls; a model surface never
          // throws, so a failure would be a NaN in the checksum.
          let (energy, gradient) =
            (try? surface.evaluateEnergyAndGradient(at: point)) ?? (.nan, [.nan])
          checksum += energy + gradient[0]
        }
        gradientTimes[index].append(Self.perCall(since: start, count: sample.count))
      }
      for (index, surface) in surfaces.enumerated() {
        let start = DispatchTime.now().uptimeNanoseconds
        for point in sample {
          checksum += (try? surface.evaluateHessian(at: point))?.entries[0] ?? .nan
        }
        hessianTimes[index].append(Self.perCall(since: start, count: sample.count))
      }
    }
    let median = { (times: [Double]) in times.sorted()[times.count / 2] }
    return Comparison(
      baselineName: baselineName, candidateName: candidateName,
      baseline: Times(
        energyAndGradient: median(gradientTimes[0]), hessian: median(hessianTimes[0])),
      candidate: Times(
        energyAndGradient: median(gradientTimes[1]), hessian: median(hessianTimes[1])),
      points: points, repeats: repeats, seed: seed,
      relativeDifference: Self.differences(baseline, candidate, at: sample), checksum: checksum)
  }

  private static func perCall(since start: UInt64, count: Int) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / Double(count)
  }

  private static func differences(
    _ baseline: any Surface, _ candidate: any Surface, at sample: [Vector]
  ) -> (energy: Double, gradient: Double, hessian: Double) {
    var largest = (0.0, 0.0, 0.0)
    var difference = (0.0, 0.0, 0.0)
    for point in sample {
      let (e0, g0) = baseline.energyAndGradient(at: point)
      let (e1, g1) = candidate.energyAndGradient(at: point)
      let h0 = baseline.hessian(at: point).entries
      let h1 = candidate.hessian(at: point).entries
      largest.0 = max(largest.0, abs(e0))
      difference.0 = max(difference.0, abs(e1 - e0))
      largest.1 = max(largest.1, g0.maxMagnitude)
      difference.1 = max(difference.1, (g1 - g0).maxMagnitude)
      for (a, b) in zip(h0, h1) {
        largest.2 = max(largest.2, abs(a))
        difference.2 = max(difference.2, abs(b - a))
      }
    }
    func relative(_ d: Double, _ l: Double) -> Double { l > 0 ? d / l : d }
    return (
      relative(difference.0, largest.0), relative(difference.1, largest.1),
      relative(difference.2, largest.2)
    )
  }
}
