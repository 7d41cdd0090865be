/// Why a formula (or the names around it) cannot become a surface.
///
/// Every reason reads as "expected …, found …", the phrasing of the potential-file errors,
/// and a reason about the formula's text carries the 1-based column of the fault (counted
/// as `ExpressionLexer` counts), so that the message can show the formula with a caret under it:
///
/// ```
/// column 9: expected a coordinate (x, y) or a constant (k), found "z"
///   x^2 + 3*z
///           ^
/// ```
public struct ExpressionError: Error, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// The formula holds nothing but spaces.
    case empty
    /// A character that starts no token (`§`, `!`, a non-ASCII letter).
    case unexpectedCharacter(String)
    /// A number literal beyond the range of a `Double` (`1e999`).
    case numberOutOfRange(String)
    /// A name that is neither a coordinate nor a constant.
    case unknownName(String, coordinates: [String], constants: [String])
    /// A name called like a function (`foo(x)`, or a coordinate `x(2)`) that is not one.
    case unknownFunction(String)
    /// A function's name without the `(` of its call (`exp + 1`); `found` describes what
    /// followed.
    case missingArguments(function: String, found: String)
    /// A call with the wrong number of arguments (`pow(x)`, `sin(x, y)`, `exp()`).
    case wrongArgumentCount(function: String, expected: Int, found: Int)
    /// A `(` still open where the formula or its argument list ended; the fault is where
    /// the `)` should be, and `openedAt` is the column of the `(`.
    case unclosedParenthesis(openedAt: Int, found: String)
    /// A `)` with no `(` before it to close.
    case unmatchedClosingParenthesis
    /// Where an operand must start (after an operator, a `(` or a `,`, or at the start),
    /// something else: `found` describes it, with a hint where one helps (`**`).
    case expectedOperand(found: String)
    /// Text after a complete formula (`2 x`, `x y`); `found` describes it.
    case trailingText(found: String)
    /// Parentheses, signs, powers and calls nested deeper than `limit`.
    case nestedTooDeeply(limit: Int)
    /// A coordinate or constant name that is not letters, digits and `_` after a letter.
    case invalidName(String)
    /// A coordinate listed twice.
    case duplicateCoordinate(String)
    /// A constant with a coordinate's name.
    case constantShadowsCoordinate(String)
    /// A constant with a function's name.
    case constantShadowsFunction(String)
    /// A constant whose value is infinite or NaN.
    case nonFiniteConstant(String)
    /// No coordinates at all.
    case noCoordinates
  }

  public var reason: Reason
  /// The 1-based column of the fault in `formula`, for reasons about the formula's text;
  /// nil for reasons about names.
  public var column: Int?
  public var formula: String

  public init(_ reason: Reason, column: Int?, formula: String) {
    self.reason = reason
    self.column = column
    self.formula = formula
  }

  /// What should have been there.
  public var expected: String {
    switch reason {
    case .empty: return "a formula"
    case .unexpectedCharacter: return "a number, a name, an operator or a parenthesis"
    case .numberOutOfRange: return "a number of magnitude below 1.8e308"
    case .unknownName(_, let coordinates, let constants):
      let known = "a coordinate (\(InputExcerpt.list(coordinates)))"
      return constants.isEmpty
        ? known : known + " or a constant (\(InputExcerpt.list(constants.sorted())))"
    case .unknownFunction:
      return "a function (\(ExpressionFunction.names.joined(separator: ", ")))"
    case .missingArguments(let function, _):
      return "\"(\" after the function \(InputExcerpt.cut(function))"
    case .wrongArgumentCount(let function, let expected, _):
      return "\(expected) argument\(expected == 1 ? "" : "s") for \(InputExcerpt.cut(function))"
    case .unclosedParenthesis(let openedAt, _):
      return "\")\" (for the \"(\" at column \(openedAt))"
    case .unmatchedClosingParenthesis, .trailingText:
      return "an operator or the end of the formula"
    case .expectedOperand: return "a number, a name, a sign or \"(\""
    case .nestedTooDeeply(let limit):
      return "parentheses, signs, powers and calls nested at most \(limit) deep"
    case .invalidName:
      return "a name of ASCII letters, digits and '_' starting with a letter"
    case .duplicateCoordinate: return "a coordinate name not used before"
    case .constantShadowsCoordinate: return "a constant name that is not a coordinate's"
    case .constantShadowsFunction: return "a constant name that is not a function's"
    case .nonFiniteConstant(let name):
      return "a finite value for the constant \(InputExcerpt.cut(name))"
    case .noCoordinates: return "at least one coordinate"
    }
  }

  /// What was there instead.
  public var found: String {
    switch reason {
    case .empty: return "nothing"
    case .unexpectedCharacter(let text), .numberOutOfRange(let text):
      return InputExcerpt.quoted(text)
    case .unknownName(let name, _, _), .unknownFunction(let name), .invalidName(let name),
      .duplicateCoordinate(let name), .constantShadowsCoordinate(let name),
      .constantShadowsFunction(let name):
      return InputExcerpt.quoted(name)
    case .missingArguments(_, let found), .unclosedParenthesis(_, let found),
      .expectedOperand(let found), .trailingText(let found):
      return found
    case .wrongArgumentCount(_, _, let found): return "\(found)"
    case .unmatchedClosingParenthesis: return "\")\" with no \"(\" before it"
    case .nestedTooDeeply: return "deeper nesting"
    case .nonFiniteConstant: return "a value that is not finite"
    case .noCoordinates: return "none"
    }
  }

  /// The formula on one line and a caret under the fault, each indented by two spaces; a
  /// long formula is cut to a window around the fault. Nil without a column.
  public var caretDisplay: String? {
    guard let column else { return nil }
    return Self.caretDisplay(formula, column: column)
  }

  public var description: String {
    let message = "expected \(expected), found \(found)"
    guard let column, let display = caretDisplay else { return message }
    return "column \(column): \(message)\n\(display)"
  }

  /// Columns past the window's width are shown in a window of this many characters.
  static let displayWidth = 72

  static func caretDisplay(_ formula: String, column: Int) -> String {
    // Columns count Unicode scalars (see `ExpressionLexer`); tabs, line breaks and other
    // control characters would break the alignment.
    let characters = formula.unicodeScalars.map { scalar -> Character in
      scalar.properties.isWhitespace || scalar.value < 32 || scalar.value == 127
        ? " " : Character(scalar)
    }
    let fault = max(0, min(column - 1, characters.count))
    var start = 0
    var end = characters.count
    if characters.count > displayWidth {
      start = max(0, min(fault - displayWidth / 2, characters.count - displayWidth))
      end = min(characters.count, start + displayWidth)
    }
    let lead = start > 0 ? "…" : ""
    let tail = end < characters.count ? "…" : ""
    return "  \(lead)\(String(characters[start..<end]))\(tail)\n  "
      + String(repeating: " ", count: lead.count + fault - start) + "^"
  }
}
