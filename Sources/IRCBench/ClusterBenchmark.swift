import Foundation
import IRCKit

/// The cost of a molecular IRC against cluster size: Lennard-Jones clusters of 7 to a few
/// hundred atoms, a saddle found for each, then one whole IRC (both branches) timed.
///
/// References:
/// - D. J. Wales and J. P. K. Doye, J. Phys. Chem. A 101, 5111 (1997): LJ clusters.
/// - J. Baker, J. Comput. Chem. 7, 385 (1986): the P-RFO climb that finds each saddle.
///
/// Clusters without a shipped saddle start from the n fcc lattice sites nearest an atom
/// (nearest-neighbour distance 2^(1/6)σ, the pair minimum), and P-RFO climbs the softest
/// mode from there: a first-order saddle of that cluster, found by the tool itself.
public enum ClusterBenchmark {
  /// One cluster's measurement.
  public struct Record: Sendable, Equatable {
    public var atoms: Int
    public var saddleEnergy: Double
    /// Wall time of the saddle search (zero for a shipped saddle).
    public var searchSeconds: Double
    /// Wall time of the whole IRC, both branches.
    public var ircSeconds: Double
    /// Accepted steps, both branches.
    public var steps: Int
    public var counts: EvaluationCounts
    public var terminations: [Termination]
    /// Wall time of one Hessian and its eigen-decomposition at the saddle.
    public var hessianSeconds: Double

    public var secondsPerStep: Double { ircSeconds / Double(max(1, steps)) }
  }

  /// A cluster of `atoms` Lennard-Jones atoms, ε = σ = 1, unit masses (reduced units).
  public static func potential(atoms: Int) -> Potential {
    Potential(
      name: "lj\(atoms)", coordinateNames: Molecule.coordinateNames(atomCount: atoms),
      model: .cluster(PairCluster(pair: .lennardJones(epsilon: 1, sigma: 1), atomCount: atoms)),
      molecule: try! Molecule(
        symbols: Array(repeating: "Ar", count: atoms), overrides: ["Ar": 1]))
  }

  /// The `atoms` sites of an fcc lattice nearest to one of its sites (ties in lattice
  /// order), nearest neighbours 2^(1/6) apart, slightly distorted by a fixed pattern so
  /// that no symmetry makes modes degenerate.
  public static func fccStart(atoms: Int) -> Vector {
    let a = pow(2, 1.0 / 6) * 2.squareRoot()
    var sites: [[Double]] = []
    let range = -4...4
    for i in range {
      for j in range {
        for k in range where (i + j + k) % 2 == 0 {
          sites.append([Double(i) * a / 2, Double(j) * a / 2, Double(k) * a / 2])
        }
      }
    }
    sites.sort {
      ($0[0] * $0[0] + $0[1] * $0[1] + $0[2] * $0[2])
        < ($1[0] * $1[0] + $1[1] * $1[1] + $1[2] * $1[2])
    }
    var coordinates: [Double] = []
    for (index, site) in sites.prefix(atoms).enumerated() {
      for axis in 0..<3 {
        coordinates.append(site[axis] + 0.01 * sin(Double(3 * index + axis + 1)))
      }
    }
    return Vector(coordinates)
  }

  /// A first-order saddle of the cluster from `start` (Cartesian), climbed by P-RFO.
  public static func saddle(on surface: MassWeightedSurface, from start: Vector)
    throws(SaddleSearchError) -> StationaryPoint
  {
    let q = surface.massWeighted(start)
    var evaluator = Evaluator(surface)
    let options = try! SaddleRefiner.Options(
      gradientTolerance: 1e-8, trustRadius: 0.1, maxIterations: 300)
    return try SaddleRefiner(options: options).refine(from: q, on: &evaluator).saddle
  }

  /// Times one whole IRC from `saddle` with `method` at the settings derived from the
  /// cluster's `yardsticks` (`Potential.yardsticks`, of the mass-weighted view).
  public static func measure(
    on surface: any Surface, yardsticks: SurfaceYardsticks, saddle: StationaryPoint,
    method: PathMethod, searchSeconds: Double
  ) throws -> Record {
    let clock = ContinuousClock()
    let hessianStart = clock.now
    _ = surface.hessian(at: saddle.coordinates).eigensystem
    let hessianSeconds = seconds(clock.now - hessianStart)
    let settings = try TraceSettings(
      saddle: saddle, yardsticks: yardsticks, overrides: .init(method: method))
    let tracer = try settings.tracer()
    let start = clock.now
    let path = try tracer.trace(from: saddle, on: surface)
    let elapsed = seconds(clock.now - start)
    return Record(
      atoms: saddle.coordinates.count / 3, saddleEnergy: saddle.energy,
      searchSeconds: searchSeconds,
      ircSeconds: elapsed, steps: path.forward.steps + path.backward.steps, counts: path.counts,
      terminations: path.branches.map(\.termination), hessianSeconds: hessianSeconds)
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }

  /// The growth exponent p of time ∝ Nᵖ: the least-squares slope of log time on log N.
  public static func growthExponent(_ sizes: [Int], _ times: [Double]) -> Double {
    let x = sizes.map { log(Double($0)) }
    let y = times.map { log($0) }
    let mx = x.reduce(0, +) / Double(x.count)
    let my = y.reduce(0, +) / Double(y.count)
    var num = 0.0
    var den = 0.0
    for (a, b) in zip(x, y) {
      num += (a - mx) * (b - my)
      den += (a - mx) * (a - mx)
    }
    return den > 0 ? num / den : .nan
  }
}
