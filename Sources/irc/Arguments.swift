import Foundation
import IRCKit

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
        var message = "unknown option '\(InputExcerpt.cut(name))'"
        if let near = Help.nearest(name, among: spec.options.map(\.name)) {
          message += "; did you mean '\(InputExcerpt.cut(near))'?"
        }
        throw UsageError(message: message, command: spec)
      }
      guard values[name] == nil, !flags.contains(name) else {
        throw UsageError(
          message: "option '\(InputExcerpt.cut(name))' is given more than once", command: spec)
      }
      if let valueName = option.valueName {
        if let inline {
          values[name] = inline
        } else if index < arguments.count {
          values[name] = arguments[index]
          index += 1
        } else {
          throw UsageError(
            message: "option '\(InputExcerpt.cut(name))' needs a value <\(valueName)>",
            command: spec)
        }
        if values[name]!.isEmpty {
          throw UsageError(
            message: "option '\(InputExcerpt.cut(name))' needs a value <\(valueName)>",
            command: spec)
        }
      } else {
        guard inline == nil else {
          throw UsageError(
            message: "flag '\(InputExcerpt.cut(name))' does not take a value", command: spec)
        }
        flags.insert(name)
      }
    }
    if !helpRequested && !spec.variadic && positionals.count > spec.positionals.count {
      let extra = positionals[spec.positionals.count]
      throw UsageError(message: "unexpected argument '\(InputExcerpt.cut(extra))'", command: spec)
    }
  }

  func has(_ flag: String) -> Bool { flags.contains(flag) }

  /// A finite number; `positive` refuses zero and negatives. Its magnitude is at most
  /// `Arguments.magnitudeLimit`.
  func number(_ name: String, positive: Bool, spec: CommandSpec) throws(UsageError) -> Double? {
    guard let text = values[name] else { return nil }
    guard let value = Double(text), value.isFinite else {
      throw UsageError(
        message:
          "option '\(InputExcerpt.cut(name))' expects a number, got '\(InputExcerpt.cut(text))'",
        command: spec)
    }
    if positive && value <= 0 {
      throw UsageError(
        message:
          "option '\(InputExcerpt.cut(name))' must be positive, got '\(InputExcerpt.cut(text))'",
        command: spec)
    }
    guard abs(value) <= Arguments.magnitudeLimit else {
      throw UsageError(
        message: "option '\(InputExcerpt.cut(name))' expects a number of magnitude at most "
          + "\(Arguments.magnitudeLimit), got '\(InputExcerpt.cut(text))'",
        command: spec)
    }
    return value
  }

  /// A number within `range`, the range named in the message.
  func number(_ name: String, in range: ClosedRange<Double>, spec: CommandSpec) throws(UsageError)
    -> Double?
  {
    guard let text = values[name] else { return nil }
    guard let value = Double(text), range.contains(value) else {
      throw UsageError(
        message: "option '\(InputExcerpt.cut(name))' expects a number from \(range.lowerBound) to "
          + "\(range.upperBound), got '\(InputExcerpt.cut(text))'",
        command: spec)
    }
    return value
  }

  /// A whole number of at least `minimum`.
  func integer(_ name: String, minimum: Int, spec: CommandSpec) throws(UsageError) -> Int? {
    try integer(name, in: minimum...Int.max, spec: spec)
  }

  /// A whole number within `range`: every size option has an upper bound, so that no value
  /// overflows or exhausts memory.
  func integer(_ name: String, in range: ClosedRange<Int>, spec: CommandSpec) throws(UsageError)
    -> Int?
  {
    guard let text = values[name] else { return nil }
    guard let value = Int(text), range.contains(value) else {
      throw UsageError(
        message: "option '\(InputExcerpt.cut(name))' expects a whole number "
          + (range.upperBound == Int.max
            ? "of at least \(range.lowerBound)"
            : "from \(range.lowerBound) to \(range.upperBound)")
          + ", got '\(InputExcerpt.cut(text))'",
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
          message:
            "option '\(InputExcerpt.cut(name))' expects comma-separated numbers such as -0.82,0.62; "
            + "'\(InputExcerpt.cut(trimmed))' in '\(InputExcerpt.cut(text))' is not a number",
          command: spec)
      }
      guard abs(value) <= Arguments.magnitudeLimit else {
        throw UsageError(
          message: "option '\(InputExcerpt.cut(name))' expects numbers of magnitude at most "
            + "\(Arguments.magnitudeLimit); '\(InputExcerpt.cut(trimmed))' in '\(InputExcerpt.cut(text))' is beyond",
          command: spec)
      }
      numbers.append(value)
    }
    return numbers
  }
}

/// Bounds shared by every command's options.
enum Arguments {
  /// No number on the command line is larger in magnitude: coordinates, energies and
  /// tolerances beyond 10¹⁵⁰ leave no room for the squares and products computed from them
  /// to stay finite (the yardsticks' `SurfaceScale.usableRange`).
  static let magnitudeLimit = SurfaceScale.usableRange.upperBound

  /// `--gradient-scale`, for every command that derives the gradient scale G.
  static let gradientScaleOption = OptionSpec.option(
    "--gradient-scale", "G",
    "The gradient scale G that derived tolerances and steps are multiples of, "
      + "\(SurfaceScale.usableRange.lowerBound)–\(SurfaceScale.usableRange.upperBound) (default: the "
      + "file's defaults.gradientScale, else the median |∇V| over \(SurfaceScale.derivationBudget) "
      + "points of the plot range: give it for a surface whose evaluations are expensive)")
}

extension ParsedArguments {
  /// `--gradient-scale`, checked against `SurfaceScale.usableRange`.
  func gradientScale(spec: CommandSpec) throws(UsageError) -> Double? {
    try number("--gradient-scale", in: SurfaceScale.usableRange, spec: spec)
  }
}
