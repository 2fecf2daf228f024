import LinearAlgebra

/// Two interleaving half circles in the plane, the toy classification problem of scikit-learn's
/// `make_moons`: class 0 at (cos t, sin t), class 1 at (1 − cos t, ½ − sin t), t uniform on
/// [0, π], each point moved by independent N(0, noise²) in both coordinates. Seeded through the
/// generator, so a seed gives the same points on every machine.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let moons = try TwoMoons.generate(count: 1000, noise: 0.15, using: &generator)  // 1000 × 2
/// ```
public enum TwoMoons {
    /// The largest number of points generated.
    public static let maximumCount = 10_000_000

    /// `count` points, alternating between the classes (class 0 first), as a data set of 1 × 2
    /// "images" with two classes.
    /// - Throws: ``DatasetError/invalidToyData(_:)`` for fewer than 2 or more than
    ///   ``maximumCount`` points, or a negative or non-finite noise.
    public static func generate(count: Int, noise: Double, using generator: inout some RandomNumberGenerator) throws -> LabeledImages {
        guard (2 ... maximumCount).contains(count) else {
            throw DatasetError.invalidToyData("the number of points must be in 2...\(maximumCount), got \(count)")
        }
        guard noise >= 0, noise.isFinite else {
            throw DatasetError.invalidToyData("the noise must be zero or positive and finite, got \(noise)")
        }
        var images = Matrix<Float>(rows: count, columns: 2)
        var labels = [Int](repeating: 0, count: count)
        for index in 0 ..< count {
            let label = index % 2
            let t = Double.random(in: 0 ... Double.pi, using: &generator)
            let (x, y) = label == 0 ? (Double.cos(t), Double.sin(t)) : (1 - Double.cos(t), 0.5 - Double.sin(t))
            images[index, 0] = Float(x + noise * Double.standardNormal(using: &generator))
            images[index, 1] = Float(y + noise * Double.standardNormal(using: &generator))
            labels[index] = label
        }
        return try LabeledImages(images: images, labels: labels, classCount: 2, imageRows: 1, imageColumns: 2)
    }
}
