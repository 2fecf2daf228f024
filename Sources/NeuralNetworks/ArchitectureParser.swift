/// Splits architecture text into items: `name` or `name(arg, key=value, …)`, separated by
/// whitespace. Offsets are in characters so errors can underline the token.
struct ArchitectureParser {
    private let text: String
    private let characters: [Character]
    private var position = 0

    init(text: String) {
        self.text = text
        characters = Array(text)
    }

    mutating func parseItems() throws -> [Architecture.Item] {
        var items = [Architecture.Item]()
        skipWhitespace()
        while position < characters.count {
            items.append(try parseItem())
            let end = position
            skipWhitespace()
            if position < characters.count && position == end {
                throw error("expected a space before the next layer", at: position ..< position + 1)
            }
        }
        guard !items.isEmpty else {
            throw ArchitectureError("empty architecture; write layers such as 'dense(784,10)' or a preset such as 'seed001-poly'",
                                    in: text, at: 0 ..< 0)
        }
        return items
    }

    private mutating func parseItem() throws -> Architecture.Item {
        let start = position
        let name = word()
        guard !name.isEmpty else {
            throw error("expected a layer name", at: start ..< start + 1)
        }
        guard name.first!.isLetter else {
            throw error("a layer name starts with a letter", at: start ..< position)
        }
        var arguments = [Architecture.Argument]()
        if position < characters.count && characters[position] == "(" {
            position += 1
            while true {
                skipWhitespace()
                if position < characters.count && characters[position] == ")" && arguments.isEmpty {
                    position += 1
                    break
                }
                arguments.append(try parseArgument())
                skipWhitespace()
                guard position < characters.count else {
                    throw error("missing ')' after the arguments of '\(name)'", at: start ..< position)
                }
                if characters[position] == "," {
                    position += 1
                } else if characters[position] == ")" {
                    position += 1
                    break
                } else {
                    throw error("expected ',' or ')'", at: position ..< position + 1)
                }
            }
        }
        return Architecture.Item(name: name, arguments: arguments, range: start ..< position)
    }

    private mutating func parseArgument() throws -> Architecture.Argument {
        let start = position
        let first = word()
        guard !first.isEmpty else {
            throw error("expected an argument", at: start ..< start + 1)
        }
        skipWhitespace()
        if position < characters.count && characters[position] == "=" {
            position += 1
            skipWhitespace()
            let valueStart = position
            let value = word()
            guard !value.isEmpty else {
                throw error("expected a value after '\(first)='", at: valueStart ..< valueStart + 1)
            }
            return Architecture.Argument(label: first, value: value, range: start ..< position)
        }
        return Architecture.Argument(label: nil, value: first, range: start ..< start + first.count)
    }

    /// Letters, digits and `. - + _` (names, integers and numbers like 1e-5).
    private mutating func word() -> String {
        let start = position
        while position < characters.count,
              characters[position].isLetter || characters[position].isNumber
                || ".-+_".contains(characters[position]) {
            position += 1
        }
        return String(characters[start ..< position])
    }

    private mutating func skipWhitespace() {
        while position < characters.count && characters[position].isWhitespace { position += 1 }
    }

    private func error(_ message: String, at range: Range<Int>) -> ArchitectureError {
        let lower = min(range.lowerBound, characters.count)
        let upper = min(max(range.upperBound, lower), characters.count)
        return ArchitectureError(message, in: text, at: lower ..< max(upper, lower))
    }
}
