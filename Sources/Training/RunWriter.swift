import Foundation

/// Writes a training run's directory: `metrics.jsonl`, named checkpoints and the training state.
struct RunWriter {
    let directory: URL
    /// The path of the most recent checkpoint written.
    private(set) var lastCheckpoint: String?
    private let metricsURL: URL

    /// Creates the directory and starts `metrics.jsonl` with the lines of the first
    /// `keepingEpochs` epochs already there (none for a new run; a resumed run drops lines of
    /// epochs it will train again, e.g. one logged just before a kill).
    init(directory: URL, keepingEpochs: Int = 0) throws {
        self.directory = directory
        metricsURL = directory.appendingPathComponent("metrics.jsonl")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var kept = Data()
            if keepingEpochs > 0, let existing = FileManager.default.contents(atPath: metricsURL.path) {
                for line in existing.split(separator: UInt8(ascii: "\n")) {
                    guard let metrics = try? JSONDecoder().decode(EpochMetrics.self, from: Data(line)),
                          metrics.epoch <= keepingEpochs else { continue }
                    kept.append(line)
                    kept.append(UInt8(ascii: "\n"))
                }
                let resumedFrom = directory.appendingPathComponent("epoch-\(keepingEpochs).safetensors")
                if FileManager.default.fileExists(atPath: resumedFrom.path) { lastCheckpoint = resumedFrom.path }
            }
            try kept.write(to: metricsURL, options: .atomic)
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

    /// Writes the training state (atomically) as `training-state.safetensors`.
    func save(_ state: TrainingState<Float>) throws {
        try state.write(to: directory.appendingPathComponent(TrainingState<Float>.fileName))
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
