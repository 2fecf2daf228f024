/// A problem in an architecture string, printed with a caret line under the offending token.
///
/// ```
/// unknown layer 'polly'; known: dense, gelu, layernorm, poly, relu, sigmoid, silu, tanh
///   poly(784,20,deg=3) polly(20,10)
///                      ^^^^^
/// ```
public struct ArchitectureError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var message: String
    /// The architecture text that was parsed.
    public var text: String
    /// The character offsets of the offending token in `text`.
    public var range: Range<Int>

    public init(_ message: String, in text: String, at range: Range<Int>) {
        self.message = message
        self.text = text
        self.range = range
    }

    /// The offending token.
    public var token: String {
        let characters = Array(text)
        let lower = min(max(range.lowerBound, 0), characters.count)
        let upper = min(max(range.upperBound, lower), characters.count)
        return String(characters[lower ..< upper])
    }

    public var description: String {
        let caretCount = max(range.count, 1)
        return "\(message)\n  \(text)\n  \(String(repeating: " ", count: max(range.lowerBound, 0)))\(String(repeating: "^", count: caretCount))"
    }
}
