import Foundation
import Interop
import LinearAlgebra
import Testing
import TestSupport

private let fixture = Bundle.module.url(forResource: "pytorch-written", withExtension: "safetensors",
                                         subdirectory: "Fixtures")!

/// A valid file of our own to corrupt: two F32 tensors and metadata.
private func sampleBytes() -> [UInt8] {
    var file = SafeTensors(metadata: ["polynet.arch": "dense(3,2)"])
    file.insert(Matrix<Float>([[1, 2, 3], [4, 5, 6]]), named: "0.weight")
    file.insert([Float(0.5), -0.5], named: "0.bias", shape: [2])
    return file.encoded()
}

/// Replaces the JSON header of `bytes` with `header` (re-encoding its length).
private func withHeader(_ header: String, data: [UInt8]) -> [UInt8] {
    let json = Array(header.utf8)
    var result = [UInt8]()
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { result.append(contentsOf: $0) }
    return result + json + data
}

@Suite("safetensors")
struct SafeTensorsTests {
    @Test func readsAFileWrittenByPyTorch() throws {
        let file = try SafeTensors(contentsOf: fixture)
        #expect(file.metadata["source"]?.hasPrefix("torch") == true)
        #expect(try file.shape(of: "0.weight") == [3, 4])
        let weight = try file.matrix(named: "0.weight", as: Float.self)
        #expect(weight == Matrix(rows: 3, columns: 4, elements: (0 ..< 12).map { Float($0) / 8 - 0.5 }))
        #expect(try file.values(named: "0.bias", as: Double.self) == [1.5, -2.0, 0.25])
        #expect(try file.values(named: "2.weight", as: Double.self) == [1, 2, 3])
        // Exactly representable in half and bfloat16, so the conversion must be exact.
        #expect(try file.values(named: "half", as: Double.self) == [0.5, -1, 65504])
        #expect(try file.values(named: "brain", as: Float.self) == [1, -3])
        #expect(try file.values(named: "count", as: Double.self) == [7, -9])
    }

    @Test func roundTripsOurOwnFiles() throws {
        let bytes = sampleBytes()
        #expect((bytes.count - 8 - 24) % 8 == 0)  // header padded to 8 bytes
        let file = try SafeTensors(decoding: bytes)
        #expect(file.names == ["0.weight", "0.bias"])
        #expect(file.metadata == ["polynet.arch": "dense(3,2)"])
        #expect(try file.matrix(named: "0.weight", as: Float.self) == Matrix([[1, 2, 3], [4, 5, 6]]))
        #expect(try file.shape(of: "0.bias") == [2])
        var generator = SeededGenerator(seed: 1)
        let doubles = Matrix<Double>.randomNormal(rows: 5, columns: 7, using: &generator)
        var precise = SafeTensors()
        precise.insert(doubles, named: "w \"quoted\"\n")
        #expect(try SafeTensors(decoding: precise.encoded()).matrix(named: "w \"quoted\"\n", as: Double.self) == doubles)
    }

    @Test func missingTensorNamesTheAvailableOnes() throws {
        let file = try SafeTensors(decoding: sampleBytes())
        #expect(throws: SafeTensorsError.missingTensor("2.weight", available: ["0.weight", "0.bias"])) {
            try file.matrix(named: "2.weight", as: Float.self)
        }
    }

    @Test func truncatedFilesThrow() {
        let bytes = sampleBytes()
        for length in 0 ..< bytes.count {
            #expect(throws: (any Error).self) { try SafeTensors(decoding: Array(bytes.prefix(length))) }
        }
    }

    @Test func absurdHeaderLengthThrows() {
        var bytes = sampleBytes()
        for index in 0 ..< 8 { bytes[index] = 0xFF }
        #expect(throws: SafeTensorsError.absurdHeaderLength(.max, fileSize: bytes.count)) {
            try SafeTensors(decoding: bytes)
        }
    }

    @Test func badDTypeThrows() {
        let bytes = withHeader(#"{"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        #expect(throws: SafeTensorsError.unknownDType(tensor: "a", dtype: "F31")) { try SafeTensors(decoding: bytes) }
    }

    @Test func overlappingOffsetsThrow() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect {
            try SafeTensors(decoding: withHeader(header, data: [UInt8](repeating: 0, count: 12)))
        } throws: { error in
            if case .notContiguous = error as? SafeTensorsError { return "\(error)".contains("overlaps") }
            return false
        }
    }

    @Test func inconsistentEntriesThrow() {
        let cases = [
            #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,       // shape needs 12 bytes
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#,      // past the data
            #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,       // hole at the start
            #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,      // negative size
            #"{"a":{"dtype":"F32","shape":[2]}}"#,                             // no offsets
            #"{"__metadata__":{"k":3},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
            #"[1, 2]"#,
            #"{"a":"#,
        ]
        for header in cases {
            #expect(throws: SafeTensorsError.self, "\(header)") {
                try SafeTensors(decoding: withHeader(header, data: [UInt8](repeating: 0, count: 8)))
            }
        }
    }

    @Test(.enabled(if: PythonSafetensors.available))
    func ourFilesLoadInPythonSafetensors() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors(decoding: sampleBytes()).write(to: url)
        let output = try PythonSafetensors.run("""
            from safetensors.numpy import load_file; from safetensors import safe_open
            t = load_file('\(url.path)'); m = safe_open('\(url.path)', 'np').metadata()
            print(t['0.weight'].tolist(), t['0.bias'].tolist(), m['polynet.arch'])
            """)
        #expect(output == "[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]] [0.5, -0.5] dense(3,2)\n")
    }
}

/// Python with the `safetensors` package, when this machine has one (`$POLYNET_PYTHON` or
/// `python3`): the cross-check with the reference implementation runs only there.
enum PythonSafetensors {
    static let executable = ProcessInfo.processInfo.environment["POLYNET_PYTHON"] ?? "/usr/bin/env"

    static let available: Bool = (try? run("import safetensors.numpy")) != nil

    static func run(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = (executable == "/usr/bin/env" ? ["python3"] : []) + ["-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Reading and writing go through `RegularFile`: a FIFO, a device or a directory is refused
/// with a message naming it (no hang, no endless read), and writes are atomic.
struct SafeTensorsFileTests {
    @Test func nonRegularFilesAreRefusedByKind() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-st-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        func reason(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(reason { _ = try SafeTensors(contentsOf: fifo) } == "\(fifo.path) is a FIFO, not a regular file")
        #expect(reason { _ = try SafeTensors(contentsOf: URL(fileURLWithPath: "/dev/zero")) } == "/dev/zero is a character device, not a regular file")
        #expect(reason { _ = try SafeTensors(contentsOf: folder) } == "\(folder.path) is a directory, not a regular file")
        #expect(reason { _ = try SafeTensors(contentsOf: folder.appendingPathComponent("none")) } == "\(folder.path)/none does not exist")
        #expect(reason { try SafeTensors().write(to: folder) } == "\(folder.path) is a directory, not a regular file")
        let target = folder.appendingPathComponent("a.safetensors")
        var file = SafeTensors(metadata: ["k": "v"])
        file.insert([Float(1), 2], named: "x", shape: [2])
        try file.write(to: target)
        #expect(try SafeTensors(contentsOf: target).values(named: "x", as: Float.self) == [1, 2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["a.safetensors", "pipe"])
    }
}
