import Foundation
import Glibc

@testable import IRCEngines
@testable import IRCKit

/// The package root, from this file's location (`Tests/IRCEnginesTests/…`).
let packageRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A socket name no other test (or test run) uses at the same time.
func uniqueSocketName(_ label: String) -> String {
  "irc-test-\(getpid())-\(label)-\(UInt32.random(in: 0...UInt32.max))"
}

/// The Python i-PI client of `Tests/Scripts/ipi_lj_client.py`, run as a subprocess.
///
/// Spawned with `posix_spawn` and an empty signal mask (a child inherits the mask of the
/// spawning thread, and the test runner's threads block SIGTERM and SIGALRM), its output in
/// temporary files, reaped with `waitpid`. Every client is bounded twice: by its own
/// `--lifetime` (it exits however the test ends) and by `finish(within:)`, which kills it.
final class LJClient {
  static let script = packageRoot.appendingPathComponent("Tests/Scripts/ipi_lj_client.py")
  private var pid: pid_t = 0
  private var exitStatus: Int32?
  private let outputPath: String
  private let errorPath: String

  init(address: IPIAddress, _ arguments: [String] = [], lifetime: Double = 20) throws {
    let stem = NSTemporaryDirectory() + "/ipi-client-\(UUID().uuidString)"
    outputPath = stem + ".out"
    errorPath = stem + ".err"
    let argv =
      ["python3", Self.script.path, address.description, "--lifetime", "\(lifetime)"] + arguments
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var cArguments = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    let result = posix_spawnp(&pid, "python3", &actions, &attributes, &cArguments, environ)
    guard result == 0 else { throw SpawnError(code: result) }
  }

  struct SpawnError: Error { var code: Int32 }

  /// Waits for the client to exit (killing it after `seconds`); its status and what it printed.
  func finish(within seconds: Double = 5) -> (status: Int32, stdout: String, stderr: String) {
    let deadline = IPIDeadline.after(seconds: seconds)
    while exitStatus == nil {
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
      } else if deadline.pollMilliseconds == 0 {
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        exitStatus = 128 + SIGKILL
      } else {
        usleep(2_000)
      }
    }
    let stdout = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    return (exitStatus!, stdout, stderr)
  }

  deinit {
    _ = finish(within: 0)
    unlink(outputPath)
    unlink(errorPath)
  }
}

/// The same Lennard-Jones formula as the client, evaluated here (atomic units).
func lennardJones(
  _ positions: [Double], epsilon: Double, sigma: Double
) -> (energy: Double, forces: [Double]) {
  let count = positions.count / 3
  var energy = 0.0
  var forces = [Double](repeating: 0, count: positions.count)
  for i in 0..<count {
    for j in (i + 1)..<count {
      let d = (0..<3).map { positions[3 * i + $0] - positions[3 * j + $0] }
      let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).squareRoot()
      let s6 = pow(sigma / r, 6)
      energy += 4 * epsilon * (s6 * s6 - s6)
      let dEdr = 4 * epsilon * (-12 * s6 * s6 + 6 * s6) / r
      for k in 0..<3 {
        forces[3 * i + k] -= dEdr * d[k] / r
        forces[3 * j + k] += dEdr * d[k] / r
      }
    }
  }
  return (energy, forces)
}

/// A trimer near its equilateral minimum (σ = 1.5 bohr), displaced so that no force is zero.
let trimer: [Double] = [0, 0, 0, 1.70, 0.05, -0.02, 0.83, 1.46, 0.11]

/// Geometries around `trimer`: each coordinate displaced by ±`step` in turn (2·3N of them),
/// the batch of a central-difference Hessian.
func displacedTrimers(step: Double = 1e-3) -> [[Double]] {
  (0..<trimer.count).flatMap { index in
    [step, -step].map { sign in
      var geometry = trimer
      geometry[index] += sign
      return geometry
    }
  }
}

/// A cell like the one a molecule is sent in.
let testCell = IPICell.cubic(edge: 200)

/// Seconds since `start` on the monotonic clock.
func elapsed(since start: Double) -> Double { IPIDeadline.now() - start }

/// Whether a file (or socket) exists at `path`.
func exists(_ path: String) -> Bool {
  var status = stat()
  return lstat(path, &status) == 0
}
