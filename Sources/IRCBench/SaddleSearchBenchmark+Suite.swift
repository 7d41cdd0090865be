import Foundation
import IRCKit

/// The whole saddle-search benchmark (`irc bench --saddles`): for each two-dimensional
/// surface with a plot range, prfo and dimer from rings of starts around each listed
/// saddle, and from a grid over the plot range.
extension SaddleSearchBenchmark {
  /// A surface to measure: its name, the surface, its yardsticks (whose region is the plot
  /// range) and its listed saddles.
  public struct Subject: Sendable {
    public var name: String
    public var surface: any Surface
    public var scale: SurfaceScale
    public var saddles: [Potential.KnownPoint]

    public init(
      name: String, surface: any Surface, scale: SurfaceScale, saddles: [Potential.KnownPoint]
    ) {
      self.name = name
      self.surface = surface
      self.scale = scale
      self.saddles = saddles
    }
  }

  /// The searches of one method from the starts around one saddle.
  public struct NearRow: Sendable, Equatable {
    public var potential: String
    public var relativeTolerance: Double
    public var radii: [Double]
    public var result: NearStarts
  }

  /// The searches of one method from the grid over one surface, and their wall time.
  public struct GridRow: Sendable, Equatable {
    public var potential: String
    public var result: GridOutcome
    public var seconds: Double

    /// The fraction of starts that found a first-order saddle.
    public var fraction: Double { Double(result.saddles) / Double(result.starts) }
  }

  public struct Report: Sendable, Equatable {
    public var near: [NearRow] = []
    public var grids: [GridRow] = []
  }

  /// Start distances around a saddle as fractions of the plot range's shortest side:
  /// 0.03–0.15 on Müller–Brown, whose shortest side is 2.75, carried to any surface.
  public static let radiusFractions = [0.03, 0.06, 0.09, 0.12, 0.15].map { $0 / 2.75 }
  /// Directions of the starts around a saddle.
  public static let directions = 16
  /// Starts per axis of the grid.
  public static let gridCount = 50
  /// The grid's searches converge to 10⁻¹⁰·G: the refinement every command uses.
  public static let gridTolerance = 1e-10

  /// The tolerance of the searches near a saddle: each method's target (prfo to 10⁻⁸·G,
  /// the dimer, which uses gradients only, to 10⁻⁶·G).
  public static func nearTolerance(_ method: SaddleSearchMethod) -> Double {
    method == .prfo ? 1e-8 : 1e-6
  }

  /// Measures both methods on every subject.
  public static func run(_ subjects: [Subject]) throws -> Report {
    var report = Report()
    for subject in subjects {
      let radii = radiusFractions.map { $0 * subject.scale.shortestSide }
      for method in SaddleSearchMethod.allCases {
        let tolerance = nearTolerance(method)
        for saddle in subject.saddles {
          let result = try nearStarts(
            method, on: subject.surface, scale: subject.scale, saddle: saddle, radii: radii,
            directions: directions, relativeTolerance: tolerance)
          report.near.append(
            NearRow(
              potential: subject.name, relativeTolerance: tolerance, radii: radii, result: result))
        }
        let start = Date()
        let grid = try grid(
          method, on: subject.surface, scale: subject.scale, listed: subject.saddles,
          count: gridCount, relativeTolerance: gridTolerance)
        report.grids.append(
          GridRow(potential: subject.name, result: grid, seconds: Date().timeIntervalSince(start)))
      }
    }
    return report
  }
}

extension SaddleSearchBenchmark.Report {
  /// The JSON document of `irc bench --saddles --json`.
  public var json: JSONValue {
    .object([
      .init("nearSaddle", .array(near.map(\.json))), .init("grid", .array(grids.map(\.json))),
    ])
  }
}

extension SaddleSearchBenchmark.NearRow {
  public var json: JSONValue {
    .object([
      .init("potential", .string(potential)), .init("saddle", .string(result.saddle)),
      .init("method", .string(result.method.rawValue)),
      .init("relativeTolerance", .number(relativeTolerance)),
      .init("radii", .numbers(radii)), .init("starts", .number(Double(result.starts))),
      .init("converged", .number(Double(result.converged))),
      .init("iterations", .numbers(result.iterations.map(Double.init))),
      .init("gradientEvaluations", .numbers(result.gradients.map(Double.init))),
      .init("hessianEvaluations", .numbers(result.hessians.map(Double.init))),
    ])
  }
}

extension SaddleSearchBenchmark.GridRow {
  /// How often each saddle was found, by name.
  public var found: [(name: String, count: Int)] {
    result.found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  public var json: JSONValue {
    .object([
      .init("potential", .string(potential)), .init("method", .string(result.method.rawValue)),
      .init("starts", .number(Double(result.starts))),
      .init("saddles", .number(Double(result.saddles))),
      .init("fraction", .number(fraction)),
      .init("falseSaddles", .number(Double(result.falseSaddles))),
      .init("errors", .number(Double(result.errors))),
      .init("found", .object(found.map { .init($0.name, .number(Double($0.count))) })),
      .init("gradientEvaluations", .number(Double(result.gradients))),
      .init("hessianEvaluations", .number(Double(result.hessians))),
    ])
  }
}
