import IRCKit

/// A subcommand: its specification and what it does.
protocol Command: SendableMetatype {
  static var spec: CommandSpec { get }
  /// Runs with parsed arguments; returns the exit code, or throws a usage or command error.
  static func run(_ arguments: ParsedArguments, console: Console) throws -> ExitCode
}

/// A subcommand as the dispatcher sees it.
struct CommandEntry: Sendable {
  var spec: CommandSpec
  var run: @Sendable (ParsedArguments, Console) throws -> ExitCode

  init<C: Command>(_ command: C.Type) {
    spec = C.spec
    run = { try C.run($0, console: $1) }
  }
}

enum Commands {
  static let all: [CommandEntry] = [
    CommandEntry(TraceCommand.self), CommandEntry(SaddleCommand.self),
    CommandEntry(PotentialsCommand.self), CommandEntry(ValidateCommand.self),
    CommandEntry(NebCommand.self), CommandEntry(MapCommand.self), CommandEntry(PlotCommand.self),
    CommandEntry(BenchCommand.self), CommandEntry(FreqCommand.self),
  ]

  static func named(_ name: String) -> CommandEntry? {
    all.first { $0.spec.name == name }
  }
}

/// The entry point: dispatches to a subcommand and turns every error into a message and
/// an exit code. Nothing here crashes on input.
enum Tool {
  static func run(_ arguments: [String], console: Console) -> ExitCode {
    guard let first = arguments.first else {
      console.out(Help.overview)
      return .success
    }
    switch first {
    case "-h", "--help":
      console.out(Help.overview)
      return .success
    case "--version":
      console.out("irc \(Help.version)\n")
      return .success
    case "help":
      guard arguments.count <= 2 else {
        return usage(
          UsageError(message: "'irc help' takes one subcommand name", command: nil), console)
      }
      guard arguments.count == 2 else {
        console.out(Help.overview)
        return .success
      }
      guard let command = Commands.named(arguments[1]) else {
        return usage(unknownSubcommand(arguments[1]), console)
      }
      console.out(command.spec.helpText)
      return .success
    default:
      guard let command = Commands.named(first) else {
        return usage(unknownSubcommand(first), console)
      }
      do {
        let parsed = try ParsedArguments(Array(arguments.dropFirst()), spec: command.spec)
        if parsed.helpRequested {
          console.out(command.spec.helpText)
          return .success
        }
        return try command.run(parsed, console)
      } catch let error as UsageError {
        return usage(error, console)
      } catch let error as CommandError {
        console.flush()
        console.err("Error: \(error.message)\n")
        return error.code
      } catch {
        console.flush()
        console.err("Error: \(error)\n")
        return .unusableInput
      }
    }
  }

  static func unknownSubcommand(_ name: String) -> UsageError {
    var message = "unknown subcommand '\(name)'"
    if let near = Help.nearest(name, among: Commands.all.map { $0.spec.name }) {
      message += "; did you mean '\(near)'?"
    }
    return UsageError(message: message, command: nil)
  }

  static func usage(_ error: UsageError, _ console: Console) -> ExitCode {
    console.flush()
    console.err("Error: \(error.message)\n")
    if let command = error.command {
      console.err(
        "Usage: \(command.usage)\n  See 'irc \(command.name) --help' for more information.\n")
    } else {
      console.err("Usage: \(Help.usage)\n  See 'irc --help' for more information.\n")
    }
    return .usage
  }
}
