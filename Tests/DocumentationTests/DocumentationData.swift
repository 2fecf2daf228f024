import Foundation
import PolyNet

/// Small slices of the bundled MNIST and small trained models shared by the article tests, so
/// that every article's code runs in well under a few seconds in a debug build.
enum DocumentationData {
    /// MNIST's test file only (10k images load much faster than the 60k training file in a debug
    /// build): images 0..<300 train, 9,800..<10,000 evaluate.
    static let slices = Result { () throws -> (training: LabeledImages, test: LabeledImages) in
        let images = try MNIST.load(.test, from: try DataLocator.mnistDirectory(dataDirectory: nil))
        func slice(_ range: Range<Int>) throws -> LabeledImages {
            try LabeledImages(images: images.images.rows(range), labels: Array(images.labels[range]),
                              classCount: images.classCount, imageRows: images.imageRows,
                              imageColumns: images.imageColumns)
        }
        return (try slice(0 ..< 300), try slice(9_800 ..< 10_000))
    }

    /// A 784→32→10 ReLU MLP trained for one epoch on the training slice, saved as a run
    /// directory (computed once per test process).
    static let reluRun = Result { () throws -> URL in
        let (training, test) = try slices.get()
        var configuration = TrainingConfiguration(architecture: "dense(784,32) relu dense(32,10)")
        configuration.epochs = 1
        configuration.batchSize = 30
        configuration.seed = 1
        let run = temporaryDirectory("relu-mlp")
        var trainer = try Trainer(configuration: configuration, training: training, test: test)
        try trainer.run(outputDirectory: run)
        return run
    }

    /// A fresh directory under the temporary folder (not created).
    static func temporaryDirectory(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("polynet-docs-\(name)-\(UUID())")
    }
}
