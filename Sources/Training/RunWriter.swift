import Foundation

/// Writes a training run's directory: `metrics.jsonl` and named checkpoints.
struct RunWriter {
    let directory: URL
    /// The path of the most recent checkpoint written.
    private(set) var lastCheckpoint: String?
    private let metricsURL: URL

    /// Creates the directory and starts an empty `metrics.jsonl`.
    init(directory: URL) throws {
        self.directory = directory
        metricsURL = directory.appendingPathComponent("metrics.jsonl")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data().write(to: metricsURL)
        } catch {
            throw TrainingError.invalidConfiguration("cannot write the run directory \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Saves `checkpoint` as `<name>.safetensors` and returns its URL.
    mutating func save(_ checkpoint: Checkpoint<Float>, as name: String) throws -> URL {
        let url = directory.appendingPathComponent("\(name).safetensors")
        try checkpoint.write(to: url)
        lastCheckpoint = url.path
        return url
    }

    /// Appends one JSON line to `metrics.jsonl`.
    func append(_ metrics: EpochMetrics) throws {
        var line = try JSONEncoder.sorted.encode(metrics)
        line.append(UInt8(ascii: "\n"))
        let handle = try FileHandle(forWritingTo: metricsURL)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }
}
