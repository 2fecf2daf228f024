/// Why an IDX file (the MNIST format) could not be read. Every case names the file.
public enum IDXError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Fewer bytes than the 4-byte magic number plus the dimension sizes.
    case truncatedHeader(path: String, byteCount: Int)
    /// The magic number does not start with two zero bytes, or declares no dimensions.
    case badMagic(path: String, found: [UInt8])
    /// The element-type byte is not one the IDX format defines.
    case unknownElementType(path: String, code: UInt8)
    /// The payload is not exactly the size the dimensions and element type imply.
    case sizeMismatch(path: String, expectedBytes: Int, actualBytes: Int)
    /// The gzip stream is damaged.
    case corruptGzip(path: String, reason: String)
    /// The gzip stream ends before its end marker.
    case truncatedGzip(path: String)
    /// The gzip stream inflates to more bytes than the IDX header promises (or than the
    /// reader accepts at all).
    case inflatesBeyond(path: String, limit: Int)

    public var description: String {
        switch self {
        case let .truncatedHeader(path, count):
            return "\(path): only \(count) bytes, too short for an IDX header; the file is truncated"
        case let .badMagic(path, found):
            let hex = found.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            return "\(path): not an IDX file (magic bytes \(hex); expected 00 00 <type> <dimensions>)"
        case let .unknownElementType(path, code):
            return "\(path): unknown IDX element type 0x\(String(code, radix: 16)) (expected 08, 09, 0B, 0C, 0D or 0E)"
        case let .sizeMismatch(path, expected, actual):
            return "\(path): the header promises \(expected) bytes of data but \(actual) follow; the file is truncated or not what it claims"
        case let .corruptGzip(path, reason):
            return "\(path): corrupt gzip data (\(reason)); download the file again"
        case let .inflatesBeyond(path, limit):
            return "\(path): the gzip data inflates to more than \(limit) bytes, more than its IDX header promises; the file is corrupt or not what it claims"
        case let .truncatedGzip(path):
            return "\(path): the gzip stream ends early; the file is truncated, download it again"
        }
    }
}
