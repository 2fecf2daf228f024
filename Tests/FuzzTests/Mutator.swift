import LinearAlgebra

/// Seeded mutations of valid inputs: the fuzz suites feed each parser thousands of them and
/// require a result or a thrown error, never a trap (a trap ends the test process, so the
/// suite fails loudly).
struct Mutator {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    /// Interesting bytes: boundaries of signed and unsigned integers, JSON and IDX syntax.
    static let specialBytes: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x08, 0x0E, 0x1F, 0x8B,
                                        UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"),
                                        UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "9"),
                                        UInt8(ascii: "-"), UInt8(ascii: "e")]

    /// `bytes` with one to four random edits: flips, special bytes, insertions, deletions,
    /// truncation, duplicated runs, or an 8-byte little-endian extreme integer written in place.
    mutating func mutate(_ bytes: [UInt8], focus: Range<Int>? = nil) -> [UInt8] {
        var result = bytes
        let edits = Int.random(in: 1 ... 4, using: &generator)
        for _ in 0 ..< edits {
            let region = focus.map { $0.clamped(to: 0 ..< Swift.max(result.count, 1)) } ?? (0 ..< Swift.max(result.count, 1))
            let position = region.isEmpty ? 0 : Int.random(in: region, using: &generator)
            switch Int.random(in: 0 ..< 8, using: &generator) {
            case 0 where !result.isEmpty:
                result[Swift.min(position, result.count - 1)] ^= UInt8(1 << Int.random(in: 0 ..< 8, using: &generator))
            case 1 where !result.isEmpty:
                result[Swift.min(position, result.count - 1)] = Self.specialBytes.randomElement(using: &generator)!
            case 2:
                result.insert(Self.specialBytes.randomElement(using: &generator)!, at: Swift.min(position, result.count))
            case 3 where !result.isEmpty:
                result.remove(at: Swift.min(position, result.count - 1))
            case 4:
                result = Array(result.prefix(Int.random(in: 0 ... result.count, using: &generator)))
            case 5 where result.count > 8:
                let start = Swift.min(position, result.count - 8)
                result.insert(contentsOf: result[start ..< start + 8], at: start)
            case 6 where result.count >= 8:
                let start = Swift.min(position, result.count - 8)
                let extremes: [UInt64] = [0, 1, .max, .max - 7, UInt64(Int64.max), 1 << 32, 1 << 62, 0x8000_0000]
                let value = extremes.randomElement(using: &generator)!
                for k in 0 ..< 8 { result[start + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
            default:
                if !result.isEmpty { result[Swift.min(position, result.count - 1)] = UInt8.random(in: 0 ... 255, using: &generator) }
            }
        }
        return result
    }

    /// Number-like tokens at the extremes, for text formats and options.
    static let extremeNumbers = ["0", "-1", "1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                                 "4294967296", "100000000", "1e308", "1e-308", "-1e308", "1e309", "nan", "inf", "-inf",
                                 "0.5", "", "x", "1e5", "2147483648"]

    /// `text` with one to three edits: a character replaced, inserted or deleted, or a number
    /// replaced by an extreme one.
    mutating func mutate(text: String) -> String {
        var characters = Array(text)
        let alphabet = Array("(),=. abcdefglmnoprstuwxy0123456789-+e_\"{}[]:")
        for _ in 0 ..< Int.random(in: 1 ... 3, using: &generator) {
            let position = characters.isEmpty ? 0 : Int.random(in: 0 ..< characters.count, using: &generator)
            switch Int.random(in: 0 ..< 4, using: &generator) {
            case 0 where !characters.isEmpty: characters[position] = alphabet.randomElement(using: &generator)!
            case 1: characters.insert(alphabet.randomElement(using: &generator)!, at: position)
            case 2 where !characters.isEmpty: characters.remove(at: position)
            default:
                // Replace the number around `position` (or insert one) with an extreme token.
                var start = position, end = position
                while start > 0, characters[start - 1].isNumber { start -= 1 }
                while end < characters.count, characters[end].isNumber { end += 1 }
                characters.replaceSubrange(start ..< end, with: Self.extremeNumbers.randomElement(using: &generator)!)
            }
        }
        return String(characters)
    }
}
