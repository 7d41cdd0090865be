import Foundation

/// A hand-written argument parser in the manner of swift-argument-parser: options with
/// values (`--step 0.01` or `--step=0.01`), flags, positionals, `-h`/`--help`.

/// One option or flag a subcommand accepts.
struct OptionSpec: Sendable {
  /// `--step`
  var name: String
  /// `h` for an option with a value, nil for a flag.
  var valueName: String?
  var help: String

  static func option(_ name: String, _ valueName: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, valueName: valueName, help: help)
  }

  static func flag(_ name: String, _ help: String) -> OptionSpec {
    OptionSpec(name: name, valueName: nil, help: help)
  }
}

/// One positional argument.
struct PositionalSpec: Sendable {
  var name: String
  var help: String

  /// The optional potential every surface command takes first.
  static let potential = PositionalSpec(
    name: "potential",
    help: "A built-in name or a path to a potential file (default: \(PotentialLocator.defaultName))"
  )
}

/// What a subcommand accepts, and its help text.
struct CommandSpec: Sendable {
  var name: String
  var abstract: String
  var discussion: String?
  var usage: String
  var positionals: [PositionalSpec]
  var options: [OptionSpec]
  /// The last positional may repeat.
  var variadic = false

  var helpText: String {
    var text = "OVERVIEW: \(abstract)\n"
    if let discussion { text += "\n" + discussion + "\n" }
    text += "\nUSAGE: \(usage)\n"
    if !positionals.isEmpty {
      text += "\nARGUMENTS:\n"
      for positional in positionals { text += Help.row("<\(positional.name)>", positional.help) }
    }
    text += "\nOPTIONS:\n"
    for option in options {
      let label = option.valueName.map { "\(option.name) <\($0)>" } ?? option.name
      text += Help.row(label, option.help)
    }
    text += Help.row("-h, --help", "Show help information.")
    return text
  }
}

/// A usage error: exit 64 with the message, the usage line and where to get help.
struct UsageError: Error {
  var message: String
  var command: CommandSpec?
}

/// The parsed command line of one subcommand.
struct ParsedArguments {
  var values: [String: String] = [:]
  var flags: Set<String> = []
  var positionals: [String] = []
  var helpRequested = false

  init(_ arguments: [String], spec: CommandSpec) throws(UsageError) {
    var index = 0
    var onlyPositionals = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
        positionals.append(argument)
        continue
      }
      if argument == "--" {
        onlyPositionals = true
        continue
      }
      if argument == "-h" || argument == "--help" {
        helpRequested = true
        continue
      }
      let name: String
      var inline: String?
      if let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inline = String(argument[argument.index(after: equals)...])
      } else {
        name = argument
      }
      guard let option = spec.options.first(where: { $0.name == name }) else {
        var message = "unknown option '\(name)'"
        if let near = Help.nearest(name, among: spec.options.map(\.name)) {
          message += "; did you mean '\(near)'?"
        }
        throw UsageError(message: message, command: spec)
      }
      guard values[name] == nil, !flags.contains(name) else {
        throw UsageError(message: "option '\(name)' is given more than once", command: spec)
      }
      if let valueName = option.valueName {
        if let inline {
          values[name] = inline
        } else if index < arguments.count {
          values[name] = arguments[index]
          index += 1
        } else {
          throw UsageError(message: "option '\(name)' needs a value <\(valueName)>", command: spec)
        }
        if values[name]!.isEmpty {
          throw UsageError(message: "option '\(name)' needs a value <\(valueName)>", command: spec)
        }
      } else {
        guard inline == nil else {
          throw UsageError(message: "flag '\(name)' does not take a value", command: spec)
        }
        flags.insert(name)
      }
    }
    if !helpRequested && !spec.variadic && positionals.count > spec.positionals.count {
      let extra = positionals[spec.positionals.count]
      throw UsageError(message: "unexpected argument '\(extra)'", command: spec)
    }
  }

  func has(_ flag: String) -> Bool { flags.contains(flag) }

  /// A finite number; `positive` refuses zero and negatives.
  func number(_ name: String, positive: Bool, spec: CommandSpec) throws(UsageError) -> Double? {
    guard let text = values[name] else { return nil }
    guard let value = Double(text), value.isFinite else {
      throw UsageError(message: "option '\(name)' expects a number, got '\(text)'", command: spec)
    }
    if positive && value <= 0 {
      throw UsageError(message: "option '\(name)' must be positive, got '\(text)'", command: spec)
    }
    return value
  }

  /// A whole number of at least `minimum`.
  func integer(_ name: String, minimum: Int, spec: CommandSpec) throws(UsageError) -> Int? {
    guard let text = values[name] else { return nil }
    guard let value = Int(text), value >= minimum else {
      throw UsageError(
        message: "option '\(name)' expects a whole number of at least \(minimum), got '\(text)'",
        command: spec)
    }
    return value
  }

  /// Comma-separated finite numbers, `-0.82,0.62`.
  func point(_ name: String, spec: CommandSpec) throws(UsageError) -> [Double]? {
    guard let text = values[name] else { return nil }
    var numbers: [Double] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = part.trimmingCharacters(in: .whitespaces)
      guard let value = Double(trimmed), value.isFinite else {
        throw UsageError(
          message: "option '\(name)' expects comma-separated numbers such as -0.82,0.62; "
            + "'\(trimmed)' in '\(text)' is not a number",
          command: spec)
      }
      numbers.append(value)
    }
    return numbers
  }
}
