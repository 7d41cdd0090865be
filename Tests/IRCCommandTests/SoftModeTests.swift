import Foundation
import Testing

/// Issue 13: a soft mode never stops a branch at the saddle or short of the minimum.
///
/// The surface is a torsion x (V = a·cos x, barrier 2a) coupled to a stiff stretch y
/// (k/2·(y − c·sin x)², so the path curves): at the saddle (0, 0) the imaginary mode's
/// curvature is 1.3·10⁻³ of the stiff one (a 100i cm⁻¹ torsion beside a 2800 cm⁻¹
/// stretch), and the minima (±π, 0) are as soft. The gradient scale G of the region is set
/// by the stiff mode, so G/|λ₁| is longer than the region itself: before the fix the
/// derived step was refused, and methods with a graded start crept off the saddle in steps
/// of 10⁻⁵ of h until they ran out of steps.
@Suite struct SoftModeTests {
  static let surface = """
    {"format": "irc-potential/1", "name": "soft-torsion",
     "title": "a soft torsion x coupled to a stiff stretch y", "kind": "expression",
     "coordinates": ["x", "y"],
     "parameters": {"constants": {"a": 0.002, "k": 1, "c": 0.5},
                    "energy": "a*cos(x) + 0.5*k*(y - c*sin(x))^2"},
     "plotRange": {"lower": [-4, -2], "upper": [4, 2]},
     "stationaryPoints": [
       {"label": "TS", "kind": "saddle", "coordinates": [0, 0]},
       {"label": "MA", "kind": "minimum", "coordinates": [-3.141592653589793, 0]},
       {"label": "MB", "kind": "minimum", "coordinates": [3.141592653589793, 0]}]}
    """

  /// Every method with its default settings: both branches `converged` at the analytic
  /// minima (|∇V| under the tolerance, every Hessian eigenvalue positive, within 1e-2 of
  /// (±π, 0), a thirtieth of the step), the energy at the bottom (E_saddle − 2a to 1e-7),
  /// never at the saddle.
  @Test(arguments: ["euler", "eulerpc", "rk4", "gs2", "lqa", "hpc", "adaptive", "surrogate"])
  func bothBranchesReachTheSoftMinima(method: String) async throws {
    let folder = try TemporaryDirectory()
    defer { folder.remove() }
    try Self.surface.write(to: folder.file("soft.json"), atomically: true, encoding: .utf8)
    let run = try await IRC.run(
      ["trace", folder.file("soft.json").path, "--method", method, "--json"])
    #expect(run.status == 0, "\(run)")
    let summary = try JSONDocument.object(run.stdout)
    let saddle = try #require(summary["saddle"] as? [String: Any])
    let eigenvalues = try JSONDocument.numbers(saddle["hessianEigenvalues"])
    #expect(
      eigenvalues[0] < 0 && -eigenvalues[0] / eigenvalues[1] < 2e-3, "not soft: \(eigenvalues)")
    let settings = try #require(summary["settings"] as? [String: Any])
    let tolerance = try #require(settings["gradientTolerance"] as? Double)
    for (direction, x) in [("forward", Double.pi), ("backward", -Double.pi)] {
      let branch = try JSONDocument.branch(summary, direction)
      #expect(branch["termination"] as? String == "converged", "\(direction): \(branch)")
      let end = try #require(branch["end"] as? [String: Any])
      #expect(try #require(end["gradNorm"] as? Double) <= tolerance)
      #expect(try JSONDocument.numbers(end["hessianEigenvalues"]).allSatisfy { $0 > 0 })
      let coordinates = try JSONDocument.numbers(end["coordinates"])
      // gs2 and hpc end 5e-3 short along the soft mode: |∇V| is under the tolerance and the
      // Newton step within one step length (the tracer's rule for converged), 1/60 of h.
      #expect(abs(coordinates[0] - x) < 1e-2 && abs(coordinates[1]) < 1e-2, "\(coordinates)")
      #expect(abs(try #require(end["energy"] as? Double) - (-0.002)) < 1e-7)
    }
  }
}
