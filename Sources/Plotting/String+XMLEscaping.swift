/// Escaping for XML and HTML text.
extension String {
    /// The text with `&`, `<`, `>` and `"` escaped for SVG or HTML.
    public var xmlEscaped: String {
        var result = ""
        for character in self {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
