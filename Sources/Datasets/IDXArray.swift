import FileSystem
import Foundation

/// An n-dimensional array read from an IDX file, the format MNIST ships in.
///
/// Layout: two zero bytes, an element-type byte, a dimension-count byte, then one big-endian
/// UInt32 per dimension, then the elements in row-major order, big-endian. Files ending in
/// `.gz` (or starting with the gzip magic) are inflated first. Everything is validated: a
/// truncated, mislabelled or corrupt file throws an `IDXError` naming the file.
public struct IDXArray: Sendable {
    /// The element types the IDX format defines.
    public enum ElementType: UInt8, Sendable {
        /// The IDX element types, by their type code (0x08 unsigned byte … 0x0E double).
        case unsignedByte = 0x08, signedByte = 0x09, short = 0x0B, int = 0x0C, float = 0x0D, double = 0x0E

        /// Bytes per element.
        public var byteWidth: Int {
            switch self {
            case .unsignedByte, .signedByte: return 1
            case .short: return 2
            case .int, .float: return 4
            case .double: return 8
            }
        }
    }

    /// The element type.
    public let elementType: ElementType
    /// The size of each dimension, outermost first.
    public let dimensions: [Int]
    /// The raw big-endian payload.
    public let payload: [UInt8]

    /// The number of elements.
    public var count: Int { dimensions.reduce(1, *) }

    /// The largest IDX file (compressed, or inflated) PolyNet reads: 4 GiB, far above
    /// MNIST's 47 MB, below what would exhaust a 24 GiB machine in its Float copy.
    public static let maximumFileBytes = 1 << 32

    /// Reads an IDX file, gzip-compressed or not; anything but a regular file is refused.
    public init(contentsOf url: URL) throws {
        let bytes = [UInt8](try RegularFile.read(url.path, maximumBytes: Self.maximumFileBytes))
        try self.init(decoding: bytes, path: url.path)
    }

    /// Decodes IDX bytes (inflating gzip first when they start with its magic number);
    /// `path` names the source in errors. Inflation stops one byte past the size the IDX
    /// header promises.
    public init(decoding bytes: [UInt8], path: String = "<memory>") throws {
        let raw = Gzip.isCompressed(bytes) ? try Gzip.decompress(bytes, path: path, limit: Self.promisedSize) : bytes
        guard raw.count >= 4 else { throw IDXError.truncatedHeader(path: path, byteCount: raw.count) }
        guard raw[0] == 0, raw[1] == 0, raw[3] > 0 else {
            throw IDXError.badMagic(path: path, found: Array(raw[0 ..< 4]))
        }
        guard let type = ElementType(rawValue: raw[2]) else {
            throw IDXError.unknownElementType(path: path, code: raw[2])
        }
        let rank = Int(raw[3])
        let headerLength = 4 + 4 * rank
        guard raw.count >= headerLength else { throw IDXError.truncatedHeader(path: path, byteCount: raw.count) }
        var dimensions = [Int]()
        var expected = type.byteWidth
        for axis in 0 ..< rank {
            let offset = 4 + 4 * axis
            let size = raw[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
            dimensions.append(size)
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw IDXError.sizeMismatch(path: path, expectedBytes: .max, actualBytes: raw.count - headerLength)
            }
            expected = product
        }
        guard raw.count - headerLength == expected else {
            throw IDXError.sizeMismatch(path: path, expectedBytes: expected, actualBytes: raw.count - headerLength)
        }
        elementType = type
        self.dimensions = dimensions
        payload = Array(raw[headerLength...])
    }

    /// The most bytes a file starting with `prefix` may hold: its header and the payload the
    /// header promises, plus one byte (so that a longer stream is detected), once the header
    /// is complete; the general maximum before that or when the header is malformed (decoding
    /// then reports the exact problem).
    static func promisedSize(_ prefix: [UInt8]) -> Int {
        guard prefix.count >= 4, prefix[0] == 0, prefix[1] == 0,
              let type = ElementType(rawValue: prefix[2]) else { return maximumFileBytes }
        let headerLength = 4 + 4 * Int(prefix[3])
        guard prefix.count >= headerLength else { return maximumFileBytes }
        var total = type.byteWidth
        for axis in 0 ..< Int(prefix[3]) {
            let offset = 4 + 4 * axis
            let size = prefix[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumFileBytes else { return maximumFileBytes }
            total = product
        }
        return headerLength + total + 1
    }

    /// The elements as Doubles, decoded from big-endian according to the element type.
    public func values() -> [Double] {
        let width = elementType.byteWidth
        return (0 ..< count).map { index in
            let start = index * width
            let bits = payload[start ..< start + width].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            switch elementType {
            case .unsignedByte: return Double(bits)
            case .signedByte: return Double(Int8(truncatingIfNeeded: bits))
            case .short: return Double(Int16(truncatingIfNeeded: bits))
            case .int: return Double(Int32(truncatingIfNeeded: bits))
            case .float: return Double(Float(bitPattern: UInt32(bits)))
            case .double: return Double(bitPattern: bits)
            }
        }
    }
}
