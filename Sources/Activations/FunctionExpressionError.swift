/// A syntax error in an expression, printed as the message, the expression, and carets under
/// the offending characters:
///
/// ```
/// unknown function 'foo'; functions: exp, log, sqrt, tanh, erf, sigmoid, relu, abs, sign, min, max
///   x*foo(x)
///     ^^^
/// ```
public struct FunctionExpressionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var message: String
    /// The expression text that was parsed.
    public var text: String
    /// The character offsets of the fault in `text` (empty at the end of the text).
    public var range: Range<Int>

    /// An error with its message, the expression text and the character range at fault.
    public init(_ message: String, in text: String, at range: Range<Int>) {
        self.message = message
        self.text = text
        self.range = range
    }

    /// The offending characters.
    public var token: String {
        let characters = Array(text)
        let lower = Swift.min(Swift.max(range.lowerBound, 0), characters.count)
        let upper = Swift.min(Swift.max(range.upperBound, lower), characters.count)
        return String(characters[lower ..< upper])
    }

    public var description: String {
        let lower = Swift.max(range.lowerBound, 0)
        let carets = String(repeating: " ", count: lower) + String(repeating: "^", count: Swift.max(range.count, 1))
        return "\(message)\n  \(text)\n  \(carets)"
    }
}
