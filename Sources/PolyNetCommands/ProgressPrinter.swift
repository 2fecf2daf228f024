import Foundation
import Training

/// Shows training progress: a redrawn bar on a terminal, one line per epoch otherwise.
struct ProgressPrinter {
    let prefix: String
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private var lastDraw = ContinuousClock.now

    init(prefix: String) { self.prefix = prefix }

    mutating func report(_ event: TrainingEvent) {
        switch event {
        case let .step(progress):
            guard isTerminal, ContinuousClock.now - lastDraw > .milliseconds(100)
                    || progress.stepInEpoch == progress.stepsPerEpoch else { return }
            lastDraw = .now
            let fraction = Double(progress.stepInEpoch) / Double(max(progress.stepsPerEpoch, 1))
            let filled = Int(fraction * 24)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 24 - filled)
            let line = "\(prefix)epoch \(progress.epoch)/\(progress.epochs) \(bar) step \(progress.stepInEpoch)/\(progress.stepsPerEpoch)"
                + "  loss \(String(format: "%.4f", progress.loss))  acc \(accuracyPercent(progress.accuracy))"
                + "  \(Int(progress.samplesPerSecond)) samples/s  ETA \(Int(progress.secondsRemaining.rounded())) s"
            print("\r\(line)\u{1B}[K", terminator: "")
            fflush(nil)  // all streams; `stdout` is a C global Swift 6 rejects
        case let .epoch(metrics):
            if isTerminal { print("\r\u{1B}[K", terminator: "") }
            print("\(prefix)epoch \(metrics.epoch): train loss \(String(format: "%.4f", metrics.trainLoss)) acc \(accuracyPercent(metrics.trainAccuracy))"
                  + " | test loss \(String(format: "%.4f", metrics.testLoss)) acc \(accuracyPercent(metrics.testAccuracy))"
                  + " | \(Int(metrics.samplesPerSecond)) samples/s")
        case .checkpoint:
            break
        }
    }
}
