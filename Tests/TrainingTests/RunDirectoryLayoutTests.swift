import Foundation
import Testing
@testable import Training

/// The run layout's names and how a path resolves to a model checkpoint: the one rule every
/// command follows.
struct RunDirectoryLayoutTests {
    private static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-layout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func touch(_ name: String, in directory: URL) throws {
        try Data([0]).write(to: directory.appendingPathComponent(name))
    }

    @Test func checkpointNamesRoundTripThroughFileNames() {
        let names: [RunDirectory.CheckpointName] = [.model, .epoch(0), .epoch(12), .step(0), .step(4096)]
        for name in names { #expect(RunDirectory.CheckpointName(fileName: name.fileName) == name) }
        #expect(RunDirectory.CheckpointName.epoch(3).fileName == "epoch-3.safetensors")
        #expect(RunDirectory.CheckpointName.step(8).fileName == "step-8.safetensors")
        #expect(RunDirectory.CheckpointName.model.fileName == RunDirectory.modelFileName)
        for other in ["epoch-.safetensors", "step-x.safetensors", "epoch-1.json", "notes.txt", "training-state.safetensors"] {
            #expect(RunDirectory.CheckpointName(fileName: other) == nil, "\(other)")
        }
        #expect(RunDirectory.seedDirectoryName(7) == "seed-7")
        #expect(RunDirectory.isRunFile("step-3.safetensors") && RunDirectory.isRunFile(RunDirectory.metricsFileName))
        #expect(!RunDirectory.isRunFile("notes.txt"))
    }

    @Test func stepCheckpointsAreListedInStepOrder() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["step-16.safetensors", "step-2.safetensors", "epoch-1.safetensors", "step-x.safetensors", "model.safetensors"] {
            try Self.touch(name, in: directory)
        }
        let steps = try RunDirectory.stepCheckpoints(in: directory)
        #expect(steps.map(\.step) == [2, 16])
        #expect(steps.map(\.url.lastPathComponent) == ["step-2.safetensors", "step-16.safetensors"])
    }

    /// A file resolves to itself; a run directory to its model, else its highest epoch; nothing
    /// else resolves.
    @Test func pathsResolveAsEvalResolvesThem() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: RunDirectoryError.noCheckpoint(path: directory.path, isDirectory: true)) {
            try RunDirectory.resolveCheckpoint(directory.path)
        }
        let missing = directory.appendingPathComponent("missing.safetensors").path
        #expect(throws: RunDirectoryError.noCheckpoint(path: missing, isDirectory: false)) {
            try RunDirectory.resolveCheckpoint(missing)
        }
        for name in ["epoch-2.safetensors", "epoch-10.safetensors", "step-99.safetensors"] { try Self.touch(name, in: directory) }
        #expect(try RunDirectory.resolveCheckpoint(directory.path).lastPathComponent == "epoch-10.safetensors")
        try Self.touch(RunDirectory.modelFileName, in: directory)
        #expect(try RunDirectory.resolveCheckpoint(directory.path).lastPathComponent == RunDirectory.modelFileName)
        let file = directory.appendingPathComponent("epoch-2.safetensors").path
        #expect(try RunDirectory.resolveCheckpoint(file).path == file)
    }
}
