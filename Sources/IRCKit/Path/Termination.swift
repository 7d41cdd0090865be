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
  case failed(TraceFailure)
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

  /// The reason of a failure, if this is one, as outputs write it.
  public var reason: String? {
    switch self {
    case .failed(let failure): return failure.description
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

/// Why a branch could not continue.
public enum TraceFailure: Sendable, Equatable, CustomStringConvertible {
  /// The surface gave a non-finite value on the branch.
  case nonFinite(EvaluationError)
  /// No displacement along the transition vector, however short, lowered the energy.
  case noDescentAlongTransitionVector
  /// |∇V| vanished where the Hessian has negative eigenvalues: a ridge, not a minimum.
  case notAMinimum(hessianIndex: Int)
  /// At the minimum |∇V| is at the rounding level of the surface, above the tolerance.
  case roundingLevel(gradientNorm: Double)

  public var description: String {
    switch self {
    case .nonFinite(let error): return "\(error)"
    case .noDescentAlongTransitionVector:
      return "the energy does not fall along the transition vector"
    case .notAMinimum(let index):
      return "|∇V| vanished at a point of Hessian index \(index), not at a minimum"
    case .roundingLevel(let gradientNorm):
      return "at the minimum |∇V| = \(NumberFormat.significant(gradientNorm, 3)) is at the "
        + "rounding level of this surface; a tolerance below it cannot be reached"
    }
  }
}
