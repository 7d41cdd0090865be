/// Splits a formula into tokens, each with the 1-based column it starts at.
///
/// References:
/// - Aho, Lam, Sethi and Ullman (see `ExpressionGraph`), §3.3 (tokens specified by regular
///   definitions, the unsigned number among them) and §3.4 (recognised by longest match).
///
/// Columns are counted in Unicode scalars: for everything the grammar accepts (ASCII) these
/// are the characters, and a message's caret only ever points at or before the first
/// non-ASCII one (which is itself a fault), so the count is exact wherever it is shown.
///
/// Numbers are `1`, `0.5`, `.5`, `1.`, `1e-3`, `2.5E+4` (an `e` is part of a number only if
/// digits follow it, so `2exp(x)` is `2` then `exp`); names are ASCII letters, digits and
/// `_` starting with a letter; ASCII spaces, tabs and line breaks separate tokens. Lexing
/// never fails: a character that starts no token becomes an `invalid` token, and the parser
/// reports it when it gets there, so errors come in reading order.
struct ExpressionLexer {
  struct Token {
    enum Kind: Equatable {
      case number(Double)
      case name(String)
      case plus, minus, times, divide, caret, open, close, comma
      case invalid
      case end
    }

    var kind: Kind
    var text: String
    var column: Int

    /// How a message names the token.
    var quoted: String { kind == .end ? "the end of the formula" : InputExcerpt.quoted(text) }
  }

  static func tokens(of formula: String) -> [Token] {
    let characters = Array(formula.unicodeScalars)
    var tokens: [Token] = []
    var index = 0
    func isDigit(_ offset: Int) -> Bool {
      offset < characters.count && ("0"..."9").contains(characters[offset])
    }
    func isLetter(_ character: Unicode.Scalar) -> Bool {
      ("a"..."z").contains(character) || ("A"..."Z").contains(character)
    }
    func text(_ range: Range<Int>) -> String {
      var text = ""
      text.unicodeScalars.append(contentsOf: characters[range])
      return text
    }
    while index < characters.count {
      let character = characters[index]
      let start = index
      if character.isASCII, character.properties.isWhitespace {
        index += 1
        continue
      }
      let kind: Token.Kind
      if isDigit(index) || (character == "." && isDigit(index + 1)) {
        while isDigit(index) { index += 1 }
        if index < characters.count, characters[index] == "." {
          index += 1
          while isDigit(index) { index += 1 }
        }
        if index < characters.count, characters[index] == "e" || characters[index] == "E" {
          let sign =
            index + 1 < characters.count
            && (characters[index + 1] == "+" || characters[index + 1] == "-")
          if isDigit(index + (sign ? 2 : 1)) {
            index += sign ? 2 : 1
            while isDigit(index) { index += 1 }
          }
        }
        // Only digits, one '.' and a well-formed exponent reach here: always a Double.
        kind = .number(Double(text(start..<index)) ?? .nan)
      } else if isLetter(character) {
        while index < characters.count,
          isLetter(characters[index]) || isDigit(index) || characters[index] == "_"
        {
          index += 1
        }
        kind = .name(text(start..<index))
      } else {
        index += 1
        switch character {
        case "+": kind = .plus
        case "-": kind = .minus
        case "*": kind = .times
        case "/": kind = .divide
        case "^": kind = .caret
        case "(": kind = .open
        case ")": kind = .close
        case ",": kind = .comma
        default: kind = .invalid
        }
      }
      tokens.append(Token(kind: kind, text: text(start..<index), column: start + 1))
    }
    tokens.append(Token(kind: .end, text: "", column: characters.count + 1))
    return tokens
  }
}
