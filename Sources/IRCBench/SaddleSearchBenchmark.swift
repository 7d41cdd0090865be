import Foundation
import IRCKit

/// Measures single-ended saddle searches: cost from starts near known saddles, and where
/// searches from a grid of starts across a surface end.
public enum SaddleSearchBenchmark {
  /// The searches from starts near one saddle.
  public struct NearStarts: Sendable, Equatable {
    public var method: SaddleSearchMethod
    public var saddle: String
    public var starts: Int
    public var converged: Int
    /// Iterations and gradient evaluations of each converged search.
    public var iterations: [Int]
    public var gradients: [Int]
    public var hessians: [Int]
  }

  /// Starts at `radii` from the saddle in `directions` evenly spaced directions (2-D), each
  /// searched to |∇V| ≤ `relativeTolerance`·G; a search counts as converged when it
  /// returns the same saddle (within 10⁻⁶ of the plot range's diagonal).
  /// `scale` is the surface's (`Potential.scale`, derived once).
  public static func nearStarts(
    _ method: SaddleSearchMethod, on surface: any Surface, scale: SurfaceScale,
    saddle: Potential.KnownPoint, radii: [Double], directions: Int, relativeTolerance: Double
  ) throws -> NearStarts {
    let search = try method.search(scale: scale, relativeTolerance: relativeTolerance)
    var result = NearStarts(
      method: method, saddle: saddle.label, starts: 0, converged: 0, iterations: [],
      gradients: [], hessians: [])
    for radius in radii {
      for k in 0..<directions {
        let angle = 2 * Double.pi * Double(k) / Double(directions)
        let start = saddle.coordinates + radius * Vector([cos(angle), sin(angle)])
        result.starts += 1
        var evaluator = Evaluator(surface)
        guard let found = try? search.search(from: start, on: &evaluator),
          found.saddle.coordinates.distance(to: saddle.coordinates) <= 1e-6 * scale.regionDiagonal
        else { continue }
        result.converged += 1
        result.iterations.append(found.iterations)
        result.gradients.append(found.counts.gradients)
        result.hessians.append(found.counts.hessians)
      }
    }
    return result
  }

  /// Where searches from an n × n grid of starts over the plot range end.
  public struct GridOutcome: Sendable, Equatable {
    public var method: SaddleSearchMethod
    public var starts: Int
    /// Searches that returned a first-order saddle, confirmed independently.
    public var saddles: Int
    /// Searches that returned something not a first-order saddle (must be zero).
    public var falseSaddles: Int
    /// Searches that ended in a typed error (not converged, converged elsewhere, left the
    /// finite region).
    public var errors: Int
    /// How often each listed saddle was found (unlisted ones under their coordinates).
    public var found: [String: Int]
    public var gradients: Int
    public var hessians: Int
  }

  /// Over `scale.region` (the plot range of a file that has one); a saddle found is named
  /// after the nearest of `listed` within 10⁻⁶ of the region's diagonal, else its
  /// coordinates.
  public static func grid(
    _ method: SaddleSearchMethod, on surface: any Surface, scale: SurfaceScale,
    listed: [Potential.KnownPoint], count: Int, relativeTolerance: Double
  ) throws -> GridOutcome {
    let search = try method.search(scale: scale, relativeTolerance: relativeTolerance)
    let starts = scale.region.cellCenters(count)
    // Both cores: each start is independent, with its own evaluator.
    let outcomes = ParallelMap.map(starts) {
      start -> (label: String?, falseSaddle: Bool, counts: EvaluationCounts) in
      var evaluator = Evaluator(surface)
      let outcome: (String?, Bool)
      if let found = try? search.search(from: start, on: &evaluator) {
        // Confirm independently of the search: gradient and Hessian index at the point.
        let check = try? StationaryPoint(at: found.saddle.coordinates, on: &evaluator)
        let genuine =
          check.map {
            $0.index == 1 && $0.gradientNorm <= relativeTolerance * scale.gradient * 1.000001
          }
          ?? false
        let label =
          listed.map { ($0.label, $0.coordinates.distance(to: found.saddle.coordinates)) }
          .filter { $0.1 <= 1e-6 * scale.regionDiagonal }.min { $0.1 < $1.1 }?.0
          ?? found.saddle.coordinates.description
        outcome = genuine ? (label, false) : (nil, true)
      } else {
        outcome = (nil, false)
      }
      return (outcome.0, outcome.1, evaluator.counts)
    }
    var result = GridOutcome(
      method: method, starts: starts.count, saddles: 0, falseSaddles: 0, errors: 0,
      found: [:], gradients: 0, hessians: 0)
    for outcome in outcomes {
      if let label = outcome.label {
        result.saddles += 1
        result.found[label, default: 0] += 1
      } else if outcome.falseSaddle {
        result.falseSaddles += 1
      } else {
        result.errors += 1
      }
      result.gradients += outcome.counts.gradients
      result.hessians += outcome.counts.hessians
    }
    return result
  }
}
