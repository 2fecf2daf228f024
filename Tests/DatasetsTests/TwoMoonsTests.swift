import LinearAlgebra
import Testing
@testable import Datasets

@Suite("Two moons")
struct TwoMoonsTests {
    /// Without noise every point lies on its half circle: class 0 at distance 1 from (0, 0) with
    /// y ≥ 0, class 1 at distance 1 from (1, ½) with y ≤ ½ (Float coordinates: 1e-6). Classes
    /// alternate, and a seed gives the same points.
    @Test func pointsLieOnTheirMoons() throws {
        var generator = SeededGenerator(seed: 3)
        let moons = try TwoMoons.generate(count: 401, noise: 0, using: &generator)
        #expect(moons.count == 401 && moons.images.columns == 2 && moons.classCount == 2)
        for index in 0 ..< moons.count {
            let (x, y) = (Double(moons.images[index, 0]), Double(moons.images[index, 1]))
            #expect(moons.labels[index] == index % 2)
            if index % 2 == 0 {
                #expect(abs((x * x + y * y).squareRoot() - 1) <= 1e-6 && y >= -1e-7)
            } else {
                #expect(abs(((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5)).squareRoot() - 1) <= 1e-6 && y <= 0.5 + 1e-7)
            }
        }
        var (first, second) = (SeededGenerator(seed: 9), SeededGenerator(seed: 9))
        #expect(try TwoMoons.generate(count: 50, noise: 0.2, using: &first).images
                == TwoMoons.generate(count: 50, noise: 0.2, using: &second).images)
    }

    /// The noise has the asked standard deviation: the distances of 20,000 noisy class-0 points
    /// from the unit circle's nearest point, per coordinate, average σ² within 5% (the standard
    /// error of a variance estimate from 20,000 samples is √(2/n) ≈ 1%).
    @Test func noiseHasTheAskedSpread() throws {
        var generator = SeededGenerator(seed: 4)
        let clean = try TwoMoons.generate(count: 40_000, noise: 0, using: &generator)
        generator = SeededGenerator(seed: 4)
        let noisy = try TwoMoons.generate(count: 40_000, noise: 0.1, using: &generator)
        // Each point draws t, then two normal samples (drawn even when the noise is 0), so the
        // clean and the noisy points from the same seed pair up.
        var sum = 0.0
        for index in stride(from: 0, to: 40_000, by: 2) {
            for column in 0 ..< 2 {
                let delta = Double(noisy.images[index, column]) - Double(clean.images[index, column])
                sum += delta * delta
            }
        }
        #expect(abs(sum / 40_000 / 0.01 - 1) <= 0.05)
    }

    @Test func badRequestsAreRefused() {
        var generator = SeededGenerator(seed: 5)
        #expect(throws: DatasetError.self) { try TwoMoons.generate(count: 1, noise: 0.1, using: &generator) }
        #expect(throws: DatasetError.self) { try TwoMoons.generate(count: Int.max, noise: 0.1, using: &generator) }
        #expect(throws: DatasetError.self) { try TwoMoons.generate(count: 10, noise: -1, using: &generator) }
        #expect(throws: DatasetError.self) { try TwoMoons.generate(count: 10, noise: .nan, using: &generator) }
    }
}
