import Foundation
import PolyNet
import Testing

/// The code of the article "Making a trained network polynomial" (PolynomializingANetwork.md).
@Suite("Article: Making a trained network polynomial")
struct PolynomializingANetworkTests {
    @Test func profileFitReplaceCompareExport() throws {
        let (training, test) = try DocumentationData.slices.get()
        let run = try DocumentationData.reluRun.get()
        let export = DocumentationData.temporaryDirectory("poly-export")
        defer { try? FileManager.default.removeItem(at: export) }

        let original = try Checkpoint<Float>(contentsOf: try RunDirectory.resolveCheckpoint(run.path))
        let model = original.model                                     // dense(784,32) relu dense(32,10)

        // 1. Profile: the distribution of every nonlinearity's inputs over the training set.
        let ranges = try RangeProfile.measure(model, on: training.images)
        let widest = ranges[0].distribution.percentile(99.9)

        // 2. Fit: a minimax polynomial per nonlinearity on its measured interval, widened by 5 %.
        let rule = IntervalRule(tailPercent: nil, margin: 1.05)
        let fits = try ranges.map { try ActivationFit.fit($0, interval: rule, degree: .degree(7)) }
        // …or the degrees that fit a total multiplicative depth, shared by dynamic programming:
        let budgeted = try DepthAllocation.fits(for: ranges, in: model, interval: rule, budget: 8)

        // 3. Replace and compare on the test set.
        var network = try PolynomialNetwork(replacingIn: model, with: fits)
        let comparison = try NetworkComparison(original: model, polynomial: network,
                                               inputs: test.images, labels: test.labels)
        print(comparison.originalAccuracy, comparison.polynomialAccuracy, comparison.agreement, network.totalDepth)

        // 4. Fine-tune the dense layers with the polynomials fixed, keeping inputs in their intervals.
        var tuning = original.configuration!
        tuning.epochs = 1
        try FineTuning.run(&network, configuration: tuning, training: training, test: test, penalty: 1)

        // 5. Export for an HE library: the manifest (intervals, Chebyshev coefficients, depths) and weights.
        let manifest = PolynomialNetworkManifest(network, original: model)
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        try manifest.encoded().write(to: export.appendingPathComponent("manifest.json"))
        try Checkpoint(model: network.model, configuration: original.configuration)
            .write(to: export.appendingPathComponent(PolynomialNetwork.checkpointFileName))

        // 6. Check the export with values that allow nothing but + and ×.
        let verification = try AddMultiplyEvaluator.verify(network, original: model, inputs: test.images.rows(0 ..< 20))
        print(verification.measuredDepth, verification.reportedDepth, verification.largestRelativeDifference)

        #expect(widest > 0)
        #expect(budgeted.count == fits.count)
        #expect(comparison.agreement > 0.5)
        #expect(verification.measuredDepth == verification.reportedDepth)
        #expect(verification.largestRelativeDifference < 1e-3)
        let reloaded = try Checkpoint<Float>(contentsOf: export.appendingPathComponent(PolynomialNetwork.checkpointFileName),
                                             registry: .polynomialNetworks)
        #expect(reloaded.model.layers.count == model.layers.count)
    }
}
