import Foundation

/// The climbing-image nudged elastic band: a double-ended search for the minimum-energy
/// path between two points and the saddles on it.
///
/// References:
/// - G. Henkelman, B. P. Uberuaga and H. Jónsson, J. Chem. Phys. 113, 9901 (2000): the
///   climbing image, whose force is −∇V with its component along the tangent inverted
///   (eq. (5)), free of springs.
/// - G. Henkelman and H. Jónsson, J. Chem. Phys. 113, 9978 (2000), eqs. (8)–(11): the
///   improved tangent (towards the higher neighbour; energy-weighted at extrema) and the
///   spring force k(|Rᵢ₊₁ − Rᵢ| − |Rᵢ − Rᵢ₋₁|)τ along it only, eq. (12).
/// - D. Sheppard, R. Terrell and G. Henkelman, J. Chem. Phys. 128, 134106 (2008): a global
///   L-BFGS on all images with a step limit converges NEB far faster than the damped
///   dynamics ASE defaults to.
///
/// Each iteration's image gradients are independent, and run at once on a surface that
/// computes elsewhere (`Evaluator.energiesAndGradients`). The relaxed band is then read: each interior local energy maximum is refined to its
/// saddle by P-RFO (the climbing image, already on one, in a step or two), and each
/// interior local minimum is minimised to the intermediate minimum it lies in.
public struct NudgedElasticBand: Sendable {
  /// Interior images a band may have: its cost per iteration and its L-BFGS memory grow
  /// with the count, and beyond a few dozen images a band only resolves the path more
  /// finely, which the exact IRC traced through its saddles does anyway.
  public static let imageLimits = 1...200
  public struct Options: Sendable, Equatable {
    /// Interior images.
    public var images: Int
    /// The band is relaxed when every image's force is at most this.
    public var forceTolerance: Double
    /// The spring constant, in energy per length².
    public var springConstant: Double
    /// The longest move of any image in one step.
    public var maximumStep: Double
    /// Band iterations before giving up.
    public var maxIterations: Int

    public init(
      images: Int, forceTolerance: Double, springConstant: Double, maximumStep: Double,
      maxIterations: Int = 2000
    ) throws(OptionError) {
      guard NudgedElasticBand.imageLimits.contains(images) else {
        throw OptionError(
          option: "images", value: Double(images),
          expected: "from \(NudgedElasticBand.imageLimits.lowerBound) to "
            + "\(NudgedElasticBand.imageLimits.upperBound)")
      }
      guard maxIterations >= 1 else {
        throw OptionError(
          option: "maxIterations", value: Double(maxIterations), expected: "at least 1")
      }
      for (name, value) in [
        ("forceTolerance", forceTolerance), ("springConstant", springConstant),
        ("maximumStep", maximumStep),
      ] {
        guard value > 0, value.isFinite else {
          throw OptionError(option: name, value: value, expected: "a positive number")
        }
      }
      self.images = images
      self.forceTolerance = forceTolerance
      self.springConstant = springConstant
      self.maximumStep = maximumStep
      self.maxIterations = maxIterations
    }
  }

  /// One image of the band.
  public struct Image: Sendable, Equatable {
    public var coordinates: Vector
    public var energy: Double
    public var gradient: Vector
    /// The force that drove it (0 for the fixed ends).
    public var force: Vector
  }

  /// The relaxed band and what was read from it.
  public struct Result: Sendable {
    /// Both ends and the interior images, in order.
    public var images: [Image]
    /// The index of the climbing image.
    public var climbingImage: Int
    /// Band iterations.
    public var iterations: Int
    public var converged: Bool
    /// The saddles refined from the band's energy maxima, in band order.
    public var saddles: [SaddleSearchResult]
    /// The intermediate minima minimised from the band's interior energy minima.
    public var minima: [SaddleSearchResult]
    /// The engine failure that stopped the reading of the relaxed band (no further saddle
    /// or minimum was searched), or nil.
    public var stopped: EvaluationError?
    /// Every evaluation: band, refinements, minimisations.
    public var counts: EvaluationCounts
  }

  public var options: Options
  /// Refines each energy maximum of the band.
  public var refiner: SaddleRefiner
  /// Minimises each interior energy minimum.
  public var minimizer: Minimizer

  public init(options: Options, refiner: SaddleRefiner, minimizer: Minimizer) {
    self.options = options
    self.refiner = refiner
    self.minimizer = minimizer
  }

  /// Relaxes a band from `start` to `end` (held fixed) and reads its saddles and minima.
  /// The interior images start on the straight line between the ends, or at `guess` (one
  /// point per interior image, e.g. `DistanceInterpolation`'s) when it is given.
  public func run(
    from start: Vector, to end: Vector, through guess: [Vector]? = nil,
    on evaluator: inout Evaluator
  ) throws(SaddleSearchError) -> Result {
    try StationaryPoint.checkDimension(of: start, on: evaluator)
    try StationaryPoint.checkDimension(of: end, on: evaluator)
    let before = evaluator.counts
    let n = options.images
    var positions = (0...(n + 1)).map { i in
      start + (Double(i) / Double(n + 1)) * (end - start)
    }
    if let guess {
      precondition(guess.count == n, "one guessed point per interior image")
      for point in guess { try StationaryPoint.checkDimension(of: point, on: evaluator) }
      positions.replaceSubrange(1...n, with: guess)
    }
    var energies = [Double](repeating: 0, count: n + 2)
    var gradients = [Vector](repeating: .zero(start.count), count: n + 2)
    try Self.evaluate(0...(n + 1), positions, &energies, &gradients, on: &evaluator)
    let frame = InternalFrame(evaluator.surface)
    var memory = LBFGSMemory(capacity: 10)
    var previous: (positions: [Vector], forces: [Vector])?
    var iteration = 0
    var converged = false
    var climbing = 1
    while true {
      climbing = (1...n).max { energies[$0] < energies[$1] } ?? 1
      let forces = bandForces(positions, energies, gradients, climbing: climbing, frame: frame)
      let largest = forces.map(\.norm).max() ?? 0
      if largest <= options.forceTolerance {
        converged = true
        break
      }
      if iteration >= options.maxIterations { break }
      iteration += 1
      let force = Vector(forces[1...n].flatMap(\.components))
      let flat = Vector(positions[1...n].flatMap(\.components))
      if let previous {
        let oldForce = Vector(previous.forces[1...n].flatMap(\.components))
        let oldFlat = Vector(previous.positions[1...n].flatMap(\.components))
        memory.remember(step: flat - oldFlat, gradientChange: oldForce - force)
      }
      var step = memory.apply(
        to: force, fallback: options.maximumStep / max(force.maxMagnitude, 1e-300))
      if step.dot(force) <= 0 {
        memory.reset()
        step = (options.maximumStep / max(force.maxMagnitude, 1e-300)) * force
      }
      // No image moves further than the step limit.
      let d = start.count
      var longest = 0.0
      for i in 0..<n {
        longest = max(longest, Vector(Array(step.components[(i * d)..<((i + 1) * d)])).norm)
      }
      if longest > options.maximumStep { step = (options.maximumStep / longest) * step }
      previous = (positions, forces)
      for i in 1...n {
        positions[i] = positions[i] + Vector(Array(step.components[((i - 1) * d)..<(i * d)]))
      }
      try Self.evaluate(1...n, positions, &energies, &gradients, on: &evaluator)
    }
    let forces = bandForces(positions, energies, gradients, climbing: climbing, frame: frame)
    let images = (0...(n + 1)).map { i in
      Image(
        coordinates: positions[i], energy: energies[i], gradient: gradients[i], force: forces[i])
    }
    // Read the band: maxima to saddles, interior minima to minima, each once. A search that
    // ends elsewhere is skipped; an engine that fails stops the reading (it would fail the
    // next search too), keeping what was found.
    var saddles: [SaddleSearchResult] = []
    var minima: [SaddleSearchResult] = []
    var stopped: EvaluationError?
    let separation = 1e-6 * max(start.distance(to: end), 1e-300)
    for i in 1...n where stopped == nil {
      if energies[i] > energies[i - 1] && energies[i] > energies[i + 1] {
        let outcome = Self.outcome { () throws(SaddleSearchError) in
          try refiner.refine(from: positions[i], on: &evaluator)
        }
        guard case .success(let found) = outcome else {
          stopped = outcome.engineFailure
          continue
        }
        if !saddles.contains(where: {
          $0.saddle.coordinates.distance(to: found.saddle.coordinates) < separation
        }) {
          saddles.append(found)
        }
      } else if energies[i] < energies[i - 1] && energies[i] < energies[i + 1] {
        let outcome = Self.outcome { () throws(SaddleSearchError) in
          try minimizer.minimize(from: positions[i], on: &evaluator)
        }
        guard case .success(let found) = outcome else {
          stopped = outcome.engineFailure
          continue
        }
        let isEnd = [start, end].contains { $0.distance(to: found.saddle.coordinates) < separation }
        if !isEnd
          && !minima.contains(where: {
            $0.saddle.coordinates.distance(to: found.saddle.coordinates) < separation
          })
        {
          minima.append(found)
        }
      }
    }
    return Result(
      images: images, climbingImage: climbing, iterations: iteration, converged: converged,
      saddles: saddles, minima: minima, stopped: stopped, counts: evaluator.counts - before)
  }

  /// The energies and gradients of the images at `indices`, which are independent: all at
  /// once on a surface that computes elsewhere (an engine, `--jobs`), else in turn.
  static func evaluate(
    _ indices: ClosedRange<Int>, _ positions: [Vector], _ energies: inout [Double],
    _ gradients: inout [Vector], on evaluator: inout Evaluator
  ) throws(SaddleSearchError) {
    do {
      let results = try evaluator.energiesAndGradients(at: indices.map { positions[$0] })
      for (i, result) in zip(indices, results) {
        (energies[i], gradients[i]) = result
      }
    } catch {
      throw .evaluation(error)
    }
  }

  /// A search's result or error, for reading the band past a search that failed.
  static func outcome(
    _ search: () throws(SaddleSearchError) -> SaddleSearchResult
  ) -> Swift.Result<SaddleSearchResult, SaddleSearchError> {
    do { return .success(try search()) } catch { return .failure(error) }
  }

  /// The NEB force on every image (zero at the fixed ends). On a molecule the tangent is
  /// taken in the image's internal subspace (its rigid-body modes projected out), so that
  /// neither the spring nor the climbing image's inverted component turns or shifts the
  /// molecule as a whole; the gradient has no rigid component already.
  func bandForces(
    _ positions: [Vector], _ energies: [Double], _ gradients: [Vector], climbing: Int,
    frame: InternalFrame? = nil
  ) -> [Vector] {
    let n = positions.count - 2
    var forces = [Vector](repeating: .zero(positions[0].count), count: n + 2)
    for i in 1...n {
      let forward = positions[i + 1] - positions[i]
      let backward = positions[i] - positions[i - 1]
      let up = energies[i + 1] - energies[i]
      let down = energies[i - 1] - energies[i]
      var tangent: Vector
      if up > 0 && down < 0 {
        tangent = forward
      } else if up < 0 && down > 0 {
        tangent = backward
      } else {
        let large = max(abs(up), abs(down))
        let small = min(abs(up), abs(down))
        tangent =
          energies[i + 1] > energies[i - 1]
          ? large * forward + small * backward : small * forward + large * backward
      }
      if tangent.norm == 0 { tangent = forward + backward }
      let modes = frame?.modes(at: positions[i]) ?? []
      tangent = frame?.internalDirection(tangent, modes: modes) ?? tangent.normalized
      let g = gradients[i]
      let along = g.dot(tangent)
      if i == climbing {
        forces[i] = (-1 * g).adding(2 * along, times: tangent)
      } else {
        let spring = options.springConstant * (forward.norm - backward.norm)
        forces[i] = (-1 * g).adding(along + spring, times: tangent)
      }
    }
    return forces
  }
}

extension NudgedElasticBand {
  /// A band scaled to a surface and its ends: `images` interior images, converged when every
  /// force is at most 10⁻³·G, springs of G·(N + 1)/|B − A| (so a spacing off by one image's
  /// share meets a force of order G), moves of at most 5 % of the region's shortest side;
  /// saddles refined and minima minimised to 10⁻¹⁰·G.
  public static func scaled(
    to scale: SurfaceScale, from start: Vector, to end: Vector, images: Int
  ) throws(OptionError) -> NudgedElasticBand {
    let length = max(start.distance(to: end), 1e-300)
    let options = try Options(
      images: images, forceTolerance: 1e-3 * scale.gradient,
      springConstant: scale.gradient * Double(images + 1) / length,
      maximumStep: scale.searchStepLimit)
    return NudgedElasticBand(
      options: options, refiner: SaddleRefiner(options: try .scaled(to: scale)),
      minimizer: try .scaled(to: scale))
  }
}

extension Swift.Result<SaddleSearchResult, SaddleSearchError> {
  /// The engine failure a search ended on, if that is how it ended.
  var engineFailure: EvaluationError? {
    guard case .failure(.evaluation(let error)) = self, case .engine = error else { return nil }
    return error
  }
}
