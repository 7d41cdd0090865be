/// libFuzzer entry point for the parsers, compiled together with IRCKit's sources by
/// `run-fuzzer.sh` (not a SwiftPM target). `IRC_FUZZ_TARGET` picks what an input is:
/// - `json`: a JSON text for `JSONValue(parsing:)`;
/// - `potential`: a potential file for `Potential(decoding:file:)`; a surface that loads is
///   evaluated (energy, gradient, Hessian) at the centre of its plot range and at its listed
///   points, as every command would;
/// - `formula`: an `expression` formula of x, y and z with a constant k, compiled and
///   evaluated at a point.
/// An input may be rejected with any typed error; a trap, a sanitizer report or a hang is a
/// finding.
import Foundation

enum FuzzTarget: String {
  case json, potential, formula

  static let current: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["IRC_FUZZ_TARGET"] ?? "potential"
    guard let target = FuzzTarget(rawValue: name) else {
      fatalError("IRC_FUZZ_TARGET must be json, potential or formula, not \(name)")
    }
    return target
  }()
}

/// Evaluates `surface` at `point` the way the algorithms do.
func exercise(_ surface: any Surface, at point: Vector) {
  guard point.count == surface.dimension, surface.dimension <= 64 else { return }
  _ = surface.energy(at: point)
  _ = surface.energyAndGradient(at: point)
  _ = surface.hessian(at: point)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
  let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
  switch FuzzTarget.current {
  case .json:
    _ = try? JSONValue(parsing: text)
  case .potential:
    guard let potential = try? Potential(decoding: text, file: "fuzz.json") else { return 0 }
    let surface = potential.surface
    if let box = potential.plotRange {
      exercise(surface, at: 0.5 * (box.lower + box.upper))
    }
    for point in potential.stationaryPoints { exercise(surface, at: point.coordinates) }
    exercise(surface, at: Vector(repeating: 0.5, count: potential.dimension))
  case .formula:
    guard
      let surface = try? ExpressionSurface(
        formula: text, coordinates: ["x", "y", "z"], constants: ["k": 2])
    else { return 0 }
    exercise(surface, at: Vector([0.5, -1.25, 2]))
  }
  return 0
}
