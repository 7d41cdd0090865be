import Foundation
import Testing

@testable import IRCKit

/// Mutants of every shipped potential file, loaded in-process: each is a typed error or a
/// surface, never a trap, and a surface that loads evaluates its energy, gradient and
/// Hessian at its listed points and plot range's centre without trapping (issue 10, "keep
/// it guarded"). The mutants are seeded: a trap stops the test process inside this test,
/// whose name gives the seed; rerun with IRC_MUTATION_VERBOSE=1 to see each mutant's file
/// and index before it loads, or with IRC_MUTATION_SEED=<n> to try other mutants.
struct PotentialMutationTests {
  static let seed: UInt64 =
    ProcessInfo.processInfo.environment["IRC_MUTATION_SEED"].flatMap { UInt64($0) } ?? 20_261_129
  static let mutantsPerFile = 200

  /// Numbers at the edges of what a `Double` holds, and integers past its precision.
  static let extremes = [
    "1e308", "-1e308", "4.9e-324", "-4.9e-324", "-0", "0", "1e999", "-1e999", "2.2e-308",
    "123456789012345678901234567890", "9007199254740993", "-1", "1e-300", "65536",
  ]

  /// Byte-level mutations that keep or break the JSON, and splices of its own tokens.
  struct Mutator {
    var generator: SeededGenerator
    let tokens: [String]
    /// A JSON string (a key or a value) or number.
    static let tokenPattern = try! NSRegularExpression(
      pattern: #""[^"]*"|-?[0-9][0-9.eE+-]*"#)

    init(seed: UInt64, text: String) {
      generator = SeededGenerator(seed: seed)
      // Strings (keys and values) and numbers: the pieces a splice moves around.
      let range = NSRange(text.startIndex..., in: text)
      tokens = Self.tokenPattern.matches(in: text, range: range).compactMap {
        Range($0.range, in: text).map { String(text[$0]) }
      }
    }

    mutating func index(_ count: Int) -> Int {
      Int.random(in: 0..<max(count, 1), using: &generator)
    }

    mutating func mutate(_ text: String) -> String {
      var bytes = Array(text.utf8)
      let rounds = 1 + index(3)
      for _ in 0..<rounds {
        switch index(6) {
        case 0 where !bytes.isEmpty:  // flip a byte
          bytes[index(bytes.count)] = UInt8.random(in: 0...255, using: &generator)
        case 1 where !bytes.isEmpty:  // delete a range
          let start = index(bytes.count)
          bytes.removeSubrange(start..<min(bytes.count, start + 1 + index(16)))
        case 2 where !bytes.isEmpty:  // duplicate a range
          let start = index(bytes.count)
          let piece = bytes[start..<min(bytes.count, start + 1 + index(64))]
          bytes.insert(contentsOf: piece, at: index(bytes.count))
        case 3, 4:  // replace a token by another token of the file or by an extreme number
          let replacement =
            index(2) == 0 ? tokens[index(tokens.count)] : extremes[index(extremes.count)]
          bytes = Array(
            replaceToken(in: String(decoding: bytes, as: UTF8.self), with: replacement).utf8)
        default:  // insert an extreme number after a colon or comma
          let positions = bytes.indices.filter {
            bytes[$0] == UInt8(ascii: ":") || bytes[$0] == UInt8(ascii: ",")
          }
          guard !positions.isEmpty else { continue }
          bytes.insert(
            contentsOf: Array((extremes[index(extremes.count)] + ",").utf8),
            at: positions[index(positions.count)] + 1)
        }
      }
      return String(decoding: bytes, as: UTF8.self)
    }

    mutating func replaceToken(in text: String, with replacement: String) -> String {
      let matches = Self.tokenPattern.matches(
        in: text, range: NSRange(text.startIndex..., in: text))
      guard !matches.isEmpty, let range = Range(matches[index(matches.count)].range, in: text)
      else { return text }
      return text.replacingCharacters(in: range, with: replacement)
    }
  }

  /// Evaluates the surface where the commands would: its listed points, the centre of
  /// its plot range, and the origin.
  static func exercise(_ potential: Potential) {
    var points = potential.stationaryPoints.map(\.coordinates)
    if let box = potential.plotRange { points.append(0.5 * (box.lower + box.upper)) }
    points.append(Vector(repeating: 0, count: potential.dimension))
    for point in points where point.count == potential.dimension {
      _ = potential.surface.energy(at: point)
      _ = potential.surface.energyAndGradient(at: point)
      if potential.dimension <= 3 { _ = potential.surface.hessian(at: point) }
    }
  }

  @Test("mutants of every shipped file load or fail typed, never trap (seed 20261129)")
  func mutantsLoadOrFailTyped() throws {
    let verbose = ProcessInfo.processInfo.environment["IRC_MUTATION_VERBOSE"] != nil
    var loaded = 0
    var rejected = 0
    for (fileIndex, name) in try shippedPotentialNames().enumerated() {
      let url = packageRoot.appendingPathComponent("potentials/\(name).json")
      let original = try String(contentsOf: url, encoding: .utf8)
      var mutator = Mutator(seed: Self.seed &+ UInt64(fileIndex), text: original)
      for index in 0..<Self.mutantsPerFile {
        let mutant = mutator.mutate(original)
        if verbose { print("seed \(Self.seed) \(name).json mutant \(index)") }
        do {
          let potential = try Potential(decoding: mutant, file: "\(name).json")
          Self.exercise(potential)
          loaded += 1
        } catch {
          #expect(error.file == "\(name).json", "seed \(Self.seed), \(name) mutant \(index)")
          #expect(!error.description.isEmpty)
          rejected += 1
        }
      }
    }
    // Both outcomes occur: the mutants reach the decoder's checks and the surfaces.
    #expect(
      loaded > 50 && rejected > 500, "seed \(Self.seed): \(loaded) loaded, \(rejected) rejected")
  }
}
