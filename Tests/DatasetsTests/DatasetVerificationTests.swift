import CZlib
import Foundation
import Testing
@testable import Datasets

/// The bundled MNIST folder.
private let bundled = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/mnist")

/// A new folder whose MNIST files are symbolic links to the bundled ones, minus `except`.
private func linkedCopy(except: Set<String> = []) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-data-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in Dataset.mnist.files where !except.contains(file.name) {
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(file.name),
                                                   withDestinationURL: bundled.appendingPathComponent(file.name))
    }
    return folder
}

/// Compresses `bytes` as a gzip stream (zlib, window bits 15 + 16), for building test files.
private func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    #expect(deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    var input = bytes
    let produced = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            stream.next_out = target.baseAddress
            stream.avail_out = UInt32(target.count)
            #expect(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return target.count - Int(stream.avail_out)
        }
    }
    return Array(output.prefix(produced))
}

@Suite("Data set verification and gzip limits")
struct DatasetVerificationTests {
    @Test func gzipBombStopsAtTheSizeTheHeaderPromises() throws {
        // A 1-D IDX header promising 10 unsigned bytes, followed by 64 MiB of zeros (64 kB gzip).
        let header: [UInt8] = [0, 0, 0x08, 1, 0, 0, 0, 10]
        let bomb = gzip(header + [UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 1 << 20)
        // The limit is header (8) + payload (10) + 1: inflation stops after the first chunk.
        #expect(throws: IDXError.inflatesBeyond(path: "bomb", limit: 19)) { try IDXArray(decoding: bomb, path: "bomb") }
        // An honest stream of the same header still decodes.
        let honest = try IDXArray(decoding: gzip(header + Array(0 ..< 10)), path: "honest")
        #expect(honest.dimensions == [10])
    }

    /// Verifying a data folder inflates a file whose checksum does not match only as far as
    /// its IDX header promises: a bomb in place of the labels is stopped at once.
    @Test func verificationDoesNotInflateABomb() throws {
        let folder = try linkedCopy(except: ["t10k-labels-idx1-ubyte.gz"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let bomb = gzip([0, 0, 0x08, 1, 0, 0, 0, 10] + [UInt8](repeating: 0, count: 64 << 20))
        try Data(bomb).write(to: folder.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        let path = folder.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path
        #expect(throws: IDXError.inflatesBeyond(path: path, limit: 19)) {
            try DataLocator.directory(for: "mnist", dataDirectory: folder.path)
        }
    }

    @Test func promisedSizeIsOverflowSafe() {
        // 4 dimensions of 2^32 − 1 overflow Int: the general maximum applies.
        let huge: [UInt8] = [0, 0, 0x0E, 4] + [UInt8](repeating: 0xFF, count: 16)
        #expect(IDXArray.promisedSize(huge) == IDXArray.maximumFileBytes)
        #expect(IDXArray.promisedSize([0, 0]) == IDXArray.maximumFileBytes)
        #expect(IDXArray.promisedSize([0, 0, 0x0C, 2, 0, 0, 0, 3, 0, 0, 0, 5]) == 12 + 4 * 15 + 1)
    }

    @Test func bundledFilesAreMNIST() throws {
        try Dataset.mnist.verifyFiles(in: bundled)
        #expect(try DataLocator.directory(for: "mnist", dataDirectory: bundled.path) == bundled)
    }

    @Test func mnistFilesAreNotFashionMNIST() throws {
        let folder = try linkedCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = DatasetError.belongsToAnotherDataset(
            path: folder.appendingPathComponent("train-images-idx3-ubyte.gz").path, expected: "fashion-mnist", found: "mnist")
        #expect(throws: expected) { try DataLocator.directory(for: "fashion-mnist", dataDirectory: folder.path) }
    }

    @Test func uncompressedCopiesVerifyByContent() throws {
        let folder = try linkedCopy(except: ["t10k-labels-idx1-ubyte.gz"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let compressed = [UInt8](try Data(contentsOf: bundled.appendingPathComponent("t10k-labels-idx1-ubyte.gz")))
        let raw = try Gzip.decompress(compressed, path: "labels") { _ in .max }
        try Data(raw).write(to: folder.appendingPathComponent("t10k-labels-idx1-ubyte"))
        try Dataset.mnist.verifyFiles(in: folder)
        // One changed byte is caught.
        var altered = raw
        altered[100] ^= 1
        try Data(altered).write(to: folder.appendingPathComponent("t10k-labels-idx1-ubyte"))
        #expect {
            try Dataset.mnist.verifyFiles(in: folder)
        } throws: { error in
            guard case let .unverified(path, dataset, _) = error as? DatasetError else { return false }
            return path.hasSuffix("t10k-labels-idx1-ubyte") && dataset == "mnist"
        }
    }

    @Test func aFolderInPlaceOfAFileIsNamed() throws {
        let folder = try linkedCopy(except: ["t10k-images-idx3-ubyte.gz"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let imposter = folder.appendingPathComponent("t10k-images-idx3-ubyte.gz")
        try FileManager.default.createDirectory(at: imposter, withIntermediateDirectories: false)
        #expect {
            try DataLocator.directory(for: "mnist", dataDirectory: folder.path)
        } throws: { error in
            "\(error)" == "\(imposter.path) is a directory, not a regular file"
        }
    }

    @Test func unknownNamesAreRefused() {
        #expect(throws: DatasetError.unknown(name: "cifar", known: ["mnist", "fashion-mnist"])) { try Dataset.named("cifar") }
        #expect(Dataset.fashionMNIST.classNames.count == 10 && Dataset.mnist.classCount == 10)
    }
}
