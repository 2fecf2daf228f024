/// Why PNG bytes could not be decoded.
public enum PNGError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The 8-byte PNG signature is missing.
    case badSignature
    /// A chunk runs past the end of the data.
    case truncatedChunk(type: String)
    /// A chunk's CRC-32 does not match its contents.
    case badCRC(type: String)
    /// The image uses a feature this reader does not decode.
    case unsupported(String)
    /// The compressed image data is damaged or the wrong size.
    case corruptData(String)

    public var description: String {
        switch self {
        case .badSignature: return "not a PNG file (bad signature)"
        case let .truncatedChunk(type): return "PNG chunk \(type) is truncated"
        case let .badCRC(type): return "PNG chunk \(type) fails its CRC check"
        case let .unsupported(feature): return "unsupported PNG feature: \(feature)"
        case let .corruptData(reason): return "corrupt PNG image data: \(reason)"
        }
    }
}
