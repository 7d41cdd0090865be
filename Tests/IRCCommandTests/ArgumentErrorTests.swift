import Foundation
import Testing

@testable import irc

/// The parser's refusals by case (`ArgumentError`), each naming the option as it is spelled
/// on the command line; `UsageErrorTests` holds the text a user reads.
@Suite struct ArgumentErrorTests {
  /// The case `body` refused with, or nil when it did not throw a parser's usage error.
  func reason(_ body: () throws -> Void) -> ArgumentError? {
    do {
      try body()
      return nil
    } catch let error as UsageError {
      return error.reason
    } catch {
      return nil
    }
  }

  func parse(_ arguments: [String], _ spec: CommandSpec = TraceCommand.spec) throws
    -> ParsedArguments
  {
    try ParsedArguments(arguments, spec: spec)
  }

  @Test func parsingRefusesByCase() {
    #expect(
      reason { _ = try parse(["--stepp", "0.1"]) }
        == .unknownOption("--stepp", suggestion: "--step"))
    #expect(reason { _ = try parse(["--step"]) } == .missingValue("--step", valueName: "h"))
    #expect(reason { _ = try parse(["--step="]) } == .missingValue("--step", valueName: "h"))
    #expect(reason { _ = try parse(["--step", "1", "--step", "2"]) } == .repeated("--step"))
    #expect(reason { _ = try parse(["--json=yes"]) } == .flagWithValue("--json"))
    #expect(reason { _ = try parse(["a", "b"]) } == .unexpectedArgument("b"))
  }

  @Test func valuesAreRefusedByCaseWithTheirRange() throws {
    let spec = TraceCommand.spec
    #expect(
      reason { _ = try parse(["--step", "x"]).number("--step", positive: true, spec: spec) }
        == .notANumber("--step", text: "x"))
    #expect(
      reason { _ = try parse(["--step", "-1"]).number("--step", positive: true, spec: spec) }
        == .notPositive("--step", text: "-1"))
    #expect(
      reason { _ = try parse(["--step", "1e200"]).number("--step", positive: true, spec: spec) }
        == .tooLarge("--step", text: "1e200", limit: Arguments.magnitudeLimit))
    #expect(
      reason { _ = try parse(["--gradient-scale", "0"]).gradientScale(spec: spec) }
        == .outOfRange("--gradient-scale", text: "0", range: 1e-150...1e150))
    #expect(
      reason { _ = try parse(["--max-steps", "0"]).integer("--max-steps", minimum: 1, spec: spec) }
        == .notAWholeNumber("--max-steps", text: "0", range: 1...Int.max))
    #expect(
      reason { _ = try parse(["--from", "1,y"]).point("--from", spec: spec) }
        == .listItemNotANumber("--from", item: "y", text: "1,y"))
    #expect(
      reason { _ = try parse(["--from", "1,1e200"]).point("--from", spec: spec) }
        == .listItemTooLarge(
          "--from", item: "1e200", text: "1,1e200", limit: Arguments.magnitudeLimit))
    // A value that is fine is returned, not refused.
    #expect(try parse(["--from", "1, -2"]).point("--from", spec: spec) == [1, -2])
  }

  /// Every message names the option with its dashes, as the user typed it.
  @Test func messagesNameTheCommandLineSpelling() {
    let cases: [ArgumentError] = [
      .notANumber("--step", text: "x"), .notPositive("--step", text: "0"),
      .tooLarge("--step", text: "1e200", limit: 1e150),
      .outOfRange("--step", text: "0", range: 1...2),
      .notAWholeNumber("--step", text: "0", range: 1...3),
      .listItemNotANumber("--step", item: "y", text: "1,y"),
      .missingValue("--step", valueName: "h"),
      .repeated("--step"),
    ]
    for error in cases { #expect(error.description.contains("'--step'"), "\(error)") }
  }
}
