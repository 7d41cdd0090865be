import Testing

@testable import IRCKit

/// The shipped potential files reproduce `shared/reference/surfaces.md`, and every point a
/// file lists is what it claims.
struct ReferenceValueTests {
  @Test func checkValuesOfTheReference() throws {
    #expect(abs(try builtIn("leps").surface.energy(at: [1, 2]) - -3.72904676563) < 1e-10)
    #expect(abs(try builtIn("leps-harmonic").surface.energy(at: [1, 2]) - -3.50074527722) < 1e-10)
  }

  @Test func mullerBrownFileMatchesThePaper() throws {
    guard case .gaussianSum(let surface) = try builtIn("muller-brown").model else {
      Issue.record("muller-brown is not a gaussian-sum")
      return
    }
    #expect(surface == referenceMullerBrown)
  }

  @Test(arguments: referencePoints)
  func referencePointIsReproduced(_ reference: ReferencePoint) throws {
    let potential = try builtIn(reference.potential)
    let listed = try #require(potential.point(labelled: reference.label))
    #expect(listed.kind == reference.kind)
    #expect(listed.coordinates.distance(to: reference.coordinates) < 1e-12)
    let surface = potential.surface
    // Energy to 1e-8 relative, as the reference states it.
    let energy = surface.energy(at: reference.coordinates)
    #expect(abs(energy - reference.energy) <= 1e-8 * max(1, abs(reference.energy)))
    // Stationary: the Newton step to the exact point is below 1e-9.
    let point = StationaryPoint(
      coordinates: reference.coordinates, energy: energy,
      gradient: surface.gradient(at: reference.coordinates),
      hessian: surface.hessian(at: reference.coordinates))
    #expect(point.eigensystem.apply({ 1 / $0 }, to: point.gradient).norm < 1e-9)
    #expect(point.index == reference.kind.index)
    // Eigenvalues to the digits the reference gives (at least 4 significant).
    for (computed, expected) in zip(point.hessianEigenvalues, reference.eigenvalues) {
      #expect(abs(computed - expected) <= 6e-4 * abs(expected), "\(computed) vs \(expected)")
    }
  }

  /// Every point of every shipped file (not only those in the reference) is stationary,
  /// of its claimed index, at its listed energy; names match file stems.
  @Test func everyShippedFileIsConsistent() throws {
    let names = try shippedPotentialNames()
    #expect(
      names.contains("muller-brown") && names.contains("leps") && names.contains("leps-harmonic"))
    for name in names {
      let potential = try builtIn(name)
      #expect(potential.name == name, "\(name).json declares name \(potential.name)")
      #expect(potential.title != nil, "\(name) needs a title for 'irc potentials'")
      #expect(!potential.stationaryPoints.isEmpty)
      // A molecule is checked in mass-weighted coordinates, its index over internal modes.
      let view = potential.massWeighted() ?? potential
      for listed in view.stationaryPoints {
        var evaluator = Evaluator(view.surface)
        let point = try StationaryPoint(at: listed.coordinates, on: &evaluator)
        let newton = point.eigensystem.apply({ 1 / $0 }, to: point.gradient).norm
        #expect(newton < 1e-9, "\(name) \(listed.label) is \(newton) from stationary")
        #expect(
          point.index == listed.kind.index, "\(name) \(listed.label) has index \(point.index)")
        if let energy = listed.energy {
          #expect(
            abs(point.energy - energy) <= 1e-9 * max(1, abs(energy)), "\(name) \(listed.label)")
        }
      }
    }
  }

  @Test func gradientScaleIsTheMedianOverThePlotRange() throws {
    let potential = try builtIn("muller-brown")
    let scale = potential.scale()
    #expect(scale.gradientSource == .derived)
    #expect(scale.region == potential.plotRange)
    // A median of the grid: between the quartiles of an independent 50 × 50 sample.
    var norms: [Double] = []
    let box = try #require(potential.plotRange)
    for i in 0..<50 {
      for j in 0..<50 {
        let point = Vector([
          box.lower[0] + box.sides[0] * (Double(i) + 0.5) / 50,
          box.lower[1] + box.sides[1] * (Double(j) + 0.5) / 50,
        ])
        norms.append(potential.surface.gradient(at: point).norm)
      }
    }
    norms.sort()
    #expect(scale.gradient > norms[625] && scale.gradient < norms[1875])
  }
}
