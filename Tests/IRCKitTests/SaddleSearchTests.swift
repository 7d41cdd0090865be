import Foundation
import Testing

@testable import IRCKit

struct SaddleSearchTests {
  static let mullerBrownSaddles = ["S1", "S2"]

  /// The targets near Müller–Brown's saddles, from seeded random starts 0.03–0.15 away:
  /// P-RFO at |∇V| ≤ 1e-8·G within 6 iterations, the dimer at 1e-6·G within 25 gradients.
  @Test(arguments: SaddleSearchMethod.allCases)
  func nearStartsMeetTheTargets(_ method: SaddleSearchMethod) throws {
    let potential = try builtIn("muller-brown")
    let scale = try potential.scale()
    let tolerance = method == .prfo ? 1e-8 : 1e-6
    let search = try method.search(scale: scale, relativeTolerance: tolerance)
    let seed: UInt64 = 2026
    var generator = SeededGenerator(seed: seed)
    for label in Self.mullerBrownSaddles {
      let saddle = try #require(potential.point(labelled: label))
      for sample in 0..<30 {
        let angle = Double.random(in: 0..<(2 * Double.pi), using: &generator)
        let distance = Double.random(in: 0.03...0.15, using: &generator)
        let start = saddle.coordinates + distance * Vector([cos(angle), sin(angle)])
        var evaluator = Evaluator(potential.surface)
        let found = try search.search(from: start, on: &evaluator)
        let context = "\(method) \(label) seed \(seed) sample \(sample) start \(start)"
        #expect(found.saddle.coordinates.distance(to: saddle.coordinates) < 1e-6, "\(context)")
        #expect(found.saddle.gradientNorm <= tolerance * scale.gradient, "\(context)")
        #expect(found.saddle.index == 1)
        #expect(found.counts == evaluator.counts)
        switch method {
        case .prfo: #expect(found.iterations <= 6, "\(context): \(found.iterations) iterations")
        case .dimer:
          #expect(found.counts.gradients <= 25, "\(context): \(found.counts.gradients) gradients")
          // Gradients only: the one Hessian is the verification of the result.
          #expect(found.counts.hessians == 1)
        }
      }
    }
  }

  /// Whatever the start — inside a minimum's basin, on a ridge, far out — a search returns a
  /// first-order saddle, confirmed here independently, or a typed error; never a minimum or
  /// a higher-order saddle, never a hang.
  @Test(arguments: SaddleSearchMethod.allCases)
  func neverAFalseSaddle(_ method: SaddleSearchMethod) throws {
    let potential = try builtIn("muller-brown")
    let scale = try potential.scale()
    let search = try method.search(scale: scale)
    var starts: [Vector] = []
    for label in ["MA", "MB", "MC"] {
      let minimum = try #require(potential.point(labelled: label)).coordinates
      starts += [minimum, minimum + Vector([0.02, -0.01]), minimum + Vector([-0.05, 0.05])]
    }
    // On the ridge between MA's and MC's basins, away from S1; and far out.
    starts += [[-0.45, 0.85], [-0.2, 0.8], [3, 3], [-3, 2.5]]
    for start in starts {
      var evaluator = Evaluator(potential.surface)
      do {
        let found = try search.search(from: start, on: &evaluator)
        var check = Evaluator(potential.surface)
        let point = try StationaryPoint(at: found.saddle.coordinates, on: &check)
        #expect(point.index == 1, "\(method) from \(start) returned index \(point.index)")
        #expect(point.gradientNorm <= 1e-10 * scale.gradient * 1.000001)
      } catch {
        // A typed answer; the counts show the work was bounded.
        #expect(evaluator.counts.gradients <= 1000, "\(method) from \(start): \(evaluator.counts)")
      }
    }
  }

  /// Where a surface is flat the gradient vanishes without a stationary point: a clear
  /// error, not a saddle and not a hang.
  @Test(arguments: SaddleSearchMethod.allCases)
  func flatFarFieldIsAnError(_ method: SaddleSearchMethod) throws {
    // One Gaussian well: flat far from it.
    let surface = GaussianSum(terms: [.init(A: -1, a: -1, b: 0, c: -1, x0: 0, y0: 0)])
    let region = Potential.Box(lower: [-3, -3], upper: [3, 3])
    let scale = try SurfaceScale(region: region, gradient: 0.5, gradientSource: .file)
    let search = try method.search(scale: scale)
    var evaluator = Evaluator(surface)
    // The Gaussian underflows there: |∇V| and the Hessian are exactly zero.
    #expect(throws: SaddleSearchError.flat(at: [40, 35], gradientNorm: 0, eigenvalues: [0, 0])) {
      try search.search(from: [40, 35], on: &evaluator)
    }
    #expect(evaluator.counts.gradients <= 1000)
    #expect {
      var again = Evaluator(surface)
      _ = try search.search(from: [40, 35], on: &again)
    } throws: { error in
      switch error as? SaddleSearchError {
      case .flat, .notConverged: return true
      default: return false
      }
    }
  }

  /// Two quartic double wells, V = (x² − 1)² + 4(y² − 1)², with exact derivatives: from
  /// (±1, ±1) the soft mode is x (Hessian 8) and the stiff one y (32); the saddles are
  /// (0, ±1) along x and (±1, 0) along y.
  struct CrossedWells: Surface {
    var dimension: Int { 2 }
    func energy(at p: Vector) -> Double {
      (p[0] * p[0] - 1) * (p[0] * p[0] - 1) + 4 * (p[1] * p[1] - 1) * (p[1] * p[1] - 1)
    }
    func gradient(at p: Vector) -> Vector {
      [4 * p[0] * (p[0] * p[0] - 1), 16 * p[1] * (p[1] * p[1] - 1)]
    }
    func hessian(at p: Vector) -> Matrix {
      Matrix([[12 * p[0] * p[0] - 4, 0], [0, 4 * (12 * p[1] * p[1] - 4)]])
    }
  }

  /// P-RFO following the non-lowest mode: from inside the basin of (1, 1), mode 0 climbs
  /// x to the saddle (0, 1) and mode 1 climbs y to the other saddle, (1, 0).
  @Test func prfoFollowsANonLowestMode() throws {
    for (mode, expected) in [(0, [0.0, 1.0]), (1, [1.0, 0.0])] {
      let options = try SaddleRefiner.Options(
        gradientTolerance: 1e-10, trustRadius: 0.1, followedMode: mode)
      var evaluator = Evaluator(CrossedWells())
      let saddle = try SaddleRefiner(options: options).refine(
        from: [0.95, 0.95], on: &evaluator
      ).saddle
      #expect(
        isClose(saddle.coordinates, Vector(expected), absolute: 1e-9),
        "mode \(mode): \(saddle.coordinates)")
      #expect(saddle.index == 1)
    }
  }

  /// P-RFO follows another mode on request: from near a minimum, following the stiffer
  /// mode finds a saddle along it or says why not.
  @Test func prfoRejectsAModeThatDoesNotExist() throws {
    let potential = try builtIn("muller-brown")
    var evaluator = Evaluator(potential.surface)
    let search = try SaddleSearchMethod.prfo.search(scale: potential.scale(), mode: 2)
    #expect(throws: SaddleSearchError.noSuchMode(mode: 2, dimension: 2)) {
      try search.search(from: [0, 0], on: &evaluator)
    }
  }

  /// The minimiser lands each basin's starts on its minimum, and refuses to call a saddle
  /// a minimum.
  @Test func minimizerFindsTheMinimaAndRefusesSaddles() throws {
    let potential = try builtIn("muller-brown")
    let minimizer = try Minimizer.scaled(to: try potential.scale())
    for label in ["MA", "MB", "MC"] {
      let minimum = try #require(potential.point(labelled: label)).coordinates
      var evaluator = Evaluator(potential.surface)
      let found = try minimizer.minimize(from: minimum + Vector([0.03, -0.02]), on: &evaluator)
      #expect(found.saddle.coordinates.distance(to: minimum) < 1e-8)
      #expect(found.saddle.index == 0)
    }
    var evaluator = Evaluator(potential.surface)
    let s1 = try #require(potential.point(labelled: "S1")).coordinates
    #expect {
      try minimizer.minimize(from: s1, on: &evaluator)
    } throws: { error in
      guard case .wrongIndex(let index, _, _, .minimum) = error as? SaddleSearchError else {
        return false
      }
      // The message says what was sought: a minimum, not a saddle.
      let message = "\(error)"
      return index == 1 && message.contains("a first-order saddle at")
        && message.hasSuffix("not to a minimum; start inside a minimum's basin")
    }
  }

  /// A failed engine call during a minimisation is the search's failure, not a step to
  /// shorten (a non-finite value is): the failure is thrown as it came.
  @Test func minimizerStopsOnAnEngineFailure() throws {
    let potential = try builtIn("muller-brown")
    let minimizer = try Minimizer.scaled(to: try potential.scale())
    let ma = try #require(potential.point(labelled: "MA")).coordinates
    // The engine fails left of x = MA's + 0.02: the start is 0.05 right of MA, and the
    // search must cross that line to reach it.
    struct FailingLeftOf: Surface {
      var line: Double
      var dimension: Int { 2 }
      var derivativeSource: DerivativeSource { .analytic }
      func energy(at point: Vector) -> Double { referenceMullerBrown.energy(at: point) }
      func hessian(at point: Vector) -> Matrix { referenceMullerBrown.hessian(at: point) }
      func evaluateEnergyAndGradient(
        at point: Vector
      ) throws(EvaluationError) -> (energy: Double, gradient: Vector) {
        guard point[0] >= line else { throw .engine(TracerTests.FailingEngineSurface.failure) }
        return referenceMullerBrown.energyAndGradient(at: point)
      }
    }
    var evaluator = Evaluator(FailingLeftOf(line: ma[0] + 0.02))
    #expect(throws: SaddleSearchError.evaluation(.engine(TracerTests.FailingEngineSurface.failure)))
    {
      try minimizer.minimize(from: ma + Vector([0.05, 0.0]), on: &evaluator)
    }
  }

  /// Every search's options are checked where they are made: a value out of range is an
  /// `OptionError` naming it, never a search that silently does nothing.
  @Test func searchOptionsOutOfRangeAreTypedErrors() {
    #expect(throws: OptionError(option: "separation", value: 0, expected: "a positive number")) {
      try DimerSearch(gradientTolerance: 1e-6, maximumStep: 0.1, separation: 0)
    }
    #expect(throws: OptionError(option: "maxIterations", value: 0, expected: ">= 1")) {
      try DimerSearch(gradientTolerance: 1e-6, maximumStep: 0.1, separation: 1e-5, maxIterations: 0)
    }
    #expect(throws: OptionError(option: "trustRadius", value: -1, expected: "> 0")) {
      try Minimizer(gradientTolerance: 1e-6, trustRadius: -1)
    }
    #expect(throws: OptionError(option: "maxIterations", value: 0, expected: ">= 1")) {
      try Minimizer(gradientTolerance: 1e-6, trustRadius: 0.1, maxIterations: 0)
    }
    #expect(
      throws: OptionError(option: "springConstant", value: .infinity, expected: "a positive number")
    ) {
      try NudgedElasticBand.Options(
        images: 4, forceTolerance: 1, springConstant: .infinity, maximumStep: 0.1)
    }
    #expect(throws: OptionError(option: "maxIterations", value: 0, expected: "at least 1")) {
      try NudgedElasticBand.Options(
        images: 4, forceTolerance: 1, springConstant: 1, maximumStep: 0.1, maxIterations: 0)
    }
    let box = Potential.Box(lower: [0, 0], upper: [1, 1])
    #expect(throws: OptionError(option: "grid", value: 1, expected: "from 2 to 100")) {
      try SurfaceMap(region: box, grid: 1)
    }
    #expect(
      throws: OptionError(option: "range", value: 3, expected: "a two-dimensional region")
    ) {
      try SurfaceMap(region: Potential.Box(lower: [0, 0, 0], upper: [1, 1, 1]), grid: 4)
    }
  }

  /// Ends of the wrong length are refused before anything is evaluated, and the error
  /// names the length of the end that is wrong.
  @Test func elasticBandRefusesEndsOfTheWrongLength() throws {
    let potential = try builtIn("muller-brown")
    let a = try #require(potential.point(labelled: "MA")).coordinates
    let band = try NudgedElasticBand.scaled(to: potential.scale(), from: a, to: a, images: 4)
    var evaluator = Evaluator(potential.surface)
    #expect(throws: SaddleSearchError.wrongDimension(expected: 2, found: 3)) {
      try band.run(from: a, to: Vector([0, 0, 0]), on: &evaluator)
    }
    #expect(throws: SaddleSearchError.wrongDimension(expected: 2, found: 1)) {
      try band.run(from: Vector([0]), to: a, on: &evaluator)
    }
    #expect(evaluator.counts == EvaluationCounts())
  }

  /// NEB from MA to MB finds both saddles and MC between them, refines the saddles to
  /// 1e-8·G or better, within 1500 gradients in all (band, refinements, the IRCs that
  /// re-seat it); the re-seated band is within 1e-3 of the exact path.
  @Test func elasticBandFromMAToMB() throws {
    let potential = try builtIn("muller-brown")
    let scale = try potential.scale()
    let a = try #require(potential.point(labelled: "MA")).coordinates
    let b = try #require(potential.point(labelled: "MB")).coordinates
    let band = try NudgedElasticBand.scaled(to: scale, from: a, to: b, images: 12)
    var evaluator = Evaluator(potential.surface)
    let result = try band.run(from: a, to: b, on: &evaluator)
    #expect(result.converged)
    let labels = result.saddles.compactMap {
      potential.match($0.saddle.coordinates, kind: .saddle, within: 1e-6)?.label
    }
    #expect(labels == ["S1", "S2"])
    #expect(
      result.saddles.allSatisfy {
        $0.saddle.gradientNorm <= 1e-8 * scale.gradient && $0.saddle.index == 1
      })
    let minima = result.minima.compactMap {
      potential.match($0.saddle.coordinates, kind: .minimum, within: 1e-6)?.label
    }
    #expect(minima == ["MC"])
    let path = MinimumEnergyPath.assemble(
      from: a, to: b, saddles: result.saddles.map(\.saddle), on: potential.surface,
      yardsticks: potential.yardsticks(scale), tolerance: 1e-3 * scale.regionDiagonal)
    #expect(path.complete)
    let total = result.counts + path.counts
    #expect(total.gradients + 2 * 13 <= 1500, "\(total)")
    var references: [ReferencePath] = []
    for label in ["S1", "S2"] {
      references.append(try testReference(potential, try refinedSaddle(potential, label)))
    }
    for k in 0...13 {
      let q = path.point(at: path.length * Double(k) / 13)
      let distance =
        references.flatMap { reference in
          PathDirection.allCases.filter { $0 != .saddle }.map { reference.distance(from: q, $0) }
        }.min() ?? .infinity
      #expect(distance <= 1e-3, "image \(k) at \(q) is \(distance) from the path")
    }
  }

  /// The map of each built-in, exactly.
  @Test func mapsOfTheBuiltIns() throws {
    let mullerBrown = try builtIn("muller-brown")
    let map = try SurfaceMap(region: try #require(mullerBrown.plotRange), grid: 12).build(
      mullerBrown, scale: try mullerBrown.scale())
    #expect(map.nodes.map(\.label) == ["MA", "MB", "MC", "S2", "S1"])
    #expect(map.nodes.map(\.kind) == [.minimum, .minimum, .minimum, .saddle, .saddle])
    func joins(_ saddle: String) -> Set<String> {
      guard let edge = map.edges.first(where: { map.nodes[$0.saddle].label == saddle }) else {
        return []
      }
      return Set(edge.ends.compactMap { $0.flatMap { map.nodes[$0].label } })
    }
    #expect(joins("S1") == ["MA", "MC"])
    #expect(joins("S2") == ["MC", "MB"])

    let harmonic = try builtIn("leps-harmonic")
    let second = try SurfaceMap(region: try #require(harmonic.plotRange), grid: 12).build(
      harmonic, scale: try harmonic.scale())
    #expect(second.nodes.map(\.label) == ["deep", "shallow", "TS"])
    #expect(second.edges.count == 1 && Set(second.edges[0].ends.compactMap { $0 }) == [0, 1])

    let leps = try builtIn("leps")
    let third = try SurfaceMap(region: try #require(leps.plotRange), grid: 12).build(
      leps, scale: try leps.scale())
    #expect(third.nodes.map(\.label) == ["TS"])
    #expect(third.edges.count == 1 && third.edges[0].terminations == [.asymptotic, .asymptotic])
  }

  @Test func parallelMapKeepsOrder() {
    let values = Array(0..<1000)
    #expect(ParallelMap.map(values) { $0 * $0 } == values.map { $0 * $0 })
  }
}
