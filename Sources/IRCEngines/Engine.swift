import IRCKit

/// A program that computes the energy and gradient of a molecule: the one narrow door
/// through which every external electronic-structure code is reached.
///
/// An engine answers one geometry at a time and knows nothing of paths, caches or
/// checkpoints (`EngineSurface` and `EvaluationLog` own those), in the way ASE's
/// `Calculator` and geomeTRIC's `Engine` hide whether the numbers come from a library,
/// a subprocess or a socket. It may be called from several threads at once (the
/// finite-difference Hessian runs its gradients in parallel); an engine that cannot
/// serve concurrent calls serialises them itself.
public protocol Engine: Sendable {
  /// The kind name used in messages and failures: `xtb`, `external`, `ipi`.
  var name: String { get }
  /// The energy (hartree) and gradient (hartree/Å) at `positions` (Å, x₁ y₁ z₁ x₂ …) of
  /// atoms `symbols`, or a failure naming the cause and the geometry.
  func evaluate(symbols: [String], positions: Vector) throws(EngineFailure) -> EngineResult
  /// How many calls are worth running at once when the run allows `jobs` (`--jobs`):
  /// beyond a finite-difference Hessian's, this is what decides whether the two branches
  /// of a path are traced at once. By default 1: an engine computing in this process
  /// would only share the same cores.
  func concurrentCalls(jobs: Int) -> Int
}

extension Engine {
  public func concurrentCalls(jobs: Int) -> Int { 1 }
}

/// What one engine call returns, in the tool's units.
public struct EngineResult: Sendable, Equatable {
  /// Hartree.
  public var energy: Double
  /// Hartree/Å, x₁ y₁ z₁ x₂ …
  public var gradient: Vector

  public init(energy: Double, gradient: Vector) {
    self.energy = energy
    self.gradient = gradient
  }
}

/// Conversions between the atomic units engines speak and the tool's Å.
public enum AtomicUnits {
  /// CODATA 2018 Bohr radius in Å (the value ORCA, xtb and ASE use).
  public static let bohr = 0.529177210903
}

extension EngineFailure {
  /// A failure of `engine` at this geometry, with the stderr tail when there is one.
  init(
    _ engine: String, _ cause: Cause, symbols: [String], positions: Vector,
    stderr: [String] = []
  ) {
    self.init(
      engine: engine, cause: cause, stderrTail: stderr, symbols: symbols, positions: positions)
  }
}
