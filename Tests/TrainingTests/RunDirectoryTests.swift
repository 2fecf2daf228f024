import FileSystem
import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
@testable import Training

/// Run directories: exclusive while a run lasts, never overwritten by a new run unless asked,
/// and repaired on resume (temporaries of killed writes removed, a missing final model written).
struct RunDirectoryTests {
    /// A tiny run: dense(784,10) on 200 images, 1 epoch of 4 steps.
    static func configuration() -> TrainingConfiguration {
        var configuration = TrainerTests.configuration("dense(784,10)")
        configuration.epochs = 1
        configuration.trainingLimit = 200
        configuration.testLimit = 100
        return configuration
    }

    /// Every entry of `directory` (hidden ones included) with its bytes.
    static func snapshot(_ directory: URL) throws -> [String: Data] {
        var result = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            result[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return result
    }

    /// A process id that no running process has: a child that has exited and been reaped.
    static func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// (a) While a run holds its directory, a second run into it fails at once naming the
    /// holder's process id (here this process, holding the lock as another run would).
    @Test func secondRunIntoALockedDirectoryFailsNamingTheHolder() throws {
        let (train, test) = try TrainerTests.data()
        let directory = ResumeTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var holder: RunDirectory? = try RunDirectory(directory, mode: .new)
        var trainer = try Trainer(configuration: Self.configuration(), training: train, test: test)
        #expect(holder != nil)
        #expect(throws: FileSystemError.locked(path: directory.path, holder: getpid())) {
            try trainer.run(outputDirectory: directory)
        }
        for mode in [RunDirectory.Mode.new, .overwrite, .resume] {
            #expect(throws: FileSystemError.locked(path: directory.path, holder: getpid()), "\(mode)") {
                _ = try RunDirectory(directory, mode: mode)
            }
        }
        #expect(try Self.snapshot(directory).keys.sorted() == [".lock"])  // the refused runs wrote nothing
        holder = nil
        // Released with its holder: the directory is free again.
        _ = try RunDirectory(directory, mode: .resume)
    }

    /// (b) A new run into a directory holding an earlier run fails and changes nothing, not
    /// even the lock file; `.overwrite` replaces the run's files and keeps others.
    @Test func newRunIntoANonEmptyDirectoryChangesNothing() throws {
        let (train, test) = try TrainerTests.data()
        let directory = ResumeTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var first = try Trainer(configuration: Self.configuration(), training: train, test: test)
        try first.run(outputDirectory: directory)
        try Data("keep".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let before = try Self.snapshot(directory)
        var second = try Trainer(configuration: Self.configuration(), training: train, test: test)
        do {
            try second.run(outputDirectory: directory)
            Issue.record("a second new run into \(directory.path) was allowed")
        } catch let RunDirectoryError.notEmpty(path, entries) {
            #expect(path == directory.path)
            #expect(entries == ["epoch-1.safetensors", "metrics.jsonl", "model.safetensors", "notes.txt", "training-state.safetensors"])
        }
        #expect(try Self.snapshot(directory) == before)

        let replaced = try RunDirectory(directory, mode: .overwrite)
        #expect(try Self.snapshot(directory).keys.sorted() == [".lock", "notes.txt"])
        var third = try Trainer(configuration: Self.configuration(), training: train, test: test)
        try third.run(in: replaced)
        #expect(try Self.snapshot(directory)["notes.txt"] == Data("keep".utf8))
        #expect(try ResumeTests.metrics(in: directory).map(\.epoch) == [1])
    }

    /// (c) A run killed after writing its final training state but before `model.safetensors`:
    /// the state says every epoch is done, so resuming writes the missing model from it.
    @Test func resumeWritesTheModelAKillLeftUnwritten() throws {
        let (train, test) = try TrainerTests.data()
        let directory = ResumeTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var trainer = try Trainer(configuration: Self.configuration(), training: train, test: test)
        try trainer.run(outputDirectory: directory)
        let model = directory.appendingPathComponent(RunDirectory.modelFileName)
        let expected = try Data(contentsOf: model)
        try FileManager.default.removeItem(at: model)

        let run = try RunDirectory(directory, mode: .resume)
        let state = try TrainingState<Float>(runDirectory: directory)
        #expect(throws: TrainingStateError.finished(directory: "the saved state", epochs: 1)) {
            try Trainer(resuming: state, training: train, test: test)
        }
        #expect(try run.writeMissingCheckpoints(of: state) == [model])
        #expect(try Data(contentsOf: model) == expected)  // the same bytes the finished run wrote
        #expect(try run.writeMissingCheckpoints(of: state).isEmpty)
    }

    /// (d) Temporary files of writes killed in another (now dead) process, and Foundation's
    /// `.dat.nosync` leftovers, are removed when the directory is opened; a live process's are kept.
    @Test func openingRemovesStaleTemporaries() throws {
        let (train, test) = try TrainerTests.data()
        let directory = ResumeTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var trainer = try Trainer(configuration: Self.configuration(), training: train, test: test)
        try trainer.run(outputDirectory: directory)
        let dead = ".model.safetensors\(RegularFile.temporaryMarker)\(try Self.deadProcessID()).1"
        let live = ".model.safetensors\(RegularFile.temporaryMarker)\(getppid()).1"
        for name in [dead, live, ".dat.nosync12ab"] {
            try Data("partial".utf8).write(to: directory.appendingPathComponent(name))
        }
        let run = try RunDirectory(directory, mode: .resume)
        #expect(run.removedTemporaries.sorted() == [".dat.nosync12ab", dead].sorted())
        #expect(try Self.snapshot(directory).keys.sorted()
                == [".lock", live, "epoch-1.safetensors", "metrics.jsonl", "model.safetensors", "training-state.safetensors"].sorted())
    }

    /// A path whose parent is a file is refused naming the file; nothing is created.
    @Test func aFileInThePathIsNamed() throws {
        let root = ResumeTests.temporaryDirectory()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("afile")
        try Data().write(to: file)
        #expect(throws: RunDirectoryError.notADirectory(path: file.path + "/sub", blocking: file.path, kind: "a regular file")) {
            _ = try RunDirectory(file.appendingPathComponent("sub"), mode: .new)
        }
        #expect(throws: RunDirectoryError.notADirectory(path: file.path, blocking: file.path, kind: "a regular file")) {
            _ = try RunDirectory(file, mode: .overwrite)
        }
        #expect(throws: TrainingStateError.noRunDirectory(root.path + "/none")) {
            _ = try RunDirectory(root.appendingPathComponent("none"), mode: .resume)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["afile"])
    }
}
