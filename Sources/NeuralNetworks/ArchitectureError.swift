/// A problem in an architecture string, printed as one line that quotes the offending token
/// and the text:
///
/// ```
/// unknown layer 'polly'; known: dense, gelu, … (at 'polly' in 'poly(784,20,deg=3) polly(20,10)')
/// ```
public struct ArchitectureError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var message: String
    /// The architecture text that was parsed.
    public var text: String
    /// The character offsets of the offending token in `text`.
    public var range: Range<Int>

    /// An error with its message, the architecture text and the character range at fault.
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
        let place = token.isEmpty ? "in '\(text)'" : "at '\(token)' in '\(text)'"
        return "\(message) (\(place))"
    }

}
