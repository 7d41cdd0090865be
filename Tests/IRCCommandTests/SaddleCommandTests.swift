import Foundation
import Testing

/// `irc saddle --from x,y`: refines a first-order saddle, and never reports a minimum as
/// one.
@Suite struct SaddleCommandTests {
  @Test func nearS1ConvergesToS1() async throws {
    let run = try await IRC.run(["saddle", "--from", "-0.8,0.6", "--json"])
    #expect(run.status == 0, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["potential"] as? String == "muller-brown")
    #expect(result["converged"] as? Bool == true)
    #expect(result["matches"] as? String == "S1")
    #expect(try JSONDocument.numbers(result["start"]) == [-0.8, 0.6])
    let coordinates = try JSONDocument.numbers(result["coordinates"])
    #expect(isClose(coordinates[0], -0.822_001_558_732_732, absolute: 1e-9))
    #expect(isClose(coordinates[1], 0.624_312_802_814_871, absolute: 1e-9))
    let eigenvalues = try JSONDocument.numbers(result["hessianEigenvalues"])
    #expect(eigenvalues.filter { $0 < 0 }.count == 1)
    #expect(try #require(result["gradNorm"] as? Double) < 1e-6)
    #expect(run.stderr.contains("\n  matches            S1\n"), "\(run)")
  }

  /// From inside the basin of MA the search either climbs to a true first-order saddle or
  /// says it found none (exit 2); it never reports the minimum as a saddle.
  @Test func startInAMinimumBasinNeverReportsTheMinimum() async throws {
    let run = try await IRC.run(["saddle", "--from", "-0.55,1.44", "--json"])
    let result = try JSONDocument.object(run.stdout)
    switch run.status {
    case 0:
      #expect(result["converged"] as? Bool == true)
      let eigenvalues = try JSONDocument.numbers(result["hessianEigenvalues"])
      #expect(eigenvalues.filter { $0 < 0 }.count == 1, "not a first-order saddle: \(run)")
      #expect(try #require(result["gradNorm"] as? Double) < 1e-6)
      let coordinates = try JSONDocument.numbers(result["coordinates"])
      #expect(
        hypot(coordinates[0] + 0.558_223_634_633, coordinates[1] - 1.441_725_841_805) > 0.1,
        "reported the minimum MA as a saddle")
    case 2:
      #expect(result["converged"] as? Bool == false)
      #expect(run.stderr.hasPrefix("irc saddle: ") && run.stderr.contains("\nError: "))
    default:
      Issue.record("exit \(run.status): \(run)")
    }
  }

  /// Exactly at a minimum the gradient vanishes; the search must refuse, exit 2, and the
  /// JSON must say it did not converge.
  @Test func startExactlyAtAMinimumIsReportedAsSuch() async throws {
    let run = try await IRC.run(
      ["saddle", "--from", "0.6234994049308765,0.02803775852868567", "--json"])
    #expect(run.status == 2, "\(run)")
    let result = try JSONDocument.object(run.stdout)
    #expect(result["converged"] as? Bool == false)
    #expect(result["matches"] == nil)
    #expect((result["error"] as? String)?.contains("minimum") == true, "\(run)")
    #expect(run.stderr.contains("\nError: no first-order saddle from the start"), "\(run)")
  }

  @Test func withoutFromIsAUsageError() async throws {
    let run = try await IRC.run(["saddle", "--json"])
    #expect(run.status == 64)
    #expect(run.stdout == "")
    #expect(run.stderr.hasPrefix("Error: missing --from <x,y>: the start of the search\n"))
  }
}
