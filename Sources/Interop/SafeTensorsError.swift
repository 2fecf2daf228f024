import FileSystem

/// Why a safetensors file could not be read, or a tensor could not be taken from it.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file could not be read or written: missing, not a regular file, no permission, ….
    case file(FileSystemError)
    /// Fewer than the 8 bytes of the header length.
    case truncated(byteCount: Int)
    /// The declared header length is larger than the file or than any sane header.
    case absurdHeaderLength(UInt64, fileSize: Int)
    /// The header is not a UTF-8 JSON object of the expected form.
    case malformedHeader(String)
    /// A dtype string the format does not define.
    case unknownDType(tensor: String, dtype: String)
    /// A tensor's byte range does not match its shape and dtype, or lies outside the data.
    case badOffsets(tensor: String, reason: String)
    /// Tensors overlap or leave a hole in the data buffer.
    case notContiguous(reason: String)
    /// No tensor of that name.
    case missingTensor(String, available: [String])
    /// The tensor's dtype cannot be read as floating point.
    case unsupportedConversion(tensor: String, dtype: String)
    /// The tensor does not have the shape the caller needs.
    case shapeMismatch(tensor: String, expected: String, found: [Int])

    public var description: String {
        switch self {
        case let .file(error): return error.description
        case let .truncated(count):
            return "not a safetensors file: \(count) bytes, fewer than the 8-byte header length"
        case let .absurdHeaderLength(length, size):
            return "not a safetensors file: header length \(length) does not fit a file of \(size) bytes"
        case let .malformedHeader(reason): return "malformed safetensors header: \(reason)"
        case let .unknownDType(tensor, dtype): return "tensor '\(tensor)': unknown dtype '\(dtype)'"
        case let .badOffsets(tensor, reason): return "tensor '\(tensor)': \(reason)"
        case let .notContiguous(reason): return "safetensors data is not contiguous: \(reason)"
        case let .missingTensor(name, available):
            let shown = available.prefix(12).joined(separator: ", ") + (available.count > 12 ? ", …" : "")
            return "no tensor named '\(name)'; the file has: \(shown)"
        case let .unsupportedConversion(tensor, dtype):
            return "tensor '\(tensor)' has dtype \(dtype), which cannot be read as floating point"
        case let .shapeMismatch(tensor, expected, found):
            return "tensor '\(tensor)' has shape \(found), expected \(expected)"
        }
    }
}
