/// The element types a safetensors file can declare.
public enum TensorDType: String, Sendable, CaseIterable {
    /// Boolean, unsigned and signed integer, and 16-bit float types (`dtype` strings of the header).
    case bool = "BOOL", u8 = "U8", i8 = "I8", i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    /// 32- and 64-bit integer and float types (`dtype` strings of the header).
    case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .bool, .u8, .i8: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// Decodes element `index` of little-endian `bytes` as a Double, or nil for a dtype that
    /// is not numeric in a meaningful floating-point sense (BOOL is read as 0/1).
    func value(at index: Int, in bytes: UnsafeRawBufferPointer) -> Double {
        let offset = index * byteWidth
        switch self {
        case .bool, .u8: return Double(bytes[offset])
        case .i8: return Double(Int8(bitPattern: bytes[offset]))
        case .i16: return Double(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case .u16: return Double(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
        case .f16:
            let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            return Double(Float16(bitPattern: bits))
        case .bf16:
            let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            return Double(Float(bitPattern: UInt32(bits) << 16))
        case .i32: return Double(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case .u32: return Double(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case .f32:
            let bits = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            return Double(Float(bitPattern: bits))
        case .f64:
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            return Double(bitPattern: bits)
        case .i64: return Double(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .u64: return Double(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        }
    }
}
