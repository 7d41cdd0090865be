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
  /// What is wrong with the command line, when the parser found it: tests assert this.
  var reason: ArgumentError?

  init(message: String, command: CommandSpec?) {
    self.message = message
    self.command = command
  }

  init(_ reason: ArgumentError, command: CommandSpec) {
    self.init(message: reason.description, command: command)
    self.reason = reason
  }
}

/// What the parser refuses on a command line, by case. Every message names the option as
/// it is spelled on the command line and cuts echoed input (`InputExcerpt`).
enum ArgumentError: Error, Equatable, CustomStringConvertible {
  /// An option the command does not have, with the nearest one it does.
  case unknownOption(String, suggestion: String?)
  case repeated(String)
  /// An option without its value (or with an empty one).
  case missingValue(String, valueName: String)
  case flagWithValue(String)
  case unexpectedArgument(String)
  case notANumber(String, text: String)
  case notPositive(String, text: String)
  /// A number beyond `Arguments.magnitudeLimit`.
  case tooLarge(String, text: String, limit: Double)
  case outOfRange(String, text: String, range: ClosedRange<Double>)
  /// Not a whole number, or one outside `range` (whose upper bound `Int.max` means none).
  case notAWholeNumber(String, text: String, range: ClosedRange<Int>)
  /// An item of a comma-separated list that is not a number.
  case listItemNotANumber(String, item: String, text: String)
  case listItemTooLarge(String, item: String, text: String, limit: Double)

  var description: String {
    func cut(_ text: String) -> String { InputExcerpt.cut(text) }
    switch self {
    case .unknownOption(let name, let suggestion):
      return "unknown option '\(cut(name))'"
        + (suggestion.map { "; did you mean '\(cut($0))'?" } ?? "")
    case .repeated(let name):
      return "option '\(cut(name))' is given more than once"
    case .missingValue(let name, let valueName):
      return "option '\(cut(name))' needs a value <\(valueName)>"
    case .flagWithValue(let name):
      return "flag '\(cut(name))' does not take a value"
    case .unexpectedArgument(let argument):
      return "unexpected argument '\(cut(argument))'"
    case .notANumber(let name, let text):
      return "option '\(cut(name))' expects a number, got '\(cut(text))'"
    case .notPositive(let name, let text):
      return "option '\(cut(name))' must be positive, got '\(cut(text))'"
    case .tooLarge(let name, let text, let limit):
      return
        "option '\(cut(name))' expects a number of magnitude at most \(limit), got '\(cut(text))'"
    case .outOfRange(let name, let text, let range):
      return "option '\(cut(name))' expects a number from \(range.lowerBound) to "
        + "\(range.upperBound), got '\(cut(text))'"
    case .notAWholeNumber(let name, let text, let range):
      return "option '\(cut(name))' expects a whole number "
        + (range.upperBound == Int.max
          ? "of at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)")
        + ", got '\(cut(text))'"
    case .listItemNotANumber(let name, let item, let text):
      return "option '\(cut(name))' expects comma-separated numbers such as -0.82,0.62; "
        + "'\(cut(item))' in '\(cut(text))' is not a number"
    case .listItemTooLarge(let name, let item, let text, let limit):
      return "option '\(cut(name))' expects numbers of magnitude at most \(limit); "
        + "'\(cut(item))' in '\(cut(text))' is beyond"
    }
  }
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
        let near = Help.nearest(name, among: spec.options.map(\.name))
        throw UsageError(.unknownOption(name, suggestion: near), command: spec)
      }
      guard values[name] == nil, !flags.contains(name) else {
        throw UsageError(.repeated(name), command: spec)
      }
      if let valueName = option.valueName {
        if let inline {
          values[name] = inline
        } else if index < arguments.count {
          values[name] = arguments[index]
          index += 1
        }
        guard let value = values[name], !value.isEmpty else {
          throw UsageError(.missingValue(name, valueName: valueName), command: spec)
        }
      } else {
        guard inline == nil else { throw UsageError(.flagWithValue(name), command: spec) }
        flags.insert(name)
      }
    }
    if !helpRequested && !spec.variadic && positionals.count > spec.positionals.count {
      throw UsageError(.unexpectedArgument(positionals[spec.positionals.count]), command: spec)
    }
  }

  func has(_ flag: String) -> Bool { flags.contains(flag) }

  /// A finite number; `positive` refuses zero and negatives. Its magnitude is at most
  /// `Arguments.magnitudeLimit`.
  func number(_ name: String, positive: Bool, spec: CommandSpec) throws(UsageError) -> Double? {
    guard let text = values[name] else { return nil }
    guard let value = Arguments.finite(text) else {
      throw UsageError(.notANumber(name, text: text), command: spec)
    }
    if positive && value <= 0 { throw UsageError(.notPositive(name, text: text), command: spec) }
    guard Arguments.withinMagnitude(value) else {
      throw UsageError(
        .tooLarge(name, text: text, limit: Arguments.magnitudeLimit), command: spec)
    }
    return value
  }

  /// A number within `range`, the range named in the message.
  func number(_ name: String, in range: ClosedRange<Double>, spec: CommandSpec) throws(UsageError)
    -> Double?
  {
    guard let text = values[name] else { return nil }
    guard let value = Double(text), range.contains(value) else {
      throw UsageError(.outOfRange(name, text: text, range: range), command: spec)
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
      throw UsageError(.notAWholeNumber(name, text: text, range: range), command: spec)
    }
    return value
  }

  /// Comma-separated finite numbers, `-0.82,0.62`.
  func point(_ name: String, spec: CommandSpec) throws(UsageError) -> [Double]? {
    guard let text = values[name] else { return nil }
    var numbers: [Double] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = part.trimmingCharacters(in: .whitespaces)
      guard let value = Arguments.finite(item) else {
        throw UsageError(.listItemNotANumber(name, item: item, text: text), command: spec)
      }
      guard Arguments.withinMagnitude(value) else {
        throw UsageError(
          .listItemTooLarge(name, item: item, text: text, limit: Arguments.magnitudeLimit),
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

  /// `text` as a finite number, else nil.
  static func finite(_ text: String) -> Double? {
    guard let value = Double(text), value.isFinite else { return nil }
    return value
  }

  /// Whether `value` is within `magnitudeLimit`.
  static func withinMagnitude(_ value: Double) -> Bool { abs(value) <= magnitudeLimit }

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
