import Foundation
import IRCKit

/// The whole IRC benchmark: for every listed saddle of every surface, a reference path,
/// every method over its ladder against it, and the measured order of each fixed-step
/// method. The command only chooses the surfaces and prints the `Report`.
extension Benchmark {
  /// A surface to measure: its name, the surface and its yardsticks, its listed saddles.
  public struct Subject: Sendable {
    public var name: String
    public var surface: any Surface
    public var yardsticks: SurfaceYardsticks
    public var saddles: [Potential.KnownPoint]

    public init(
      name: String, surface: any Surface, yardsticks: SurfaceYardsticks,
      saddles: [Potential.KnownPoint]
    ) {
      self.name = name
      self.surface = surface
      self.yardsticks = yardsticks
      self.saddles = saddles
    }

    /// The surface of a potential file, with its yardsticks `scale` (derived once).
    public init(_ potential: Potential, scale: SurfaceScale) {
      self.init(
        name: potential.name, surface: potential.surface,
        yardsticks: potential.yardsticks(scale), saddles: potential.points(of: .saddle))
    }
  }

  /// The reference path of one saddle: the arc length of each branch.
  public struct Reference: Sendable, Equatable {
    public var potential: String
    public var saddle: String
    /// Forward, then backward.
    public var arcLengths: [BranchLength]

    public struct BranchLength: Sendable, Equatable {
      public var direction: PathDirection
      public var arcLength: Double
    }
  }

  /// The measured order of one fixed-step method (and Hessian source) on one saddle.
  public struct OrderRow: Sendable, Equatable {
    public var potential: String
    public var saddle: String
    public var method: PathMethod
    /// The Hessian source of a Hessian-based method, else nil.
    public var hessian: HessianSource?
    /// The fixed arc length the errors are read at.
    public var arcLength: Double
    public var steps: [Double]
    /// The error at `arcLength` for each step (nil where the path has no point there).
    public var errors: [Double?]
    /// log₂ of the ratio of consecutive errors (`Benchmark.orders`).
    public var orders: [Double?]
  }

  /// Everything the benchmark measured.
  public struct Report: Sendable {
    public var references: [Reference] = []
    public var records: [Record] = []
    public var orders: [OrderRow] = []
  }

  /// A saddle's settings that its surface cannot use, with the subject's index.
  public struct SettingsFailure: Error, Equatable {
    public var subject: Int
    public var error: SettingError
  }

  /// The reference paths use `adaptive` at a path tolerance of 10⁻¹¹ and stop at
  /// 10⁻⁹·G: every method's deviation down to 10⁻⁹ is resolved.
  public static let referenceToleranceFraction = 1e-9
  /// No branch of the ladder stops at a step limit: every method runs to its minimum.
  public static let ladderMaxSteps = 1_000_000
  /// The order is read at an arc length of about 0.4 of the shorter branch, a multiple of
  /// the longest step: far from both ends, where every step of the ladder lands exactly.
  public static let orderArcLengthFraction = 0.4

  /// Measures `methods` on every listed saddle of every subject. `progress` hears of each
  /// configuration before it runs (subject, saddle label, configuration).
  public static func run(
    _ subjects: [Subject], methods: [PathMethod], repeats: Int,
    progress: (String, String, Configuration) -> Void = { _, _, _ in }
  ) throws -> Report {
    var report = Report()
    for (index, subject) in subjects.enumerated() {
      for listed in subject.saddles {
        var evaluator = Evaluator(subject.surface)
        let saddle = try SaddleRefiner(options: .scaled(to: subject.yardsticks.scale))
          .refine(from: listed.coordinates, on: &evaluator).saddle
        let settings: TraceSettings
        do {
          settings = try TraceSettings(saddle: saddle, yardsticks: subject.yardsticks)
        } catch {
          throw SettingsFailure(subject: index, error: error)
        }
        try measure(
          subject, listed.label, saddle, settings: settings, methods: methods, repeats: repeats,
          into: &report, progress: progress)
      }
    }
    return report
  }

  /// One saddle: its reference path, each method's ladder, each fixed-step method's order.
  static func measure(
    _ subject: Subject, _ label: String, _ saddle: StationaryPoint, settings: TraceSettings,
    methods: [PathMethod], repeats: Int, into report: inout Report,
    progress: (String, String, Configuration) -> Void
  ) throws {
    let reference = try ReferencePath(
      saddle: saddle, on: subject.surface, lengthScale: settings.lengthScale,
      gradientTolerance: referenceToleranceFraction * settings.scale.gradient)
    report.references.append(
      Reference(
        potential: subject.name, saddle: label,
        arcLengths: reference.path.branches.map {
          .init(direction: $0.direction, arcLength: $0.arcLength)
        }))
    let h0 = settings.stepLength
    for method in methods {
      for configuration in ladder(for: method, baseStep: h0) {
        progress(subject.name, label, configuration)
        report.records.append(
          try measure(
            configuration, on: subject.surface, scale: settings.scale, name: subject.name,
            saddleLabel: label, saddle: saddle, reference: reference,
            gradientTolerance: settings.gradientTolerance, maxSteps: ladderMaxSteps,
            repeats: repeats))
      }
      guard !method.isAdaptive else { continue }
      let shortest = reference.path.branches.map(\.arcLength).min() ?? 0
      let arcLength = 4 * h0 * max(1, (orderArcLengthFraction * shortest / (4 * h0)).rounded(.down))
      let steps = stepFactors.map { $0 * h0 }
      for source in method.usesHessians ? [HessianSource.exact, .updated] : [.exact] {
        let errors = try errorsAtArcLength(
          method, steps: steps, arcLength: arcLength, saddle: saddle, on: subject.surface,
          yardsticks: subject.yardsticks, reference: reference, hessian: source)
        report.orders.append(
          OrderRow(
            potential: subject.name, saddle: label, method: method,
            hessian: method.usesHessians ? source : nil, arcLength: arcLength, steps: steps,
            errors: errors, orders: orders(errors)))
      }
    }
  }
}

extension Benchmark.Report {
  /// The JSON document of `irc bench --json`: references, runs and orders.
  public var json: JSONValue {
    .object([
      .init(
        "references",
        .array(
          references.map { reference in
            .object(
              [
                .init("potential", .string(reference.potential)),
                .init("saddle", .string(reference.saddle)),
              ]
                + reference.arcLengths.map {
                  .init("\($0.direction.rawValue)ArcLength", .number($0.arcLength))
                })
          })),
      .init("runs", .array(records.map(\.json))),
      .init("orders", .array(orders.map(\.json))),
    ])
  }
}

extension Benchmark.OrderRow {
  public var json: JSONValue {
    .object([
      .init("potential", .string(potential)), .init("saddle", .string(saddle)),
      .init("method", .string(method.rawValue)),
      .init("hessian", hessian.map { .string($0.rawValue) } ?? .null),
      .init("arcLength", .number(arcLength)), .init("steps", .numbers(steps)),
      .init("errors", .array(errors.map { $0.map(JSONValue.number) ?? .null })),
      .init("orders", .array(orders.map { $0.map(JSONValue.number) ?? .null })),
    ])
  }
}

extension Benchmark.Record {
  /// One run as `irc bench --json` writes it: `pathTol` and `firstStep` for an adaptive
  /// run, else `step`.
  public var json: JSONValue {
    var members: [JSONValue.Member] = [
      .init("potential", .string(potential)), .init("saddle", .string(saddle)),
      .init("method", .string(method.rawValue)),
    ]
    if let pathTolerance {
      members.append(.init("pathTol", .number(pathTolerance)))
      members.append(.init("firstStep", .number(step)))
    } else {
      members.append(.init("step", .number(step)))
    }
    members += [
      .init("hessian", hessian.map { .string($0.rawValue) } ?? .null),
      .init("gradientEvaluations", .number(Double(gradientEvaluations))),
      .init("hessianEvaluations", .number(Double(hessianEvaluations))),
      .init("gradientEquivalents", .number(Double(gradientEquivalents))),
      .init("maxDeviation", .number(maxDeviation)),
      .init("endpointError", .number(endpointError)),
      .init(
        "termination",
        .object(terminations.map { .init($0.direction.rawValue, .string($0.termination.name)) })),
      .init("seconds", .number(seconds)),
    ]
    return .object(members)
  }
}
