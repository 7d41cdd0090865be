import Foundation
import IRCKit

@testable import IRCEngines

/// The package root, found from this file's path.
let enginePackageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// The ExtTool engine script shipped for the tests (a Morse cluster in python3).
let fakeEngineScript = enginePackageRoot.appendingPathComponent("Tests/FakeEngine/morse-engine.py")
  .path

/// The fake engine, with its faults switched by `environment` (see the script's header).
func fakeEngine(timeout: Double? = nil, _ environment: [String: String] = [:]) -> ExtToolEngine {
  let settings = environment.map { "\($0.key)=\($0.value)" }.sorted()
  return ExtToolEngine(
    command: ["env"] + settings + ["python3", fakeEngineScript], charge: 0, multiplicity: 1,
    cores: 1, timeout: timeout)
}

/// A bent three-atom geometry in Å near the fake engine's Morse minimum (re = 2 bohr).
let triatomic: (symbols: [String], positions: Vector) = (
  ["H", "H", "H"], [0, 0, 0, 1.1, 0, 0, 0.5, 0.9, 0.1]
)

/// The xtb program the engine tests run, when one is installed: `$IRC_XTB`, else `xtb` on
/// PATH.
let installedXTB: String? = {
  let program = XTBEngine.defaultProgram()
  if program.contains("/") {
    return FileManager.default.isExecutableFile(atPath: program) ? program : nil
  }
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  for folder in path.split(separator: ":")
  where FileManager.default.isExecutableFile(
    atPath: "\(folder)/\(program)")
  {
    return "\(folder)/\(program)"
  }
  return nil
}()

/// The directional derivative of `energy` along `direction` by central differences.
func centralDifference(
  along direction: Vector, at point: Vector, step: Double, _ energy: (Vector) throws -> Double
) rethrows -> Double {
  let plus = try energy(point + step * direction)
  let minus = try energy(point - step * direction)
  return (plus - minus) / (2 * step)
}
