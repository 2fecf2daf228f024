import PolyNet
import Testing

/// The code of the landing page's "Getting started" (PolyNet.md).
@Suite("Article: Getting started")
struct GettingStartedTests {
    @Test func gettingStarted() throws {
        // A polynomial for GELU on [-6, 6]: its max error and its multiplicative depth under CKKS.
        let fit = try Activation.gelu.approximation(
            ApproximationRequest(method: .minimax, degree: 8, interval: -6 ... 6))
        print("max error", fit.errors.maxError, "depth", fit.costs.last!.depth)

        // A polynomial network from the architecture language, applied to a batch of two images.
        var generator = SeededGenerator(seed: 0)
        var network: Sequential<Float> = try Architecture(parsing: "seed001-poly").makeModel(using: &generator)
        let scores = network(Matrix<Float>(rows: 2, columns: 784))
        print(network.specification, scores.rows, scores.columns)

        #expect(fit.errors.maxError < 0.05)
        #expect(scores.rows == 2 && scores.columns == 10)
    }
}
