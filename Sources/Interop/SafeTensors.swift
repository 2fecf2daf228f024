import FileSystem
import Foundation
import LinearAlgebra

/// A set of named tensors in the safetensors format, as PyTorch and Hugging Face use.
///
/// File layout: an 8-byte little-endian header length N, N bytes of JSON mapping each tensor
/// name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets into the data that
/// follows) plus an optional `"__metadata__"` string map, then the data. Reading validates
/// every field (see `init(decoding:)`); writing pads the header to 8 bytes like the reference
/// implementation, so files load in Python's `safetensors.torch.load_file`.
///
/// ```swift
/// var file = SafeTensors(metadata: ["format": "pt"])
/// file.insert(weights, named: "0.weight")
/// try file.write(to: url)
/// let back = try SafeTensors(contentsOf: url).matrix(named: "0.weight", as: Float.self)
/// ```
public struct SafeTensors: Sendable {
    /// One stored tensor: its dtype, shape and little-endian bytes.
    public struct Tensor: Sendable, Equatable {
        /// The element type.
        public var dtype: TensorDType
        /// The dimensions, outermost first (PyTorch's order).
        public var shape: [Int]
        /// The elements' little-endian bytes, row-major.
        public var bytes: [UInt8]

        /// The number of elements (1 for a scalar of shape []).
        public var count: Int { shape.reduce(1, *) }
    }

    /// Free-form string metadata (`__metadata__`): PolyNet stores the architecture and the
    /// training configuration here.
    public var metadata: [String: String]
    /// Tensor names in insertion (or file) order.
    public private(set) var names: [String] = []
    private var tensors: [String: Tensor] = [:]

    /// An empty set with the given metadata.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds or replaces a tensor.
    public mutating func insert(_ tensor: Tensor, named name: String) {
        precondition(tensor.bytes.count == tensor.count * tensor.dtype.byteWidth,
                     "Tensor '\(name)' of shape \(tensor.shape) needs \(tensor.count * tensor.dtype.byteWidth) bytes, got \(tensor.bytes.count)")
        if tensors.updateValue(tensor, forKey: name) == nil { names.append(name) }
    }

    /// Adds a matrix as F32 (Float) or F64 (Double); `shape` defaults to [rows, columns] and
    /// may be any shape with the same element count (e.g. [n] for a bias).
    public mutating func insert<Scalar: BLASScalar>(_ matrix: Matrix<Scalar>, named name: String, shape: [Int]? = nil) {
        insert(Array(matrix.elements), named: name, shape: shape ?? [matrix.rows, matrix.columns])
    }

    /// Adds values as F32 (Float) or F64 (Double) with the given shape.
    public mutating func insert<Scalar: BLASScalar>(_ values: [Scalar], named name: String, shape: [Int]) {
        precondition(shape.reduce(1, *) == values.count,
                     "Tensor '\(name)': \(values.count) values do not fill shape \(shape)")
        let dtype: TensorDType = Scalar.self == Double.self ? .f64 : .f32
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * dtype.byteWidth)
        for value in values {
            if dtype == .f64 {
                withUnsafeBytes(of: Double(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            } else {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        insert(Tensor(dtype: dtype, shape: shape, bytes: bytes), named: name)
    }

    /// The tensor called `name`.
    public func tensor(named name: String) throws -> Tensor {
        guard let tensor = tensors[name] else { throw SafeTensorsError.missingTensor(name, available: names) }
        return tensor
    }

    /// The shape of the tensor called `name`.
    public func shape(of name: String) throws -> [Int] { try tensor(named: name).shape }

    /// The elements of a floating-point (or integer) tensor converted to `Scalar`.
    public func values<Scalar: BLASScalar>(named name: String, as _: Scalar.Type = Scalar.self) throws -> [Scalar] {
        let tensor = try tensor(named: name)
        if tensor.dtype == .bool {
            throw SafeTensorsError.unsupportedConversion(tensor: name, dtype: tensor.dtype.rawValue)
        }
        return tensor.bytes.withUnsafeBytes { raw in
            (0 ..< tensor.count).map { Scalar(tensor.dtype.value(at: $0, in: raw)) }
        }
    }

    /// A tensor as a matrix: shape [r, c] as r×c, [n] as 1×n, higher ranks as
    /// first dimension × product of the rest.
    public func matrix<Scalar: BLASScalar>(named name: String, as _: Scalar.Type = Scalar.self) throws -> Matrix<Scalar> {
        let shape = try self.shape(of: name)
        let rows = shape.count >= 2 ? shape[0] : 1
        let columns = shape.count >= 2 ? shape.dropFirst().reduce(1, *) : shape.first ?? 1
        return Matrix(rows: rows, columns: columns, elements: try values(named: name, as: Scalar.self))
    }

    /// Reads and validates a safetensors file.
    ///
    /// - Throws: `SafeTensorsError.file` when `url` is missing or is not a regular file (a
    ///   directory, a FIFO, a device: refused before it is opened, so none hangs), and the
    ///   errors of `init(decoding:)`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try RegularFile.read(url.path)
        } catch {
            throw SafeTensorsError.file(error)
        }
        try self.init(decoding: [UInt8](data))
    }

    /// Writes the file (header padded to a multiple of 8 bytes) atomically: through a
    /// temporary file renamed over the target, so an interrupted write leaves the old file.
    ///
    /// - Throws: `SafeTensorsError.file` when the target is not a regular file or its folder
    ///   is missing or not writable.
    public func write(to url: URL) throws {
        do {
            try RegularFile.write(Data(encoded()), to: url.path)
        } catch {
            throw SafeTensorsError.file(error)
        }
    }
}
