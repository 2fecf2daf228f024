import Polynomials
import Datasets
import NeuralNetworks
import PolynomialConversion
import Testing
import Training
@testable import PolyNetCommands

/// Library errors name no flags; the command line words them with the flags that set or fix
/// what they name, in one place (`CommandError.wording`).
@Suite struct CommandErrorTests {
    static let libraryErrors: [any Error & CustomStringConvertible] = [
        TrainingError.outOfRange(setting: .clipNorm, value: "1e-300", requirement: "positive"),
        TrainingError.diverged(step: 3, epoch: 1, place: "the loss", lastGoodCheckpoint: nil),
        TrainingStateError.noRunDirectory("runs/x"),
        TrainingStateError.finished(directory: "runs/x", epochs: 1),
        TrainingStateError.dataChanged(directory: "runs/x", saved: 100, found: 50),
        CheckpointError.missingArchitecture(source: "f.safetensors"),
        CheckpointError.trainingState(source: "runs/a/training-state.safetensors"),
        RunDirectoryError.notEmpty(path: "runs/x", entries: ["metrics.jsonl"]),
        ModelError.tooManyParameters(architecture: "dense(784,10)", count: 7850, limit: 7849),
        ModelError.activationsTooLarge(rows: 64, columns: 1 << 40, limit: 1 << 30),
        DatasetError.notFound(dataset: "mnist", searched: ["Data/mnist"]),
        FetchError.unreachable(url: "https://example.org/x.gz", reason: "timeout"),
        ConversionError.explicitTooLarge(numbers: 100, limit: 10),
        ConversionError.badKeyMapping("no '='"),
        ConversionError.severalBlocks(architecture: "dense(4,3) relu dense(3,3) relu dense(3,2)", blockCount: 2),
        PolynomialError.gaussianMissing,
        PolynomialError.notSmooth(function: "relu", at: 0),
    ]

    @Test func libraryDescriptionsNameNoFlagsAndTheCommandLineAddsThem() {
        for error in Self.libraryErrors {
            #expect(!error.description.contains("--"), "\(error.description)")
            #expect(PolyNetCommand.message(for: error).contains("--"), "\(PolyNetCommand.message(for: error))")
        }
        #expect(PolyNetCommand.message(for: TrainingError.outOfRange(setting: .clipNorm, value: "1e-300", requirement: "positive"))
                == "--clip-norm 1e-300 is out of range: it must be positive")
        #expect(PolyNetCommand.message(for: CheckpointError.trainingState(source: "runs/a/training-state.safetensors"))
            .hasSuffix("polynet train --resume runs/a"))
    }

    @Test func everyTrainingSettingHasAFlag() {
        let flags = TrainingSetting.allCases.map(CommandError.flag(for:))
        #expect(Set(flags).count == TrainingSetting.allCases.count && flags.allSatisfy { $0.hasPrefix("--") })
    }
}
