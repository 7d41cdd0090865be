import IRCKit

/// `irc potentials`: the built-in surfaces.
enum PotentialsCommand: Command {
  static let spec = CommandSpec(
    name: "potentials",
    abstract: "List the built-in potentials with their titles.",
    discussion: """
      Built-ins are the .json files of the potential directories: $IRC_POTENTIALS
      (colon-separated), then the potentials/ folder of the package irc was built from.
      Add a surface by putting a file there, or pass any file's path to a command.
      """,
    usage: "irc potentials",
    positionals: [],
    options: [])

  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode {
    let builtIns = PotentialLocator.builtIns()
    guard !builtIns.isEmpty else {
      throw CommandError(
        message: "no potential directory found; set IRC_POTENTIALS to a folder of .json files")
    }
    var broken = false
    let width = max(12, (builtIns.map(\.name.count).max() ?? 0) + 2)
    for (name, path) in builtIns {
      do {
        let (potential, _) = try PotentialLocator.load(path)
        let kind = TraceLog.pad(potential.model.kindName, 15, right: false)
        let points = potential.stationaryPoints.map(\.label).joined(separator: " ")
        console.out(
          TraceLog.pad(name, width, right: false) + kind + (potential.title ?? "") + "\n"
            + String(repeating: " ", count: width) + "points: "
            + (points.isEmpty ? "none listed" : points) + "\n")
      } catch {
        broken = true
        console.out(TraceLog.pad(name, width, right: false) + "(cannot be loaded)\n")
        console.err("Error: \(error.message)\n")
      }
    }
    return broken ? .unusableInput : .success
  }
}
