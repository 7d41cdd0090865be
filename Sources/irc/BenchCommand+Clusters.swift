import Foundation
import IRCBench
import IRCKit

/// `irc bench --clusters`: the molecular IRC's cost against cluster size.
extension BenchCommand {
  static func clusters(_ arguments: ParsedArguments, console: Console, json: Bool) throws
    -> ExitCode
  {
    var sizes = [7, 13, 38, 116]
    if let list = arguments.values["--sizes"] {
      sizes = []
      for part in list.split(separator: ",", omittingEmptySubsequences: false) {
        guard let size = Int(part), size >= 3, size <= 500 else {
          throw UsageError(
            message: "--sizes expects whole numbers from 3 to 500, got '\(part)'", command: spec)
        }
        sizes.append(size)
      }
    }
    let methodName = arguments.values["--methods"]?.split(separator: ",").first.map(String.init)
    let method = PathMethod(rawValue: methodName ?? "euler") ?? .euler
    var records: [ClusterBenchmark.Record] = []
    console.log(
      "Lennard-Jones clusters (ε = σ = m = 1), one IRC each with \(method.rawValue) at the derived "
        + "settings (release build for meaningful times):\n"
        + "  atoms   saddle E   search s     IRC s  steps   ms/step  gradients  Hessians  "
        + "Hessian+eigen ms  ends\n")
    let clock = ContinuousClock()
    for size in sizes {
      let (view, saddle, searchSeconds) = try clusterSaddle(size, clock: clock)
      let yardsticks = view.yardsticks(try view.scale(including: saddle.coordinates))
      let record = try ClusterBenchmark.measure(
        on: view.surface, yardsticks: yardsticks, saddle: saddle, method: method,
        searchSeconds: searchSeconds)
      records.append(record)
      console.log(
        TraceLog.pad(String(size), 7) + TraceLog.pad(NumberFormat.fixed(saddle.energy, 4), 11)
          + TraceLog.pad(NumberFormat.fixed(searchSeconds, 2), 11)
          + TraceLog.pad(NumberFormat.fixed(record.ircSeconds, 3), 10)
          + TraceLog.pad(String(record.steps), 7)
          + TraceLog.pad(NumberFormat.fixed(1000 * record.secondsPerStep, 2), 10)
          + TraceLog.pad(String(record.counts.gradients), 11)
          + TraceLog.pad(String(record.counts.hessians), 10)
          + TraceLog.pad(NumberFormat.fixed(1000 * record.hessianSeconds, 2), 18) + "  "
          + record.terminations.map(\.name).joined(separator: "/") + "\n")
    }
    let exponent = ClusterBenchmark.growthExponent(sizes, records.map(\.ircSeconds))
    let perStep = ClusterBenchmark.growthExponent(sizes, records.map(\.secondsPerStep))
    let hessian = ClusterBenchmark.growthExponent(sizes, records.map(\.hessianSeconds))
    console.log(
      "growth exponent (time ∝ N^p): IRC \(NumberFormat.fixed(exponent, 2)), per step "
        + "\(NumberFormat.fixed(perStep, 2)), one Hessian and its eigen-decomposition "
        + "\(NumberFormat.fixed(hessian, 2))\n")
    if json {
      console.out(
        JSONValue.object([
          .init("method", .string(method.rawValue)),
          .init(
            "clusters",
            .array(
              records.map { record in
                .object([
                  .init("atoms", .number(Double(record.atoms))),
                  .init("saddleEnergy", .number(record.saddleEnergy)),
                  .init("searchSeconds", .number(record.searchSeconds)),
                  .init("ircSeconds", .number(record.ircSeconds)),
                  .init("steps", .number(Double(record.steps))),
                  .init("secondsPerStep", .number(record.secondsPerStep)),
                  .init("gradientEvaluations", .number(Double(record.counts.gradients))),
                  .init("hessianEvaluations", .number(Double(record.counts.hessians))),
                  .init("hessianSeconds", .number(record.hessianSeconds)),
                  .init("terminations", .array(record.terminations.map { .string($0.name) })),
                ])
              })),
          .init("growthExponent", .number(exponent)),
          .init("growthExponentPerStep", .number(perStep)),
        ]).serialized() + "\n")
    }
    return records.allSatisfy { $0.terminations.allSatisfy(\.reachedGoal) }
      ? .success : .goalNotReached
  }

  /// The saddle of a cluster: lj7 and lj13 from their shipped files, others climbed.
  static func clusterSaddle(_ size: Int, clock: ContinuousClock) throws
    -> (Potential, StationaryPoint, Double)
  {
    if let name = [7: "lj7", 13: "lj13"][size],
      let view = try? PotentialLocator.load(name).potential.massWeighted(),
      let listed = view.points(of: .saddle).first
    {
      var evaluator = Evaluator(view.surface)
      return (view, try StationaryPoint(at: listed.coordinates, on: &evaluator), 0)
    }
    let view = ClusterBenchmark.potential(atoms: size).massWeighted()!
    let start = clock.now
    do {
      let saddle = try ClusterBenchmark.saddle(
        on: view.massWeighting!, from: ClusterBenchmark.fccStart(atoms: size))
      let elapsed = clock.now - start
      return (
        view, saddle,
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      )
    } catch {
      throw CommandError(
        message: "no saddle of the \(size)-atom cluster from its fcc start: \(error)",
        code: .goalNotReached)
    }
  }
}
