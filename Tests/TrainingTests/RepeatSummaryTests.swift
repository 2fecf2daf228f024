import Testing
@testable import Training

struct RepeatSummaryTests {
    static func metrics(accuracy: Double, testLoss: Double, trainLoss: Double) -> EpochMetrics {
        EpochMetrics(epoch: 1, step: 1, trainLoss: trainLoss, trainAccuracy: 0, testLoss: testLoss, testAccuracy: accuracy,
                     samplesPerSecond: 1, learningRate: 1e-3)
    }

    /// Closed form: for 1, 2, 3 (times a scale) the mean is 2 and the sample variance
    /// ((1 + 0 + 1)/2) 1, so the deviation is the scale. Each value takes a few roundings of
    /// O(1) numbers, so 1e-15 bounds the error (a population deviation, √(2/3)·scale, fails).
    @Test func meanAndSampleDeviationOfAccuracyAndLoss() {
        let summary = RepeatSummary(finalEpochs: [1.0, 2, 3].map {
            Self.metrics(accuracy: 0.9 + 0.01 * $0, testLoss: 0.1 * $0, trainLoss: 0.05 * $0)
        })
        #expect(abs(summary.testAccuracy.mean - 0.92) < 1e-15 && abs(summary.testAccuracy.standardDeviation - 0.01) < 1e-15)
        #expect(abs(summary.testLoss.mean - 0.2) < 1e-15 && abs(summary.testLoss.standardDeviation - 0.1) < 1e-15)
        #expect(abs(summary.trainLoss.mean - 0.1) < 1e-15 && abs(summary.trainLoss.standardDeviation - 0.05) < 1e-15)
        #expect(RepeatSummary(finalEpochs: [Self.metrics(accuracy: 0.5, testLoss: 1, trainLoss: 1)]).testLoss.standardDeviation == 0)
    }
}
