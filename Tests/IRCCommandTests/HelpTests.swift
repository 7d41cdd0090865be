import Foundation
import Testing

/// `irc --help`, `irc help <subcommand>`, `irc <subcommand> --help`, `irc --version`.
@Suite struct HelpTests {
  static let traceUsage =
    "irc trace [<potential>] [--saddle <label> | --from <x,y|file.xyz>] [--masses <list>] "
    + "[--checkpoint <file>] [--jobs <n>] [--method <method>] [--step <h>] "
    + "[--path-tol <t>] [--hessian <source>] [--gtol <g>] [--max-steps <n>] [--gradient-scale <G>] [--xyz <file>] "
    + "[--csv <file>] [--json] [--reference] [--svg <file> [--range <x0,y0,x1,y1>] [--grid <n>] [--energy-max <e>]]"

  /// The OPTIONS rows of a help text, wrapped descriptions joined: `label → description`.
  static func optionRows(_ help: String) throws -> [String: String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let start = try #require(lines.firstIndex(of: "OPTIONS:"), "no OPTIONS: section in\n\(help)")
    var rows: [(label: String, text: String)] = []
    for line in lines[(start + 1)...] {
      if line.isEmpty { break }
      let indent = line.prefix { $0 == " " }.count
      if indent == 2 {
        let body = line.dropFirst(2)
        let label = body.components(separatedBy: "  ").first ?? String(body)
        let text = body.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        rows.append((label, text))
      } else if let last = rows.indices.last {
        let more = line.trimmingCharacters(in: .whitespaces)
        rows[last].text += rows[last].text.isEmpty ? more : " " + more
      }
    }
    return Dictionary(rows.map { ($0.label, $0.text) }) { first, _ in first }
  }

  @Test func topLevelHelp() async throws {
    let help = try await IRC.run(["--help"])
    #expect(help.status == 0)
    #expect(help.stderr == "")
    let text = help.stdout
    #expect(text.hasPrefix("OVERVIEW: Trace intrinsic reaction coordinates"))
    #expect(text.contains("\nUSAGE: irc <subcommand> [<arguments>] [<options>]\n"))
    let options = try Self.optionRows(text)
    #expect(options["--version"] == "Show the version.")
    #expect(options["-h, --help"] == "Show help information.")
    for name in ["trace", "saddle", "neb", "map", "plot", "potentials", "validate", "bench"] {
      #expect(text.contains("\n  \(name) "), "subcommand \(name) missing from\n\(text)")
    }
    #expect(text.hasSuffix("\n  See 'irc help <subcommand>' for detailed help.\n"))
    // The short flag and no arguments at all show the same overview.
    for arguments in [["-h"], []] {
      let other = try await IRC.run(arguments)
      #expect(other.status == 0)
      #expect(other.stdout == text, "irc \(arguments) differs from irc --help")
    }
  }

  @Test func traceHelpListsEveryOptionWithDefaultOrValues() async throws {
    let help = try await IRC.run(["help", "trace"])
    #expect(help.status == 0)
    #expect(help.stderr == "")
    let text = help.stdout
    #expect(text.hasPrefix("OVERVIEW: Trace the IRC from a saddle down to the minima"))
    #expect(text.contains("\nUSAGE: \(Self.traceUsage)\n"))
    #expect(text.contains("<potential>"))
    #expect(text.contains("(default: muller-brown)"))

    let options = try Self.optionRows(text)
    let expected: [String: String] = [
      "--saddle <label>": "default: the first saddle the file lists",
      "--from <x,y|file.xyz>": "refined to a first-order saddle",
      "--masses <list>": "masses in amu by symbol, e.g. H=1.00794,C=12.0107",
      "--checkpoint <file>": "replays them and continues",
      "--jobs <n>": "(default: the number of cores)",
      "--method <method>":
        "(values: euler, rk4, gs2, lqa, hpc, eulerpc, adaptive, surrogate; default: euler)",
      "--path-tol <t>": "1e-12·L to 0.1·L (default: 1e-4·L, L = G/|λ₁|",
      "--hessian <source>":
        "(values: exact, updated; default: updated for eulerpc, exact otherwise)",
      "--step <h>": "at most the plot range's diagonal and at least the largest of 1e-5·L",
      "--gtol <g>":
        "1e-12·G to 0.1·G (default: the file's defaults.gradientTolerance, else 1e-5·G)",
      "--max-steps <n>":
        "1–100000 and at most 2000000/n for n coordinates (default: the file's defaults.maxSteps, else",
      "--gradient-scale <G>": "1e-150–1e+150 (default: the file's defaults.gradientScale, else",
      "--xyz <file>": "extended-XYZ",
      "--csv <file>": "CSV",
      "--json": "one JSON document on stdout; the log goes to stderr",
      "--reference": "print how far the path and its ends are from it",
      "--svg <file>": "the energy and |∇V| profile (a name ending in .svg)",
      "--range <x0,y0,x1,y1>": "(default: the file's plotRange)",
      "--grid <n>": "n × n nodes, 10–1000 (default: 200)",
      "--energy-max <e>": "(default: the lowest energy on the map plus 1.5 times",
      "-h, --help": "Show help information.",
    ]
    #expect(Set(options.keys) == Set(expected.keys), "options listed: \(options.keys.sorted())")
    for (label, fragment) in expected {
      let row = options[label] ?? ""
      #expect(row.contains(fragment), "\(label): '\(row)' should mention '\(fragment)'")
    }
    // Every option of the usage line is documented, and nothing else is.
    let inUsage = Set(
      Self.traceUsage.split(separator: " ").compactMap { word -> String? in
        let name = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]|"))
        return name.hasPrefix("--") ? name : nil
      })
    let documented = Set(
      options.keys.compactMap { $0.split(separator: " ").first.map(String.init) })
    #expect(inUsage.union(["-h,"]) == documented)

    // `irc trace --help` and `irc trace -h` print the same text.
    for flag in ["--help", "-h"] {
      let other = try await IRC.run(["trace", flag])
      #expect(other.status == 0)
      #expect(other.stdout == text, "irc trace \(flag) differs from irc help trace")
    }
  }

  @Test(arguments: ["saddle", "neb", "map", "plot", "bench", "potentials", "validate"])
  func subcommandHelp(_ name: String) async throws {
    let help = try await IRC.run(["help", name])
    #expect(help.status == 0)
    #expect(help.stdout.hasPrefix("OVERVIEW: "))
    #expect(help.stdout.contains("\nUSAGE: irc \(name)"))
    #expect(try Self.optionRows(help.stdout)["-h, --help"] == "Show help information.")
    let flag = try await IRC.run([name, "--help"])
    #expect(flag.status == 0)
    #expect(flag.stdout == help.stdout)
    if name == "saddle" {
      #expect(
        try Self.optionRows(help.stdout)["--from <x,y|file.xyz>"]?.contains("(required)") == true)
    }
  }

  @Test func version() async throws {
    let run = try await IRC.run(["--version"])
    #expect(run.status == 0)
    #expect(run.stderr == "")
    #expect(
      run.stdout.wholeMatch(of: /irc [0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?\n/) != nil,
      "\(run.stdout)")
  }
}
