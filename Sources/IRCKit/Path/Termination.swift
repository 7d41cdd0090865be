/// Why a branch stopped: a typed answer, never a flag someone else reads.
public enum Termination: Sendable, Equatable, CustomStringConvertible {
  /// |∇V| fell below the tolerance (after first rising above it) at a minimum: the
  /// Hessian is positive definite and the Newton step to the minimum is within one step.
  case converged
  /// |∇V| fell below the tolerance in a valley with no finite minimum: the lowest Hessian
  /// eigenvalue is ≈ 0 relative to the largest (as along a dissociation channel).
  case asymptotic
  /// The step limit was reached first.
  case maxSteps
  /// No step, however short, lowered the energy (the gradient and energy disagree).
  case energyRise
  /// The branch could not continue, for the stated reason.
  case failed(String)
  /// The engine computing the surface failed; the path up to the last good point is kept.
  case engineFailed(EngineFailure)

  /// The name outputs use: `converged`, `asymptotic`, `max-steps`, `energy-rise`, `failed`,
  /// `engine-failed`.
  public var name: String {
    switch self {
    case .converged: return "converged"
    case .asymptotic: return "asymptotic"
    case .maxSteps: return "max-steps"
    case .energyRise: return "energy-rise"
    case .failed: return "failed"
    case .engineFailed: return "engine-failed"
    }
  }

  /// The reason of a failure, if this is one.
  public var reason: String? {
    switch self {
    case .failed(let reason): return reason
    case .engineFailed(let failure): return failure.description
    default: return nil
    }
  }

  /// A branch that ends `converged` or `asymptotic` reached its goal.
  public var reachedGoal: Bool { self == .converged || self == .asymptotic }

  public var description: String {
    if let reason { return "\(name): \(reason)" }
    return name
  }
}
