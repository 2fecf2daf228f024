import Foundation

extension SafeTensors {
    /// The largest header accepted (the reference implementation's limit).
    static let maximumHeaderLength = 100_000_000

    /// Decodes and validates safetensors bytes.
    ///
    /// Checks: the 8-byte length is present and the header fits the file and the limit; the
    /// header is a JSON object; every dtype is known; every shape is a list of non-negative
    /// integers; every `data_offsets` pair lies in the data and spans exactly
    /// shape × dtype-size bytes; the tensors tile the data buffer with no overlap and no hole;
    /// `__metadata__` maps strings to strings.
    public init(decoding bytes: [UInt8]) throws {
        guard bytes.count >= 8 else { throw SafeTensorsError.truncated(byteCount: bytes.count) }
        let headerLength = bytes[0 ..< 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(Self.maximumHeaderLength), Int(headerLength) <= bytes.count - 8 else {
            throw SafeTensorsError.absurdHeaderLength(headerLength, fileSize: bytes.count)
        }
        let headerEnd = 8 + Int(headerLength)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes[8 ..< headerEnd]))
        } catch {
            throw SafeTensorsError.malformedHeader("not valid JSON")
        }
        guard let header = parsed as? [String: Any] else {
            throw SafeTensorsError.malformedHeader("the header is not a JSON object")
        }
        var metadata = [String: String]()
        if let raw = header["__metadata__"] {
            guard let strings = raw as? [String: String] else {
                throw SafeTensorsError.malformedHeader("__metadata__ must map strings to strings")
            }
            metadata = strings
        }
        self.init(metadata: metadata)

        let dataLength = bytes.count - headerEnd
        var entries = [(name: String, dtype: TensorDType, shape: [Int], begin: Int, end: Int)]()
        for (name, value) in header where name != "__metadata__" {
            guard let fields = value as? [String: Any] else {
                throw SafeTensorsError.malformedHeader("entry '\(name)' is not an object")
            }
            guard let dtypeName = fields["dtype"] as? String else {
                throw SafeTensorsError.malformedHeader("entry '\(name)' has no dtype string")
            }
            guard let dtype = TensorDType(rawValue: dtypeName) else {
                throw SafeTensorsError.unknownDType(tensor: name, dtype: dtypeName)
            }
            guard let shape = Self.integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError.malformedHeader("entry '\(name)' has no list of non-negative integers as shape")
            }
            guard let offsets = Self.integers(fields["data_offsets"]), offsets.count == 2 else {
                throw SafeTensorsError.malformedHeader("entry '\(name)' has no [begin, end] data_offsets")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw SafeTensorsError.badOffsets(tensor: name, reason: "data_offsets [\(begin), \(end)] outside the \(dataLength) data bytes")
            }
            var expected = dtype.byteWidth
            for size in shape {
                let (product, overflow) = expected.multipliedReportingOverflow(by: size)
                guard !overflow else {
                    throw SafeTensorsError.badOffsets(tensor: name, reason: "shape \(shape) is too large")
                }
                expected = product
            }
            guard end - begin == expected else {
                throw SafeTensorsError.badOffsets(tensor: name, reason: "shape \(shape) of \(dtypeName) needs \(expected) bytes but data_offsets span \(end - begin)")
            }
            entries.append((name, dtype, shape, begin, end))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var position = 0
        for entry in entries {
            guard entry.begin == position else {
                throw SafeTensorsError.notContiguous(reason: entry.begin < position
                    ? "tensor '\(entry.name)' overlaps the one before it (starts at \(entry.begin), previous ends at \(position))"
                    : "a hole of \(entry.begin - position) bytes before tensor '\(entry.name)'")
            }
            position = entry.end
        }
        guard position == dataLength else {
            throw SafeTensorsError.notContiguous(reason: "\(dataLength - position) bytes after the last tensor belong to none")
        }
        for entry in entries {
            let slice = Array(bytes[headerEnd + entry.begin ..< headerEnd + entry.end])
            insert(Tensor(dtype: entry.dtype, shape: entry.shape, bytes: slice), named: entry.name)
        }
    }

    /// The file's bytes: header length, JSON header padded with spaces to 8 bytes, data.
    public func encoded() -> [UInt8] {
        var fields = [String]()
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        var data = [UInt8]()
        for name in names {
            let tensor = try! tensor(named: name)  // `names` and `tensors` always agree.
            let end = offset + tensor.bytes.count
            fields.append("\(JSONText.quoted(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            data.append(contentsOf: tensor.bytes)
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var result = [UInt8]()
        result.reserveCapacity(8 + header.count + data.count)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { result.append(contentsOf: $0) }
        result.append(contentsOf: header)
        result.append(contentsOf: data)
        return result
    }

    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result = [Int]()
        for element in array {
            // JSONSerialization gives NSNumber; reject fractions.
            guard let number = element as? NSNumber,
                  let integer = Int(exactly: number.doubleValue) else { return nil }
            result.append(integer)
        }
        return result
    }
}
