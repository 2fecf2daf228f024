import FileSystem
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
import Training
@testable import PolyNetCommands

/// `train`, `eval` and `init-report` on hostile input: each case is one line naming the cause,
/// nothing traps or allocates the impossible, and a refused run changes no file.
@Suite("polynet train, eval and init-report reliability")
struct TrainReliabilityCommandTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-reliability-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A tiny run: dense(784,10), 1 epoch on 200 images.
    static func train(_ arguments: [String]) -> String {
        message(["train", "--arch", "dense(784,10)", "--epochs", "1", "--limit", "200", "--test-limit", "100"] + arguments)
    }

    /// One finished tiny run, trained once for the whole suite (loading MNIST's training set
    /// dominates a tiny run's time); tests work on copies.
    static let trainedRun = Result { () throws -> URL in
        let run = try temporaryDirectory().appendingPathComponent("run")
        let text = train(["--out", run.path])
        guard text.isEmpty else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: text]) }
        return run
    }

    /// A copy of `trainedRun` at `root/run`.
    static func copyOfTrainedRun(in root: URL) throws -> URL {
        let run = root.appendingPathComponent("run")
        try FileManager.default.copyItem(at: try trainedRun.get(), to: run)
        return run
    }

    /// Every entry of `directory` (hidden ones too) with its bytes.
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var result = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return result
    }

    /// Expects `text` to be one line containing `expected`.
    static func expectOneLine(_ text: String, _ expected: String, _ arguments: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.contains(expected) && !text.contains("\n"), "\(arguments): \(text)", sourceLocation: sourceLocation)
    }

    /// (a) A run into a directory another run holds fails at once naming that run's process.
    @Test func runIntoALockedDirectoryNamesTheHolder() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.copyOfTrainedRun(in: root).path
        let expected = "\(run) is in use by process \(getpid()) (lock held); wait for it to finish or use another directory"
        try withExtendedLifetime(try DirectoryLock(run)) {
            let before = try Self.snapshot(URL(fileURLWithPath: run))
            #expect(Self.train(["--out", run, "--overwrite"]) == expected)
            #expect(Self.train(["--out", run]) == expected)
            #expect(message(["train", "--resume", run, "--epochs", "2"]) == expected)
            #expect(try Self.snapshot(URL(fileURLWithPath: run)) == before)
        }
    }

    /// (b) A new run into a non-empty directory changes nothing (every byte of every file,
    /// the lock file included); with --repeat no seed directory is created either.
    @Test func runIntoANonEmptyDirectoryChangesNothing() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.copyOfTrainedRun(in: root)
        let before = try Self.snapshot(run)
        Self.expectOneLine(Self.train(["--out", run.path, "--seed", "5"]),
                           "the run directory \(run.path) is not empty (epoch-1.safetensors, metrics.jsonl, model.safetensors, "
                           + "training-state.safetensors); pass --resume \(run.path) to continue its run, --overwrite to replace it", [])
        #expect(try Self.snapshot(run) == before)

        let repeated = root.appendingPathComponent("repeated")
        try FileManager.default.createDirectory(at: repeated.appendingPathComponent("seed-1"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: repeated.appendingPathComponent("seed-1/notes.txt"))
        Self.expectOneLine(Self.train(["--out", repeated.path, "--repeat", "2"]), "seed-1 is not empty (notes.txt)", [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: repeated.path) == ["seed-1"])

        #expect(Self.train(["--out", run.path, "--overwrite", "--seed", "5"]) == "")
        let replaced = try Checkpoint<Float>(contentsOf: run.appendingPathComponent("model.safetensors"))
        #expect(replaced.configuration?.seed == 5)
    }

    /// (c, d) A run killed after its last state write but before model.safetensors, with a
    /// temporary file of a killed write left over: --resume writes the model from the state
    /// and removes the temporary.
    @Test func resumeFinishesAKilledRun() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.copyOfTrainedRun(in: root)
        let model = run.appendingPathComponent("model.safetensors")
        let expected = try Data(contentsOf: model)
        try FileManager.default.removeItem(at: model)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let temporary = run.appendingPathComponent(".model.safetensors\(RegularFile.temporaryMarker)\(process.processIdentifier).1")
        try Data("half a model".utf8).write(to: temporary)

        #expect(message(["train", "--resume", run.path]) == "")
        #expect(try Data(contentsOf: model) == expected)
        #expect(!FileManager.default.fileExists(atPath: temporary.path))
        // Now finished and complete: a further resume asks for more epochs.
        Self.expectOneLine(message(["train", "--resume", run.path]), "already completed 1 epoch; pass --epochs N with N > 1", [])
    }

    /// Items 6, 7, 8, 9, 12 and 19: options and architectures that used to trap, abort on
    /// allocation or run unbounded.
    @Test func extremeOptionsGiveOneLineErrors() {
        let max = "9223372036854775807"
        let cases: [([String], String)] = [
            (["train", "--clip-norm", "1e-300"], "--clip-norm 1e-300 is out of range: it must be a positive number representable as a normal Float"),
            (["train", "--clip-norm", "nan"], "--clip-norm nan is out of range"),
            (["train", "--epochs", max], "--epochs \(max) is out of range: it must be between 1 and 1000000"),
            (["train", "--epochs", "0"], "--epochs 0 is out of range"),
            (["train", "--batch-size", "0"], "--batch-size 0 is out of range"),
            (["train", "--threads", "3000000000"], "--threads must be between 1 and 1024, got 3000000000"),
            (["train", "--repeat", max], "--repeat must be between 1 and 100"),
            (["train", "--repeat", "0"], "--repeat must be between 1 and 100"),
            (["train", "--seed", "18446744073709551615", "--repeat", "2"], "runs past the largest seed"),
            (["train", "--arch", "dense(784,\(max))"], "'dense(784,\(max))' needs more parameters than an Int counts"),
            (["init-report", "--arch", "dense(784,\(max))"], "needs more parameters than an Int counts"),
            (["train", "--arch", "dense(784,100000000)"], "'dense(784,100000000)' needs 78500000000 parameters (314.0 GB in Float), over the limit of 100000000; pass --max-parameters"),
            (["train", "--arch", "dense(784,10)", "--max-parameters", "7849"], "needs 7850 parameters (0.0 MB in Float), over the limit of 7849"),
            (["train", "--max-parameters", "0"], "--max-parameters must be at least 1"),
            (["train", "--arch", "poly(784,10,deg=100000000)"], "'deg' must be at most 32, not 100000000 (at 'deg=100000000' in 'poly(784,10,deg=100000000)')"),
            (["train", "--arch", "dense(784,10) tropical-rational(deg=100000000)"], "'deg' must be at most 32"),
            (["init-report", "--arch", "hermite(deg=1000)", "--input-width", "4"], "'deg' must be at most 32"),
            (["init-report", "--arch", "dense(784,10)", "--batch-size", "100000000"], "a batch of 100000000 rows × 784 columns is 78400000000 activations, over the limit of 268435456"),
            (["init-report", "--arch", "dense(784,10)", "--batch-size", max], "is over \(max) activations"),
            (["init-report", "--arch", "relu", "--input-width", max], "activations, over the limit"),
            (["init-report", "--arch", "dense(784,10)", "--input-width", "5"], "layer 0 'dense(784,10)' takes 784 inputs but is given 5"),
            (["init-report", "--arch", "relu dense(784,10)", "--input-width", "5"], "layer 1 'dense(784,10)' takes 784 inputs but is given 5"),
            (["train", "--arch", "relu dense(100,10)"], "layer 1 'dense(100,10)' takes 100 inputs but is given 784"),
            (["train", "--out", ""], "--out needs a directory path, got an empty string"),
            (["train", "--resume", ""], "--resume needs a run directory path"),
            (["train", "--checkpoint-steps", "1,2"], "--checkpoint-steps saves step-N.safetensors into a run directory; pass --out DIR"),
            (["train", "--overwrite"], "--overwrite replaces the run in an --out directory; pass --out DIR"),
            (["train", "--learning-rate", "0"], "--learning-rate 0.0 is out of range"),
            (["train", "--learning-rate", "-1"], "Missing value for '--learning-rate"),
            (["train", "--learning-rate=-1"], "--learning-rate -1.0 is out of range"),
            (["train", "--learning-rate", "nan"], "--learning-rate nan is out of range"),
            (["train", "--learning-rate", "inf"], "--learning-rate inf is out of range"),
            (["train", "--learning-rate", "1e308"], "--learning-rate 1e+308 is out of range"),
            (["train", "--learning-rate", "1e-308"], "--learning-rate 1e-308 is out of range"),
            (["train", "--momentum", "1"], "--momentum 1.0 is out of range: it must be in [0, 1)"),
            (["train", "--momentum", "nan"], "--momentum nan is out of range"),
            (["train", "--weight-decay", "1e308"], "--weight-decay 1e+308 is out of range"),
            (["train", "--weight-decay=-1"], "--weight-decay -1.0 is out of range"),
            (["train", "--weight-decay", "inf"], "--weight-decay inf is out of range"),
            (["train", "--seed=-1"], "The value '-1' is invalid for '--seed <seed>'"),
            (["train", "--limit", "0"], "--limit 0 is out of range: it must be at least 1"),
            (["train", "--limit=-1"], "--limit -1 is out of range"),
            (["train", "--test-limit", "0"], "--test-limit 0 is out of range"),
            (["train", "--schedule", "step:0:0"], "The value 'step:0:0' is invalid for '--schedule <schedule>'"),
            (["train", "--schedule", "step:-1:nan"], "The value 'step:-1:nan' is invalid"),
            (["train", "--schedule", "step:1:inf"], "The value 'step:1:inf' is invalid"),
            (["eval", "--checkpoint", "x", "--limit", "0"], "--limit must be at least 1, got 0"),
            (["eval", "--checkpoint", "x", "--limit=-1"], "--limit must be at least 1, got -1"),
            (["eval", "--checkpoint", ""], "--checkpoint needs a file or run directory path"),
            (["init-report", "--arch", "dense(784,10)", "--batch-size", "0"], "--batch-size must be at least 1"),
            (["init-report", "--arch", "dense(784,10)", "--max-parameters", "100"], "over the limit of 100"),
        ]
        for (arguments, expected) in cases {
            Self.expectOneLine(message(arguments), expected, arguments)
        }
    }

    /// The largest batch size, limits, seed and schedule period are fine: one batch of the
    /// whole (limited) set, a rate that never steps.
    @Test func largestValuesTrain() {
        #expect(Self.train(["--batch-size", "9223372036854775807", "--test-limit", "9223372036854775807",
                            "--seed", "18446744073709551615", "--schedule", "step:9223372036854775807:0.5"]) == "")
    }

    /// Files that are not checkpoints, or checkpoints that lie: one line naming the file.
    @Test func badCheckpointFilesAreNamed() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "dense(784,10)").makeModel(using: &generator)
        func write(_ name: String, _ edit: (inout SafeTensors) -> Void) throws -> String {
            var file = Checkpoint(model: model).safeTensors
            edit(&file)
            let url = root.appendingPathComponent(name)
            try file.write(to: url)
            return url.path
        }
        let huge = try write("huge.safetensors") { $0.metadata[CheckpointMetadata.architecture] = "dense(784,100000000)" }
        let malformed = try write("malformed.safetensors") { $0.metadata[CheckpointMetadata.architecture] = "dense(784,10" }
        let infinite = try write("infinite.safetensors") { $0.insert(Matrix<Float>(rows: 10, columns: 784, repeating: 3e38), named: "0.weight") }
        let fifo = root.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let run = try Self.copyOfTrainedRun(in: root).path
        let file = root.appendingPathComponent("afile").path
        try Data().write(to: URL(fileURLWithPath: file))
        let cases: [([String], String)] = [
            (["eval", "--checkpoint", huge], "\(huge): tensor '0.weight' has shape [10, 784]; 'dense(784,100000000)' needs [100000000, 784]"),
            (["eval", "--checkpoint", malformed], "\(malformed): its 'polynet.arch' metadata 'dense(784,10' is not a valid architecture (missing ')'"),
            (["eval", "--checkpoint", infinite, "--limit", "50"], "\(infinite): layer 0 'dense(784,10)' produced NaN or infinite values"),
            (["eval", "--checkpoint", fifo], "\(fifo) is a FIFO, not a regular file"),
            (["eval", "--checkpoint", "/dev/zero"], "/dev/zero is a character device, not a regular file"),
            (["eval", "--checkpoint", run + "/training-state.safetensors"],
             "is a training state (the model with its optimizer state), not a model checkpoint; evaluate the run's model.safetensors or epoch-K.safetensors, or continue training with polynet train --resume \(run)"),
            (["eval", "--checkpoint", run + "/model.safetensors", "--arch", "dense(784,100000000)"], "'dense(784,100000000)' needs [100000000, 784]"),
            (["train", "--out", file + "/sub"], "cannot create the run directory \(file)/sub: \(file) is a regular file, not a directory"),
            (["train", "--out", file], "cannot use \(file) as a run directory: it is a regular file, not a directory"),
            (["train", "--resume", file], "cannot use \(file) as a run directory: it is a regular file, not a directory"),
            (["train", "--resume", file + "-none"], "no run directory at \(file)-none"),
        ]
        for (arguments, expected) in cases {
            Self.expectOneLine(message(arguments), expected, arguments)
        }
    }
}
