import Interop

/// JSON text written out as it is produced, in chunks of ``chunkSize`` bytes, so that a report
/// of millions of numbers (`convert --explicit --json`) never exists as one string or object
/// tree. Numbers are Swift's shortest round-trip decimal form; a non-finite number is `null`.
struct JSONStreamWriter {
    /// The bytes gathered before they go to the sink.
    static let chunkSize = 1 << 20

    private var buffer = [UInt8]()
    private let sink: ([UInt8]) -> Void
    /// Whether the next value in the current array or object needs a comma before it.
    private var needsComma = [false]

    /// A writer handing its bytes to `sink`.
    init(sink: @escaping ([UInt8]) -> Void) {
        self.sink = sink
        buffer.reserveCapacity(Self.chunkSize)
    }

    /// A writer to standard output, through `print` (so in order with everything else printed).
    static func standardOutput() -> JSONStreamWriter {
        JSONStreamWriter { bytes in print(String(decoding: bytes, as: UTF8.self), terminator: "") }
    }

    mutating func beginObject() { separate(); append("{"); needsComma.append(false) }
    mutating func endObject() { needsComma.removeLast(); append("}") }
    mutating func beginArray() { separate(); append("["); needsComma.append(false) }
    mutating func endArray() { needsComma.removeLast(); append("]") }

    /// `"key":` inside an object (the value follows).
    mutating func key(_ name: String) {
        separate()
        appendString(name)
        append(":")
        needsComma[needsComma.count - 1] = false
    }

    mutating func value(_ number: Double) {
        separate()
        append(number.isFinite ? number.description : "null")
    }

    mutating func value(_ number: Int) { separate(); append(String(number)) }

    mutating func value(_ text: String) { separate(); appendString(text) }

    /// An array of numbers.
    mutating func value(_ numbers: some Sequence<Double>) {
        beginArray()
        for number in numbers { value(number) }
        endArray()
    }

    /// An array of the rows of a row-major matrix with `columns` columns.
    mutating func rows(_ elements: some Collection<Double>, columns: Int) {
        beginArray()
        var iterator = elements.makeIterator()
        for _ in 0 ..< (columns > 0 ? elements.count / columns : 0) {
            beginArray()
            for _ in 0 ..< columns { if let number = iterator.next() { value(number) } }
            endArray()
        }
        endArray()
    }

    /// Hands the remaining bytes to the sink.
    mutating func flush() {
        if !buffer.isEmpty { sink(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { append(",") }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.chunkSize { flush() }
    }

    private mutating func appendString(_ text: String) { append(JSONText.quoted(text)) }
}
