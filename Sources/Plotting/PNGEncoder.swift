import CZlib

// PNG layout: an 8-byte signature, then chunks of (big-endian length, 4-byte type, data,
// CRC-32 of type+data). We write IHDR (8-bit truecolour, no interlace), one IDAT holding
// the zlib-compressed scanlines (each prefixed by filter type 0) and IEND. zlib supplies both
// the deflate stream and the CRC-32.

/// Encodes and decodes PNG files of 8-bit RGB images.
public enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The PNG file bytes of `image`.
    public static func encode(_ image: RGBImage) -> [UInt8] {
        var header = [UInt8]()
        appendBigEndian(UInt32(image.width), to: &header)
        appendBigEndian(UInt32(image.height), to: &header)
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type RGB, deflate, filter 0, no interlace
        let stride = image.width * 3
        var scanlines = [UInt8]()
        scanlines.reserveCapacity((stride + 1) * image.height)
        for row in 0 ..< image.height {
            scanlines.append(0)
            scanlines += image.bytes[row * stride ..< (row + 1) * stride]
        }
        var file = signature
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", deflate(scanlines), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// Decodes a PNG written by `encode` (8-bit RGB, no interlace, filter 0), checking the
    /// signature, every chunk's CRC-32 and the size of the inflated data.
    public static func decode(_ bytes: [UInt8]) throws -> RGBImage {
        guard bytes.count >= 8, Array(bytes[0 ..< 8]) == signature else { throw PNGError.badSignature }
        var position = 8
        var width = 0, height = 0
        var compressed = [UInt8]()
        var sawEnd = false
        while position < bytes.count, !sawEnd {
            guard position + 8 <= bytes.count else { throw PNGError.truncatedChunk(type: "?") }
            let length = Int(readBigEndian(bytes, at: position))
            let type = String(decoding: bytes[position + 4 ..< position + 8], as: UTF8.self)
            guard position + 12 + length <= bytes.count else { throw PNGError.truncatedChunk(type: type) }
            let body = Array(bytes[position + 4 ..< position + 8 + length])
            guard readBigEndian(bytes, at: position + 8 + length) == crc32(of: body) else { throw PNGError.badCRC(type: type) }
            let data = body.dropFirst(4)
            switch type {
            case "IHDR":
                guard data.count == 13 else { throw PNGError.corruptData("IHDR of \(data.count) bytes") }
                width = Int(readBigEndian(Array(data), at: 0))
                height = Int(readBigEndian(Array(data), at: 4))
                let layout = Array(data.suffix(5))
                guard layout == [8, 2, 0, 0, 0] else { throw PNGError.unsupported("IHDR layout \(layout)") }
            case "IDAT": compressed += data
            case "IEND": sawEnd = true
            default: break
            }
            position += 12 + length
        }
        guard sawEnd, width > 0, height > 0 else { throw PNGError.corruptData("missing IHDR or IEND") }
        let stride = width * 3
        let raw = try inflate(compressed, expectedCount: (stride + 1) * height)
        var pixels = [UInt8]()
        pixels.reserveCapacity(stride * height)
        for row in 0 ..< height {
            guard raw[row * (stride + 1)] == 0 else { throw PNGError.unsupported("scanline filter \(raw[row * (stride + 1)])") }
            pixels += raw[row * (stride + 1) + 1 ..< (row + 1) * (stride + 1)]
        }
        return RGBImage(width: width, height: height, bytes: pixels)
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &file)
        let body = Array(type.utf8) + data
        file += body
        appendBigEndian(crc32(of: body), to: &file)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func crc32(of bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    private static func deflate(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { compress2(out.baseAddress, &length, $0.baseAddress, uLong(data.count), 6) }
        }
        precondition(status == Z_OK, "zlib compress2 failed with status \(status) on an output buffer of compressBound size")
        return Array(output.prefix(Int(length)))
    }

    private static func inflate(_ data: [UInt8], expectedCount: Int) throws -> [UInt8] {
        var length = uLong(expectedCount)
        var output = [UInt8](repeating: 0, count: expectedCount)
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { uncompress(out.baseAddress, &length, $0.baseAddress, uLong(data.count)) }
        }
        guard status == Z_OK, Int(length) == expectedCount else {
            throw PNGError.corruptData("zlib status \(status), \(length) of \(expectedCount) bytes")
        }
        return output
    }
}
