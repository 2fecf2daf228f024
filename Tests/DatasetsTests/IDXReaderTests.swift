import Datasets
import Foundation
import LinearAlgebra
import Testing
import TestSupport

/// The bundled MNIST test labels (4,540 bytes gzip): small real bytes to corrupt.
private let labelsURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Data/mnist/t10k-labels-idx1-ubyte.gz")

private func realLabelBytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: labelsURL)) }

/// The same file inflated (via our reader's own payload plus a rebuilt header).
private func rawLabelBytes() throws -> [UInt8] {
    let array = try IDXArray(contentsOf: labelsURL)
    return [0, 0, 0x08, 1, 0, 0, 0x27, 0x10] + array.payload
}

@Suite("IDX reader")
struct IDXReaderTests {
    @Test func readsRealMNISTTestSet() throws {
        let directory = try DataLocator.mnistDirectory(dataDirectory: nil)
        let test = try MNIST.load(.test, from: directory)
        #expect(test.count == 10_000)
        #expect(test.imageRows == 28 && test.imageColumns == 28 && test.images.columns == 784)
        #expect(Array(test.labels.prefix(5)) == [7, 2, 1, 0, 4])
        #expect(test.images.elements.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(test.classCounts() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    }

    @Test func readsUncompressedBytes() throws {
        let array = try IDXArray(decoding: try rawLabelBytes())
        #expect(array.dimensions == [10_000])
        #expect(array.values().prefix(5) == [7, 2, 1, 0, 4])
    }

    @Test func truncatedGzipThrows() throws {
        let bytes = try realLabelBytes()
        #expect(throws: IDXError.truncatedGzip(path: "t")) {
            try IDXArray(decoding: Array(bytes.prefix(bytes.count / 2)), path: "t")
        }
    }

    @Test func corruptGzipThrows() throws {
        var bytes = try realLabelBytes()
        for index in stride(from: 40, to: 400, by: 7) { bytes[index] ^= 0x5A }
        #expect {
            try IDXArray(decoding: bytes, path: "c")
        } throws: { error in
            if case .corruptGzip(path: "c", _) = error as? IDXError { return true }
            return false
        }
    }

    @Test func wrongMagicThrows() throws {
        var bytes = try rawLabelBytes()
        bytes[0] = 0x12
        #expect(throws: IDXError.badMagic(path: "m", found: [0x12, 0, 0x08, 1])) {
            try IDXArray(decoding: bytes, path: "m")
        }
        var unknownType = try rawLabelBytes()
        unknownType[2] = 0x07
        #expect(throws: IDXError.unknownElementType(path: "m", code: 0x07)) {
            try IDXArray(decoding: unknownType, path: "m")
        }
    }

    @Test func wrongSizeThrows() throws {
        let bytes = try rawLabelBytes()
        #expect(throws: IDXError.sizeMismatch(path: "s", expectedBytes: 10_000, actualBytes: 9_999)) {
            try IDXArray(decoding: Array(bytes.dropLast()), path: "s")
        }
        var bigger = bytes
        bigger[6] = 0xFF  // the header now claims 65,296 + … labels
        #expect(throws: (any Error).self) { try IDXArray(decoding: bigger, path: "s") }
        #expect(throws: IDXError.truncatedHeader(path: "s", byteCount: 6)) {
            try IDXArray(decoding: Array(bytes.prefix(6)), path: "s")
        }
        // A header whose dimensions overflow Int must throw, not trap.
        let overflowing: [UInt8] = [0, 0, 0x08, 4] + [UInt8](repeating: 0xFF, count: 16)
        #expect(throws: (any Error).self) { try IDXArray(decoding: overflowing, path: "o") }
    }

    @Test func everyPrefixOfTheRealFileThrowsOrDecodes() throws {
        // Fuzz-style sweep: no prefix of a real gzip file may crash the reader.
        let bytes = try realLabelBytes()
        for length in stride(from: 0, to: bytes.count, by: 97) {
            #expect(throws: (any Error).self) { try IDXArray(decoding: Array(bytes.prefix(length))) }
        }
    }

    @Test func missingDataNamesWhereItLooked() {
        #expect {
            try DataLocator.mnistDirectory(dataDirectory: "/nonexistent/polynet")
        } throws: { error in
            "\(error)".contains("/nonexistent/polynet")
        }
    }
}

@Suite("Labelled images")
struct LabeledImagesTests {
    @Test func batchesCoverEveryExampleOnceAndAreSeeded() throws {
        let data = try MNIST.load(.test, from: try DataLocator.mnistDirectory(dataDirectory: nil)).prefix(103)
        var first = SeededGenerator(seed: 9), second = SeededGenerator(seed: 9)
        let batches = data.shuffledBatches(size: 10, using: &first)
        #expect(batches.count == 11 && batches.last?.count == 3)
        #expect(batches.joined().sorted() == Array(0 ..< 103))
        #expect(batches == data.shuffledBatches(size: 10, using: &second))
        let (images, labels) = data.batch(batches[0])
        #expect(images.rows == 10 && labels == batches[0].map { data.labels[$0] })
    }

    @Test func standardizationGivesZeroMeanUnitVariance() throws {
        let data = try MNIST.load(.test, from: try DataLocator.mnistDirectory(dataDirectory: nil)).prefix(500)
        let (mean, deviation) = data.standardized().pixelStatistics()
        // Each pixel becomes fl(fl(x − fl(m))·fl(1/σ)) in Float: (x − m)/σ·(1 + η) with
        // |η| ≤ 3u (u = 2⁻²⁴), minus m·δ/σ from rounding m (|δ| ≤ u). So the mean is at most
        // 3u·mean|x − m|/σ + u·m/σ ≤ (3 + m/σ)·u, and the deviation moves by at most
        // rms((x − m)/σ·η) ≤ 3u. The statistics of n pixels summed in Double add 2γ_n·(1 + m/σ).
        let (rawMean, rawDeviation) = data.pixelStatistics()
        let ratio = rawMean / rawDeviation
        let bound = (3 + ratio) * unitRoundoff(Float.self) + 2 * gamma(data.images.elements.count, Double.self) * (1 + ratio)
        #expect(abs(mean) <= bound && abs(deviation - 1) <= bound, "mean \(mean), deviation \(deviation), bound \(bound)")
    }

    @Test func mismatchedCountsThrow() {
        #expect(throws: DatasetError.countMismatch(images: 2, labels: 1)) {
            try LabeledImages(images: .init(rows: 2, columns: 4), labels: [0], classCount: 10, imageRows: 2, imageColumns: 2)
        }
        #expect(throws: DatasetError.labelOutOfRange(label: 12, index: 1, classCount: 10)) {
            try LabeledImages(images: .init(rows: 2, columns: 4), labels: [0, 12], classCount: 10, imageRows: 2, imageColumns: 2)
        }
    }
}
