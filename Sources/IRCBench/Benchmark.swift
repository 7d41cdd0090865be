import Foundation
import IRCKit

/// Measures IRC methods against a reference path: cost in evaluations, accuracy as the
/// largest distance from the reference curve, and time.
public enum Benchmark {
  /// Timed repeats per run: the median of 100 is as steady as this machine's clock allows;
  /// the run time grows in proportion.
  public static let repeatLimits = 1...100
  /// One traced IRC, measured.
  public struct Record: Sendable, Equatable {
    public var potential: String
    public var saddle: String
    public var method: PathMethod
    /// The fixed step, or the first step of an adaptive run.
    public var step: Double
    /// The path tolerance of an adaptive run.
    public var pathTolerance: Double?
    /// The Hessian source of a Hessian-based method.
    public var hessian: HessianSource?
    /// Everything after the saddle: both branches and the departure.
    public var gradientEvaluations: Int
    public var hessianEvaluations: Int
    /// Gradients plus each Hessian at its finite-difference price of 2n gradients.
    public var gradientEquivalents: Int
    /// The largest distance from the reference path of any point the method integrated
    /// (displacement, integrator and quadratic-model steps). The Newton polish onto the
    /// minimum deliberately leaves the path for the minimum; it is judged by
    /// `endpointError`, and including it would put a step-independent floor (from where
    /// the polish starts) under the deviation of every fixed-step method.
    public var maxDeviation: Double
    /// The largest distance of a branch end from the reference's end of that branch.
    public var endpointError: Double
    /// Termination per branch, forward then backward.
    public var terminations: [(direction: PathDirection, termination: Termination)]
    /// Median wall time of one whole two-branch trace.
    public var seconds: Double

    public static func == (lhs: Record, rhs: Record) -> Bool {
      lhs.potential == rhs.potential && lhs.saddle == rhs.saddle && lhs.method == rhs.method
        && lhs.step == rhs.step && lhs.pathTolerance == rhs.pathTolerance
        && lhs.hessian == rhs.hessian && lhs.gradientEvaluations == rhs.gradientEvaluations
        && lhs.hessianEvaluations == rhs.hessianEvaluations
        && lhs.maxDeviation == rhs.maxDeviation && lhs.endpointError == rhs.endpointError
        && lhs.terminations.map(\.termination) == rhs.terminations.map(\.termination)
    }
  }

  /// One configuration to measure.
  public struct Configuration: Sendable {
    public var method: PathMethod
    public var step: Double
    public var pathTolerance: Double?
    public var hessian: HessianSource

    public init(
      method: PathMethod, step: Double, pathTolerance: Double? = nil,
      hessian: HessianSource = .exact
    ) {
      self.method = method
      self.step = step
      self.pathTolerance = pathTolerance
      self.hessian = hessian
    }
  }

  /// Measures `configuration` on one saddle against `reference`.
  /// `scale` is the surface's (`Potential.scale`, derived once); `name` labels the record.
  public static func measure(
    _ configuration: Configuration, on surface: any Surface, scale: SurfaceScale, name: String,
    saddleLabel: String, saddle: StationaryPoint, reference: ReferencePath,
    gradientTolerance: Double, maxSteps: Int, repeats: Int
  ) throws -> Record {
    let tracer = try configuration.method.tracer(
      stepLength: configuration.step, gradientTolerance: gradientTolerance, maxSteps: maxSteps,
      hessian: configuration.hessian, pathTolerance: configuration.pathTolerance,
      lengthScale: scale.gradient / abs(saddle.eigensystem.lowest))
    var path = try tracer.trace(from: saddle, on: surface)
    var times: [Double] = []
    for _ in 0..<max(1, repeats) {
      let start = DispatchTime.now().uptimeNanoseconds
      path = try tracer.trace(from: saddle, on: surface)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    times.sort()
    let counts = path.counts
    var deviation = 0.0
    var endpoint = 0.0
    for branch in path.branches {
      deviation = max(
        deviation, reference.maxDeviation(of: branch, including: { $0.kind != .newton }))
      endpoint = max(endpoint, branch.end.coordinates.distance(to: reference.end(branch.direction)))
    }
    return Record(
      potential: name, saddle: saddleLabel, method: configuration.method,
      step: configuration.step,
      pathTolerance: configuration.method.isAdaptive ? configuration.pathTolerance : nil,
      hessian: configuration.method.usesHessians ? configuration.hessian : nil,
      gradientEvaluations: counts.gradients, hessianEvaluations: counts.hessians,
      gradientEquivalents: counts.gradientEquivalents(dimension: surface.dimension),
      maxDeviation: deviation, endpointError: endpoint,
      terminations: path.branches.map { ($0.direction, $0.termination) },
      seconds: times[times.count / 2])
  }
}

extension Benchmark {
  /// The steps of the fixed-step ladder as multiples of the base step h₀: two halvings
  /// either side of it, so that three orders are measured around the step the file chose.
  public static let stepFactors = [4.0, 2, 1, 0.5, 0.25]

  /// The configurations of the standard ladder for one method: fixed steps h₀·{4, 2, 1,
  /// 1/2, 1/4}, path tolerances 10⁻³…10⁻⁸ for `adaptive` and {10⁻³, 2·10⁻⁴, 10⁻⁴, 10⁻⁵,
  /// 10⁻⁶, 5·10⁻⁷} for `surrogate` (whose Gaussian process cannot resolve much finer), and
  /// both Hessian sources for Hessian-based methods.
  public static func ladder(for method: PathMethod, baseStep: Double) -> [Configuration] {
    let sources: [HessianSource] = method.usesHessians ? [.exact, .updated] : [.exact]
    var configurations: [Configuration] = []
    for source in sources {
      switch method {
      case .adaptive:
        for exponent in 3...8 {
          configurations.append(
            Configuration(method: method, step: baseStep, pathTolerance: pow(10, -Double(exponent)))
          )
        }
      case .surrogate:
        for tolerance in [1e-3, 2e-4, 1e-4, 1e-5, 1e-6, 5e-7] {
          configurations.append(
            Configuration(method: method, step: baseStep, pathTolerance: tolerance))
        }
      default:
        for factor in stepFactors {
          configurations.append(
            Configuration(method: method, step: factor * baseStep, hessian: source))
        }
      }
    }
    return configurations
  }

  /// The error of a fixed-step method's path at arc length `arcLength` on each branch,
  /// for steps h, h/2, h/4, …: the deviation whose slope in log h is the method's order.
  /// Returns one error per step (the larger of the two branches), or nil for a step whose
  /// path has no point at exactly that arc length (step control changed its grid there).
  /// The gradient tolerance is the file's (in `yardsticks`), else 10⁻³: the error is read
  /// at a fixed arc length well before either end, where the tolerance plays no part.
  public static func errorsAtArcLength(
    _ method: PathMethod, steps: [Double], arcLength: Double, saddle: StationaryPoint,
    on surface: any Surface, yardsticks: SurfaceYardsticks, reference: ReferencePath,
    hessian: HessianSource = .exact
  ) throws -> [Double?] {
    try steps.map { step in
      let tracer = try method.tracer(
        stepLength: step, gradientTolerance: yardsticks.gradientTolerance ?? 1e-3,
        maxSteps: 1_000_000, hessian: hessian,
        lengthScale: yardsticks.scale.gradient / abs(saddle.eigensystem.lowest))
      let path = try tracer.trace(from: saddle, on: surface)
      var worst = 0.0
      for branch in path.branches {
        guard
          let point = branch.points.first(where: {
            abs($0.arcLength - arcLength) <= 1e-9 * arcLength && $0.kind != .newton
          })
        else { return nil }
        let exact = reference.point(atArcLength: arcLength, branch.direction)
        worst = max(worst, point.coordinates.distance(to: exact))
      }
      return worst
    }
  }

  /// The order log₂(e(h)/e(h/2)) between consecutive errors of a halving ladder.
  public static func orders(_ errors: [Double?]) -> [Double?] {
    zip(errors, errors.dropFirst()).map { coarse, fine in
      guard let coarse, let fine, coarse > 0, fine > 0 else { return nil }
      return log2(coarse / fine)
    }
  }
}

extension BenchmarkFigure {
  /// The figure of measured runs.
  public init(records: [Benchmark.Record]) {
    self.init(
      runs: records.map {
        Run(
          potential: $0.potential, saddle: $0.saddle, method: $0.method, hessian: $0.hessian,
          setting: $0.pathTolerance ?? $0.step,
          gradientEquivalents: $0.gradientEquivalents, maxDeviation: $0.maxDeviation)
      })
  }
}
