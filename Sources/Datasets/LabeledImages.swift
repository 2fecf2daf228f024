import LinearAlgebra

/// Images with integer class labels, one image per row of a Float matrix.
public struct LabeledImages: Sendable {
    /// n × (imageRows·imageColumns) pixels, row-major per image.
    public var images: Matrix<Float>
    /// The class of each image, in 0..<classCount.
    public var labels: [Int]
    /// The number of classes.
    public var classCount: Int
    /// The height of one image.
    public var imageRows: Int
    /// The width of one image.
    public var imageColumns: Int

    /// Pairs images with labels, checking that they agree in count and range.
    public init(images: Matrix<Float>, labels: [Int], classCount: Int, imageRows: Int, imageColumns: Int) throws {
        precondition(images.columns == imageRows * imageColumns,
                     "Images have \(images.columns) pixels, not \(imageRows)×\(imageColumns)")
        guard images.rows == labels.count else {
            throw DatasetError.countMismatch(images: images.rows, labels: labels.count)
        }
        if let index = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
            throw DatasetError.labelOutOfRange(label: labels[index], index: index, classCount: classCount)
        }
        self.images = images
        self.labels = labels
        self.classCount = classCount
        self.imageRows = imageRows
        self.imageColumns = imageColumns
    }

    /// The number of examples.
    public var count: Int { labels.count }

    /// The first `n` examples (all of them when n ≥ count): small slices for tests and demos.
    public func prefix(_ n: Int) -> LabeledImages {
        var copy = self
        let kept = Swift.min(Swift.max(n, 0), count)
        copy.images = images.rows(0 ..< kept)
        copy.labels = Array(labels[0 ..< kept])
        return copy
    }

    /// How many examples each class has.
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// Mean and standard deviation over every pixel of every image.
    public func pixelStatistics() -> (mean: Double, standardDeviation: Double) {
        images.elements.withUnsafeBufferPointer { pixels in
            var sum = 0.0, sumOfSquares = 0.0
            for value in pixels {
                sum += Double(value)
                sumOfSquares += Double(value) * Double(value)
            }
            let n = Double(Swift.max(pixels.count, 1))
            let mean = sum / n
            return (mean, Swift.max(sumOfSquares / n - mean * mean, 0).squareRoot())
        }
    }

    /// Pixels shifted and scaled to zero mean and unit variance, using the given statistics
    /// (pass the training set's to the test set) or this set's own.
    public func standardized(using statistics: (mean: Double, standardDeviation: Double)? = nil) -> LabeledImages {
        let (mean, deviation) = statistics ?? pixelStatistics()
        let shift = Float(mean), scale = Float(1 / Swift.max(deviation, .leastNormalMagnitude))
        var copy = self
        copy.images.apply { ($0 - shift) * scale }
        return copy
    }

    /// The example indices split into batches of `size` (the last may be smaller), in an
    /// order shuffled by `generator`.
    public func shuffledBatches<G: RandomNumberGenerator>(size: Int, using generator: inout G) -> [[Int]] {
        precondition(size > 0, "Batch size must be positive, got \(size)")
        let order = Array(0 ..< count).shuffled(using: &generator)
        return stride(from: 0, to: count, by: size).map { Array(order[$0 ..< Swift.min($0 + size, count)]) }
    }

    /// The examples at `indices` as one batch.
    public func batch(_ indices: [Int]) -> (images: Matrix<Float>, labels: [Int]) {
        (images.rows(at: indices), indices.map { labels[$0] })
    }
}
