extension FunctionExpression {
    /// Parses an expression in x (grammar at the top of `FunctionExpression.swift`).
    ///
    /// ```swift
    /// let f = try FunctionExpression(parsing: "log(1 + exp(x))")
    /// ```
    /// - Throws: ``FunctionExpressionError`` with the offending characters (unknown name or
    ///   function, wrong argument count, unbalanced parentheses, a missing operand or operator).
    public init(parsing text: String) throws {
        var parser = try ExpressionParser(text: text)
        self = try parser.parse()
    }
}

/// A lexical token with its character range in the text.
private struct Token {
    enum Kind: Equatable {
        case number(Double)
        case name(String)
        case symbol(Character)
        case end
    }

    var kind: Kind
    var range: Range<Int>
}

/// Recursive descent over the tokens; offsets are in characters so errors can point at them.
private struct ExpressionParser {
    private let text: String
    private let tokens: [Token]
    private var index = 0
    private var depth = 0
    /// Height limit of the tree, so that a pathological input cannot overflow the stack when
    /// the tree is parsed, evaluated, printed or compared.
    private static let maximumDepth = 200

    init(text: String) throws {
        self.text = text
        tokens = try Self.tokenize(text)
    }

    mutating func parse() throws -> FunctionExpression {
        if tokens.count == 1 {
            throw FunctionExpressionError("empty expression; write one in x, e.g. 'exp(x)' or 'x*sigmoid(1.702*x)'",
                                          in: text, at: 0 ..< 0)
        }
        let expression = try parseSum()
        let token = tokens[index]
        switch token.kind {
        case .end: return expression
        case .symbol(")"): throw error("unmatched ')'", at: token.range)
        case .symbol(","): throw error("',' separates the arguments of min and max only", at: token.range)
        default: throw error("expected an operator (+ - * / ^) before this", at: token.range)
        }
    }

    private mutating func parseSum() throws -> FunctionExpression {
        var left = try parseProduct()
        var chain = 0
        defer { depth -= chain }
        while case let .symbol(symbol) = tokens[index].kind, symbol == "+" || symbol == "-" {
            try deepen(&chain)
            index += 1
            let right = try parseProduct()
            left = .binary(symbol == "+" ? .add : .subtract, left, right)
        }
        return left
    }

    private mutating func parseProduct() throws -> FunctionExpression {
        var left = try parseUnary()
        var chain = 0
        defer { depth -= chain }
        while case let .symbol(symbol) = tokens[index].kind, symbol == "*" || symbol == "/" {
            try deepen(&chain)
            index += 1
            let right = try parseUnary()
            left = .binary(symbol == "*" ? .multiply : .divide, left, right)
        }
        return left
    }

    private mutating func parseUnary() throws -> FunctionExpression {
        var chain = 0
        defer { depth -= chain }
        try deepen(&chain)
        if case let .symbol(symbol) = tokens[index].kind, symbol == "-" || symbol == "+" {
            index += 1
            let operand = try parseUnary()
            return symbol == "-" ? .negation(operand) : operand
        }
        let base = try parsePrimary()
        if case .symbol("^") = tokens[index].kind {
            index += 1
            return .binary(.power, base, try parseUnary())
        }
        return base
    }

    private mutating func parsePrimary() throws -> FunctionExpression {
        let token = tokens[index]
        switch token.kind {
        case let .number(value):
            index += 1
            return .number(value)
        case let .name(name):
            index += 1
            let isCall: Bool
            if case .symbol("(") = tokens[index].kind { isCall = true } else { isCall = false }
            if !isCall {
                switch name {
                case "x": return .variable
                case "pi": return .pi
                default:
                    if FunctionExpression.Function(rawValue: name) != nil {
                        throw error("'\(name)' is a function: write \(name)(…)", at: token.range)
                    }
                    throw error("unknown name '\(name)'; the variable is x and the constant pi", at: token.range)
                }
            }
            guard let function = FunctionExpression.Function(rawValue: name) else {
                let known = FunctionExpression.Function.allCases.map(\.rawValue).joined(separator: ", ")
                throw error("unknown function '\(name)'; functions: \(known)", at: token.range)
            }
            let open = tokens[index]
            index += 1
            var arguments = [try parseSum()]
            while case .symbol(",") = tokens[index].kind {
                index += 1
                arguments.append(try parseSum())
            }
            guard case .symbol(")") = tokens[index].kind else {
                if case .end = tokens[index].kind {
                    throw error("missing ')' for this '('", at: open.range)
                }
                throw error("expected ',' or ')'", at: tokens[index].range)
            }
            let close = tokens[index]
            index += 1
            guard arguments.count == function.arity else {
                let expected = function.arity == 1 ? "1 argument" : "\(function.arity) arguments"
                throw error("\(name) takes \(expected), got \(arguments.count)", at: token.range.lowerBound ..< close.range.upperBound)
            }
            return .call(function, arguments)
        case .symbol("("):
            index += 1
            let inner = try parseSum()
            guard case .symbol(")") = tokens[index].kind else {
                if case .end = tokens[index].kind { throw error("missing ')' for this '('", at: token.range) }
                throw error("expected an operator or ')'", at: tokens[index].range)
            }
            index += 1
            return inner
        case .end:
            throw error("expected a number, x, pi, a function or '(' at the end", at: token.range)
        case let .symbol(symbol):
            throw error("expected a number, x, pi, a function or '(' before '\(symbol)'", at: token.range)
        }
    }

    /// One more level of the tree (an operand of a chain of + − or × ÷, a sign, a power or a
    /// parenthesis): evaluation and printing recurse over it, so its height is capped.
    private mutating func deepen(_ chain: inout Int) throws {
        chain += 1
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw error("expression nested too deeply (more than \(Self.maximumDepth) levels of operators and parentheses)",
                        at: tokens[index].range)
        }
    }

    private func error(_ message: String, at range: Range<Int>) -> FunctionExpressionError {
        FunctionExpressionError(message, in: text, at: range)
    }

    /// Symbols and their canonical spelling.
    private static let symbols: [Character: Character] = [
        "+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/", "^": "^", "(": "(", ")": ")", ",": ",",
    ]

    /// Numbers, names (letters, digits, `_`), and the symbols + - * / ^ ( ) , (with ** for ^
    /// and the Unicode − × ÷).
    private static func tokenize(_ text: String) throws -> [Token] {
        let characters = Array(text)
        var tokens = [Token]()
        var position = 0
        while position < characters.count {
            let character = characters[position]
            let start = position
            if character.isWhitespace {
                position += 1
            } else if character.isASCII && (character.isNumber || character == ".") {
                // Digits and a point, then an optional exponent e[+-]digits.
                while position < characters.count, characters[position].isASCII,
                      characters[position].isNumber || characters[position] == "." {
                    position += 1
                }
                if position < characters.count, characters[position] == "e" || characters[position] == "E" {
                    var end = position + 1
                    if end < characters.count, characters[end] == "+" || characters[end] == "-" { end += 1 }
                    if end < characters.count, characters[end].isASCII, characters[end].isNumber {
                        while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
                        position = end
                    }
                }
                let literal = String(characters[start ..< position])
                guard let value = Double(literal) else {
                    throw FunctionExpressionError("malformed number '\(literal)'", in: text, at: start ..< position)
                }
                guard value.isFinite else {
                    throw FunctionExpressionError("number '\(literal)' overflows Double", in: text, at: start ..< position)
                }
                tokens.append(Token(kind: .number(value), range: start ..< position))
            } else if character.isLetter || character == "_" {
                while position < characters.count,
                      characters[position].isLetter || characters[position] == "_"
                        || characters[position].isASCII && characters[position].isNumber {
                    position += 1
                }
                tokens.append(Token(kind: .name(String(characters[start ..< position])), range: start ..< position))
            } else if character == "*", position + 1 < characters.count, characters[position + 1] == "*" {
                position += 2
                tokens.append(Token(kind: .symbol("^"), range: start ..< position))
            } else if let symbol = symbols[character] {
                position += 1
                tokens.append(Token(kind: .symbol(symbol), range: start ..< position))
            } else {
                throw FunctionExpressionError("unexpected character '\(character)'", in: text, at: start ..< start + 1)
            }
        }
        tokens.append(Token(kind: .end, range: characters.count ..< characters.count))
        return tokens
    }
}
