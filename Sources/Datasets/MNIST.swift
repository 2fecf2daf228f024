import Foundation
import LinearAlgebra

/// The MNIST handwritten digits: 60,000 training and 10,000 test images of 28×28 pixels.
///
/// ```swift
/// let directory = try DataLocator.mnistDirectory(dataDirectory: nil)
/// let test = try MNIST.load(.test, from: directory)   // pixels in [0, 1]
/// ```
public enum MNIST {
    /// Which part of the data set.
    public enum Split: String, Sendable, CaseIterable {
        /// The training split (`train-*` files) and the test split (`t10k-*` files).
        case train, test

        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// The files MNIST needs in its directory (each may also be present without `.gz`).
    public static let fileNames = Split.allCases.flatMap {
        ["\($0.filePrefix)-images-idx3-ubyte.gz", "\($0.filePrefix)-labels-idx1-ubyte.gz"]
    }

    /// Loads one split from `directory`, with pixels scaled to [0, 1].
    ///
    /// Works for any data set in MNIST's file layout (Fashion-MNIST uses the same names).
    public static func load(_ split: Split, from directory: URL) throws -> LabeledImages {
        let images = try IDXArray(contentsOf: file(split, "images-idx3-ubyte", in: directory))
        let labels = try IDXArray(contentsOf: file(split, "labels-idx1-ubyte", in: directory))
        let imagePath = directory.appendingPathComponent("\(split.filePrefix)-images").path
        guard images.elementType == .unsignedByte, images.dimensions.count == 3 else {
            throw DatasetError.unexpectedLayout(path: imagePath, expected: "unsigned bytes in 3 dimensions",
                                                found: "\(images.elementType) in \(images.dimensions.count)")
        }
        guard labels.elementType == .unsignedByte, labels.dimensions.count == 1 else {
            throw DatasetError.unexpectedLayout(path: imagePath, expected: "unsigned-byte labels in 1 dimension",
                                                found: "\(labels.elementType) in \(labels.dimensions.count)")
        }
        let (count, rows, columns) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
        var pixels = Matrix<Float>(rows: count, columns: rows * columns)
        images.payload.withUnsafeBufferPointer { bytes in
            pixels.elements.withUnsafeMutableBufferPointer { target in
                for i in target.indices { target[i] = Float(bytes[i]) / 255 }
            }
        }
        return try LabeledImages(images: pixels, labels: labels.payload.map(Int.init), classCount: 10,
                                 imageRows: rows, imageColumns: columns)
    }

    private static func file(_ split: Split, _ suffix: String, in directory: URL) -> URL {
        let compressed = directory.appendingPathComponent("\(split.filePrefix)-\(suffix).gz")
        let plain = directory.appendingPathComponent("\(split.filePrefix)-\(suffix)")
        return FileManager.default.fileExists(atPath: compressed.path) || !FileManager.default.fileExists(atPath: plain.path)
            ? compressed : plain
    }
}
