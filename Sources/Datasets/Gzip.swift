import CZlib

/// Gzip decompression through zlib.
enum Gzip {
    /// True when `bytes` start with the gzip magic number 1F 8B.
    static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates a whole gzip stream; `path` only names the file in errors.
    ///
    /// `limit` sees the output inflated so far (after each megabyte) and returns the most
    /// bytes the stream may produce, so a reader that learns the expected size from a header
    /// stops a "gzip bomb" at that size plus one byte instead of inflating all of it.
    static func decompress(_ compressed: [UInt8], path: String, limit: ([UInt8]) throws -> Int) throws -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16: expect a gzip header and trailer (CRC-32 and length are checked).
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw IDXError.corruptGzip(path: path, reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(min(compressed.count * 4, 1 << 26))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try compressed.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            repeat {
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0 ..< produced])
                let allowed = try limit(output)
                guard output.count <= allowed else { throw IDXError.inflatesBeyond(path: path, limit: allowed) }
                switch status {
                case Z_OK, Z_STREAM_END:
                    break
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw IDXError.truncatedGzip(path: path)
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw IDXError.corruptGzip(path: path, reason: message)
                }
                if status == Z_OK && stream.avail_in == 0 && produced == 0 {
                    throw IDXError.truncatedGzip(path: path)
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
