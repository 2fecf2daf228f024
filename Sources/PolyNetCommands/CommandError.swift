import Activations
import Datasets
import Interpretability
import NeuralNetworks
import Polynomials
import PolynomialConversion
import Training

/// Errors the command line itself raises, worded for its user.
enum CommandError: Error, CustomStringConvertible {
    /// Reading or converting one file of several failed; `reason` is the underlying message.
    case inFile(path: String, reason: String)
    /// `option` was given on resume with `given`, but the run in `directory` was trained with `saved`.
    case resumeConflict(option: String, given: String, saved: String, directory: String)
    /// A library error worded with the options that set or fix what it names.
    case worded(String)

    var description: String {
        switch self {
        case let .inFile(path, reason):
            return "\(path): \(reason)"
        case let .resumeConflict(option, given, saved, directory):
            return "\(option) \(given) conflicts with the run in \(directory), which was trained with \(option) \(saved); "
                + "drop \(option) to resume it, or start a new run in another --out directory"
        case let .worded(text):
            return text
        }
    }
}

extension CommandError {
    /// `error` as the command line reports it: a library error whose remedy is an option gets
    /// the option's flag; every other error is returned as it is.
    ///
    /// The one place where library errors, which carry values and name no flags, become
    /// flag-aware text.
    static func wording(_ error: any Error) -> any Error {
        flagAwareDescription(of: error).map(CommandError.worded) ?? error
    }

    private static func flagAwareDescription(of error: any Error) -> String? {
        switch error {
        case let error as TrainingError:
            switch error {
            case let .outOfRange(setting, value, requirement):
                return "\(flag(for: setting)) \(value) is out of range: it must be \(requirement)"
            case let .diverged(step, epoch, place, checkpoint):
                return "training diverged at step \(step) (epoch \(epoch)): \(place) is not finite. "
                    + (checkpoint.map { "The last good checkpoint is \($0). " } ?? "No checkpoint was written yet. ")
                    + "Try a smaller --learning-rate, --clip-norm, or an orthogonal polynomial basis (basis=chebyshev)."
            case .invalidConfiguration:
                return nil
            }
        case let error as TrainingStateError:
            switch error {
            case let .noRunDirectory(path):
                return "no run directory at \(path); pass the --out directory of an earlier polynet train"
            case let .finished(directory, epochs):
                return "the run in \(directory) already completed \(epochs) epoch\(epochs == 1 ? "" : "s"); "
                    + "pass --epochs N with N > \(epochs) to train further"
            case let .dataChanged(directory, saved, found):
                return "the run in \(directory) trained on \(saved) examples per epoch but the data now gives \(found); "
                    + "resuming needs the same data set and --limit"
            case let .unreadable(path, reason):
                return "\(path) is not a usable training state (\(reason)). It is replaced atomically after each epoch, so "
                    + "only an outside change breaks it; start a new run, or evaluate the run's epoch-K.safetensors with polynet eval."
            case .missing:
                return nil
            }
        case let error as CheckpointError:
            switch error {
            case let .missingArchitecture(source):
                return "\(source): no '\(CheckpointMetadata.architecture)' metadata; pass the architecture (--arch) for files written elsewhere"
            case let .trainingState(source):
                return "\(source) is a training state (the model with its optimizer state), not a model checkpoint; "
                    + "evaluate the run's \(RunDirectory.modelFileName) or epoch-K.safetensors, or continue training with "
                    + "polynet train --resume \(CheckpointError.runDirectory(of: source))"
            case .tensors, .badConfiguration, .badArchitecture:
                return nil
            }
        case let RunDirectoryError.notEmpty(path, entries):
            let shown = entries.prefix(4).joined(separator: ", ") + (entries.count > 4 ? ", … (\(entries.count) entries)" : "")
            return "the run directory \(path) is not empty (\(shown)); pass --resume \(path) to continue its run, "
                + "--overwrite to replace it, or another --out directory"
        case let error as ModelError:
            switch error {
            case .tooManyParameters:
                return error.problem + "; pass --max-parameters to allow more if the machine has the memory"
            case .activationsTooLarge:
                return error.problem + "; use a smaller --batch-size or narrower layers"
            case .inputWidth, .nonFiniteOutput:
                return nil
            }
        case let DatasetError.notFound(dataset, searched):
            return "\(dataset) not found; looked in: \(searched.joined(separator: ", ")). Pass --data-dir or set POLYNET_DATA"
        case let FetchError.unreachable(url, reason):
            return "cannot download \(url) (\(reason)); check the network, or pass --mirror with a URL or directory holding the files"
        case let error as ConversionError:
            switch error {
            case let .explicitTooLarge(numbers, limit):
                return "the explicit coefficients would hold \(numbers) numbers, above the limit of \(limit); use the factorized form (--save) or pass --force"
            case let .badKeyMapping(message):
                return "bad --keys mapping: \(message)"
            case let .severalBlocks(architecture, count):
                return "cannot convert this checkpoint: architecture '\(architecture)' has \(count) blocks (a deeper MLP), not one; "
                    + "polynet convert takes it whole and explain takes one with --block K"
            default:
                return nil
            }
        case let InterpretabilityError.notOutputBlock(analysis, _, count):
            return "\(analysis) reads the block's outputs as class scores: use the last block, --block \(count)"
        case let InterpretabilityError.targetOutOfRange(_, classCount):
            return "--target must be a class in 0...\(classCount - 1)"
        case PolynomialError.gaussianMissing:
            return "the gaussian method needs a mean and a standard deviation (--mean, --std)"
        case let PolynomialError.notSmooth(activation, x0):
            return "\(activation) is not smooth at x = \(x0): no Taylor series there; expand elsewhere (--center) or use another method"
        default:
            return nil
        }
    }

    /// The `polynet train` option that sets `setting`.
    static func flag(for setting: TrainingSetting) -> String {
        switch setting {
        case .epochs: return "--epochs"
        case .batchSize: return "--batch-size"
        case .learningRate: return "--learning-rate"
        case .momentum: return "--momentum"
        case .weightDecay: return "--weight-decay"
        case .clipNorm: return "--clip-norm"
        case .schedule: return "--schedule"
        case .checkpointSteps: return "--checkpoint-steps"
        case .trainingLimit: return "--limit"
        case .testLimit: return "--test-limit"
        }
    }
}
