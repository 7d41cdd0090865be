import Foundation
import Testing

/// Errors about a loaded file name it as the user did, echo no more than a readable excerpt
/// of its content, and refuse a file over the size limit before reading it all (issue 10,
/// findings 8 and 11).
@Suite struct LoadingErrorTests {
  /// A surface whose `name` differs from its file's: errors must name the file.
  static let misnamed = """
    {"format": "irc-potential/1", "name": "foo", "kind": "expression",
     "coordinates": ["x", "y"], "parameters": {"energy": "x^2 - y^2"},
     "stationaryPoints": [{"label": "M", "kind": "minimum", "coordinates": [0, 0]}]}
    """

  @Test func errorsAboutTheContentNameThePathAsGiven() async throws {
    let folder = try TemporaryDirectory()
    defer { folder.remove() }
    _ = try folder.write(Self.misnamed, to: "my-file.json")
    let cases: [([String], String)] = [
      (
        ["trace", "my-file.json", "--saddle", "Q"],
        "Error: my-file.json lists no point 'Q'; it lists no saddles, so give --from <x,y>\n"
      ),
      (
        ["trace", "my-file.json", "--saddle", "M"],
        "Error: 'M' is a minimum of my-file.json, not a saddle; give --from <x,y>\n"
      ),
      (
        ["trace", "my-file.json"],
        "Error: my-file.json lists no saddle to start from; give --from <x,y> near one\n"
      ),
      (
        ["map", "my-file.json"],
        "Error: my-file.json has no plotRange; give --range x0,y0,x1,y1\n"
      ),
    ]
    for (arguments, expected) in cases {
      let run = try await IRC.run(arguments, in: folder.url)
      #expect(run.status == 1, "\(run)")
      #expect(run.stderr == expected, "\(run)")
      #expect(!run.stderr.contains("foo"), "\(run)")
    }
  }

  /// A 5 MB unknown key is named by its first 60 characters and its length.
  @Test func aHugeUnknownKeyIsCutInTheMessage() async throws {
    let folder = try TemporaryDirectory()
    defer { folder.remove() }
    let key = String(repeating: "k", count: 5_000_000)
    _ = try folder.write(
      Self.misnamed.replacingOccurrences(of: "\"name\"", with: "\"\(key)\": 1, \"name\""),
      to: "key.json")
    let run = try await IRC.run(["validate", "key.json"], in: folder.url)
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix(
        "Error: key.json: unknown key \"\(String(repeating: "k", count: 60))… "
          + "(5000000 characters)\" at the top level; allowed keys: "), "\(run)")
    #expect(run.stderr.utf8.count < 400, "\(run.stderr.utf8.count) bytes of error")
  }

  /// An option value echoed in a usage error is cut the same way (a command-line string
  /// may be 128 kB).
  @Test func aHugeOptionValueIsCutInTheMessage() async throws {
    let value = String(repeating: "9x", count: 50_000)
    let run = try await IRC.run(["trace", "--step", value])
    #expect(run.status == 64)
    #expect(
      run.stderr.hasPrefix(
        "Error: option '--step' expects a number, got '\(String(value.prefix(60)))… "
          + "(100000 characters)'"), "\(run.stderr.prefix(300))")
    #expect(run.stderr.utf8.count < 1000, "\(run.stderr.utf8.count) bytes of error")
  }

  /// A file over the size limit is refused by its size, naming the limit.
  @Test func aFileOverTheSizeLimitIsRefused() async throws {
    let folder = try TemporaryDirectory()
    defer { folder.remove() }
    let padding = String(repeating: " ", count: 10_000_001)
    _ = try folder.write(Self.misnamed + padding, to: "big.json")
    let size = Self.misnamed.utf8.count + padding.utf8.count
    let run = try await IRC.run(["validate", "big.json"], in: folder.url)
    #expect(run.status == 1)
    #expect(
      run.stderr
        == "Error: big.json: (top level): \(size) bytes, more than the limit of 10000000 "
        + "(see \"Limits\" in README.md)\nSee the potential-file format in README.md.\n",
      "\(run)")
  }
}
