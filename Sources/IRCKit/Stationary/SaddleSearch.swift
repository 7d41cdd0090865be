/// A single-ended search for a first-order saddle from a start.
public protocol SaddleSearch: Sendable {
  /// The name the command line uses (`prfo`, `dimer`).
  var name: String { get }
  /// Searches from `start`; returns a verified first-order saddle (|∇V| below the
  /// tolerance, exactly one negative Hessian eigenvalue) or throws why not.
  func search(from start: Vector, on evaluator: inout Evaluator) throws(SaddleSearchError)
    -> SaddleSearchResult
}

/// A verified saddle and what it cost.
public struct SaddleSearchResult: Sendable, Equatable {
  public var saddle: StationaryPoint
  /// Steps taken (P-RFO iterations, dimer translations).
  public var iterations: Int
  /// Every evaluation of the search, the verification included.
  public var counts: EvaluationCounts

  public init(saddle: StationaryPoint, iterations: Int, counts: EvaluationCounts) {
    self.saddle = saddle
    self.iterations = iterations
    self.counts = counts
  }
}

/// The single-ended saddle searches by command-line name.
public enum SaddleSearchMethod: String, Sendable, CaseIterable, CustomStringConvertible {
  /// Partitioned rational-function optimisation on the Hessian, with a trust region.
  case prfo
  /// The dimer method: gradients only.
  case dimer

  public var description: String { rawValue }

  /// The search scaled to a surface: |∇V| ≤ `relativeTolerance`·G, steps at most 5 % of
  /// the region's shortest side; `mode` is the Hessian mode P-RFO follows.
  public func search(
    scale: SurfaceScale, relativeTolerance: Double = 1e-10, mode: Int = 0
  ) throws(OptionError) -> any SaddleSearch {
    let shortest = scale.region.sides.components.min() ?? 1
    switch self {
    case .prfo:
      return SaddleRefiner(
        options: try SaddleRefiner.Options(
          gradientTolerance: relativeTolerance * scale.gradient, trustRadius: 0.05 * shortest,
          followedMode: mode))
    case .dimer:
      return try DimerSearch(
        gradientTolerance: relativeTolerance * scale.gradient, maximumStep: 0.05 * shortest,
        separation: 1e-5 * shortest)
    }
  }
}

extension StationaryPoint {
  /// The start of a search, analysed: its dimension checked against the surface's, then
  /// the energy, gradient and Hessian there.
  static func searchStart(
    _ start: Vector, on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> StationaryPoint {
    try checkDimension(of: start, on: evaluator)
    do {
      return try StationaryPoint(at: start, on: &evaluator)
    } catch {
      throw .evaluation(error)
    }
  }

  /// A start of the wrong length is refused before anything is evaluated.
  static func checkDimension(
    of start: Vector, on evaluator: Evaluator
  ) throws(SaddleSearchError) {
    guard start.count == evaluator.dimension else {
      throw .wrongDimension(expected: evaluator.dimension, found: start.count)
    }
  }
}
