import FileSystem
import Foundation
import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A training run's directory, held exclusively while this object lives: the one owner of
/// the layout `metrics.jsonl`, `epoch-K.safetensors`, `step-N.safetensors`,
/// `training-state.safetensors` and `model.safetensors`.
///
/// Opening it takes a `DirectoryLock` (`<dir>/.lock`, naming this process), so a second run
/// into the same directory fails at once naming the first one's process id, and then removes
/// temporary files that a killed write left behind. A new run refuses a directory that
/// already holds files unless asked to overwrite, and refuses before changing anything.
/// Every file is written atomically (`RegularFile.write`), `metrics.jsonl` included: it is
/// rewritten whole after each epoch, so a kill never leaves half a line.
///
/// ```swift
/// let directory = try RunDirectory(URL(fileURLWithPath: "runs/poly"), mode: .new)
/// var trainer = try Trainer(configuration: configuration, training: training, test: test)
/// try trainer.run(in: directory)
/// ```
public final class RunDirectory {
    /// How a run uses its directory.
    public enum Mode: Sendable, Equatable {
        /// A new run: the directory must be missing or empty (a `.lock` left by an earlier
        /// run aside).
        case new
        /// A new run that first removes the files of an earlier run (the layout above);
        /// other files are kept.
        case overwrite
        /// Continuing the run already in the directory.
        case resume
    }

    /// The file names of the layout.
    public static let metricsFileName = "metrics.jsonl"
    /// The final model's file name.
    public static let modelFileName = "model.safetensors"
    /// The training state's file name (what `--resume` continues from).
    public static var stateFileName: String { TrainingState<Float>.fileName }

    /// A model checkpoint of the layout.
    public enum CheckpointName: Sendable, Hashable {
        /// `model.safetensors`: the model after the last epoch.
        case model
        /// `epoch-K.safetensors`: the model after epoch K.
        case epoch(Int)
        /// `step-N.safetensors`: the model after optimizer step N (`--checkpoint-steps`).
        case step(Int)

        private static let epochPrefix = "epoch-", stepPrefix = "step-", fileExtension = ".safetensors"

        /// The file name in the run directory.
        public var fileName: String {
            switch self {
            case .model: return RunDirectory.modelFileName
            case let .epoch(epoch): return Self.epochPrefix + String(epoch) + Self.fileExtension
            case let .step(step): return Self.stepPrefix + String(step) + Self.fileExtension
            }
        }

        /// The checkpoint a file name denotes, or nil for any other file.
        public init?(fileName name: String) {
            if name == RunDirectory.modelFileName {
                self = .model
                return
            }
            guard name.hasSuffix(Self.fileExtension) else { return nil }
            let stem = name.dropLast(Self.fileExtension.count)
            if stem.hasPrefix(Self.epochPrefix), let epoch = Int(stem.dropFirst(Self.epochPrefix.count)) {
                self = .epoch(epoch)
            } else if stem.hasPrefix(Self.stepPrefix), let step = Int(stem.dropFirst(Self.stepPrefix.count)) {
                self = .step(step)
            } else {
                return nil
            }
        }
    }

    /// The directory of one seed's run in a repeated run (`train --repeat`): `seed-S`.
    public static func seedDirectoryName(_ seed: UInt64) -> String { "seed-\(seed)" }

    /// The directory.
    public let url: URL
    /// Temporary files of killed writes that opening removed.
    public let removedTemporaries: [String]
    /// The path of the most recent checkpoint written (or, on resume, the one resumed from).
    public private(set) var lastCheckpoint: String?
    private let lock: DirectoryLock
    private var metricsLines: [Data] = []

    /// Checks, creates (with its parents) and locks `url` for a run in `mode`.
    ///
    /// - Throws: `RunDirectoryError.notEmpty` for a new run into a directory with files (before
    ///   changing anything), `RunDirectoryError.notADirectory` when the path or a parent is a
    ///   file, `FileSystemError.locked` naming the process that holds the directory.
    public init(_ url: URL, mode: Mode) throws {
        try Self.check(url, mode: mode)
        let path = url.path
        try Self.createDirectory(path)
        self.url = url
        lock = try DirectoryLock(path)
        removedTemporaries = RegularFile.removeStaleTemporaries(in: path)
        let names = try Self.entries(path)
        switch mode {
        case .new:
            guard names.isEmpty else { throw RunDirectoryError.notEmpty(path: path, entries: names) }
        case .overwrite:
            for name in names where Self.isRunFile(name) {
                guard unlink((path as NSString).appendingPathComponent(name)) == 0 else {
                    throw FileSystemError.failed(operation: "remove", path: (path as NSString).appendingPathComponent(name),
                                                 reason: String(cString: strerror(errno)))
                }
            }
        case .resume:
            break
        }
    }

    /// Checks, without changing anything, that a run in `mode` may use `url`: for a new run,
    /// that it is missing or empty and not held by another run.
    ///
    /// - Throws: the errors of `init(_:mode:)`.
    public static func check(_ url: URL, mode: Mode) throws {
        let path = url.path
        guard !path.isEmpty else { throw FileSystemError.emptyPath }
        // The nearest existing ancestor must be a directory (`--out afile/sub`).
        var ancestor = path
        while true {
            let kind = try FileKind(at: ancestor)
            if kind == .missing {
                let parent = PathText.parent(of: ancestor)
                if parent.isEmpty || parent == ancestor { break }
                ancestor = parent
                continue
            }
            var info = stat()
            guard stat(ancestor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw RunDirectoryError.notADirectory(path: path, blocking: ancestor, kind: kind.phrase)
            }
            break
        }
        guard case .directory = try FileKind(at: resolved(path)) else {
            if mode == .resume { throw TrainingStateError.noRunDirectory(path) }
            return
        }
        if let holder = try lockHolder(path) { throw FileSystemError.locked(path: path, holder: holder) }
        if mode == .new {
            let names = try entries(path)
            guard names.isEmpty else { throw RunDirectoryError.notEmpty(path: path, entries: names) }
        }
    }

    /// The model a run directory offers for evaluation: its `model.safetensors`, else its
    /// highest `epoch-K.safetensors`; nil when it has neither (or cannot be listed).
    public static func latestCheckpoint(in directory: URL) -> URL? {
        let model = directory.appendingPathComponent(CheckpointName.model.fileName)
        if case .regular = (try? FileKind(at: model.path)) ?? .missing { return model }
        let names = ((try? entries(directory.path)) ?? []).compactMap(CheckpointName.init(fileName:))
        let epochs = names.compactMap { name -> Int? in
            if case let .epoch(epoch) = name { return epoch }
            return nil
        }
        return epochs.max().map { directory.appendingPathComponent(CheckpointName.epoch($0).fileName) }
    }

    /// The step checkpoints (`step-N.safetensors`) of a run directory, by step.
    ///
    /// - Throws: `FileSystemError` when the directory cannot be listed.
    public static func stepCheckpoints(in directory: URL) throws -> [(step: Int, url: URL)] {
        try entries(directory.path).compactMap { name -> (step: Int, url: URL)? in
            guard case let .step(step) = CheckpointName(fileName: name) else { return nil }
            return (step, directory.appendingPathComponent(name))
        }.sorted { $0.step < $1.step }
    }

    /// The model checkpoint at `path`: a file as it is; for a run directory, its
    /// `latestCheckpoint(in:)`. Every command that takes a checkpoint or a run directory
    /// resolves it here.
    ///
    /// - Throws: `RunDirectoryError.noCheckpoint` when nothing is at `path` or a directory
    ///   holds no model checkpoint.
    public static func resolveCheckpoint(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path)
        switch (try? FileKind(at: resolved(path))) ?? .missing {
        case .missing:
            throw RunDirectoryError.noCheckpoint(path: path, isDirectory: false)
        case .directory:
            guard let latest = latestCheckpoint(in: url) else {
                throw RunDirectoryError.noCheckpoint(path: path, isDirectory: true)
            }
            return latest
        default:
            return url
        }
    }

    /// The URL of a checkpoint in the directory.
    public func checkpointURL(_ name: CheckpointName) -> URL { url.appendingPathComponent(name.fileName) }

    /// Loads `metrics.jsonl`, keeping the lines of the first `epochs` epochs (a resumed run
    /// drops lines of epochs it will train again, e.g. one logged just before a kill), and
    /// writes it back; for a new run (`epochs` 0) starts it empty.
    func startMetrics(keepingEpochs epochs: Int) throws {
        let metricsPath = url.appendingPathComponent(Self.metricsFileName).path
        metricsLines = []
        if epochs > 0, case .regular = try FileKind(at: metricsPath) {
            let existing = try RegularFile.read(metricsPath, maximumBytes: 1 << 30)
            for line in existing.split(separator: UInt8(ascii: "\n")) {
                guard let metrics = try? JSONDecoder().decode(EpochMetrics.self, from: Data(line)),
                      metrics.epoch <= epochs else { continue }
                metricsLines.append(Data(line))
            }
            let resumedFrom = checkpointURL(.epoch(epochs))
            if case .regular = try FileKind(at: resumedFrom.path) { lastCheckpoint = resumedFrom.path }
        }
        try writeMetrics()
    }

    /// Adds one line to `metrics.jsonl` (the file is replaced atomically).
    func append(_ metrics: EpochMetrics) throws {
        metricsLines.append(try JSONEncoder.sorted.encode(metrics))
        try writeMetrics()
    }

    /// Saves `checkpoint` under `name` and returns its URL.
    @discardableResult
    func save(_ checkpoint: Checkpoint<Float>, as name: CheckpointName) throws -> URL {
        let url = checkpointURL(name)
        try checkpoint.write(to: url)
        lastCheckpoint = url.path
        return url
    }

    /// Writes the training state (atomically) as `training-state.safetensors`.
    func save(_ state: TrainingState<Float>) throws {
        try state.write(to: url.appendingPathComponent(Self.stateFileName))
    }

    /// Writes the checkpoints a run killed after saving `state` left unwritten: `epoch-K`
    /// for the state's epoch K, and `model.safetensors` when K is the run's last epoch.
    /// Training writes `epoch-K`, then the state, then (after the last epoch) the model, so a
    /// kill between the last two leaves a finished state without its model.
    ///
    /// - Returns: the files written (none when nothing was missing).
    public func writeMissingCheckpoints(of state: TrainingState<Float>) throws -> [URL] {
        var names: [CheckpointName] = [.epoch(state.epoch)]
        if state.epoch >= state.configuration.epochs { names.append(.model) }
        var written = [URL]()
        for name in names {
            guard case .missing = try FileKind(at: checkpointURL(name).path) else { continue }
            written.append(try save(Checkpoint(model: state.model, configuration: state.configuration,
                                               epoch: state.epoch, step: state.step), as: name))
        }
        return written
    }

    private func writeMetrics() throws {
        var data = Data()
        for line in metricsLines {
            data.append(line)
            data.append(UInt8(ascii: "\n"))
        }
        try RegularFile.write(data, to: url.appendingPathComponent(Self.metricsFileName).path)
    }

    /// Whether `name` belongs to the run layout (what `.overwrite` removes).
    static func isRunFile(_ name: String) -> Bool {
        [metricsFileName, stateFileName].contains(name) || CheckpointName(fileName: name) != nil
    }

    /// The directory's entries other than the lock file, sorted.
    private static func entries(_ path: String) throws -> [String] {
        guard let stream = opendir(path) else {
            throw FileSystemError.failed(operation: "list", path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(stream) }
        var names = [String]()
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." && name != DirectoryLock.fileName { names.append(name) }
        }
        return names.sorted()
    }

    /// The process holding the directory's lock, probed without taking it or writing anything;
    /// nil when it is free.
    private static func lockHolder(_ path: String) throws -> Int32?? {
        let lockPath = (path as NSString).appendingPathComponent(DirectoryLock.fileName)
        guard case .regular = try FileKind(at: lockPath) else { return nil }
        let descriptor = open(lockPath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0 else {
            flock(descriptor, LOCK_UN)
            return nil
        }
        guard errno == EWOULDBLOCK else { return nil }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        let text = count > 0 ? String(decoding: buffer[0 ..< count], as: UTF8.self) : ""
        return .some(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Creates `path` and its missing parents, naming the one that fails and why.
    private static func createDirectory(_ path: String) throws {
        if case .directory = try FileKind(at: resolved(path)) { return }
        let parent = PathText.parent(of: path)
        if !parent.isEmpty && parent != path { try createDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw FileSystemError.failed(operation: "create the run directory", path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// `path` with symbolic links resolved (a run directory may be a link to one).
    private static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }
}

/// Why a run directory cannot be used.
public enum RunDirectoryError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A new run into a directory that already holds these entries.
    case notEmpty(path: String, entries: [String])
    /// `blocking`, the path itself or one of its parents, exists and is not a directory.
    case notADirectory(path: String, blocking: String, kind: String)
    /// Nothing is at `path`, or the directory at `path` holds no `model.safetensors` and no
    /// `epoch-K.safetensors`.
    case noCheckpoint(path: String, isDirectory: Bool)

    public var description: String {
        switch self {
        case let .notEmpty(path, entries):
            let shown = entries.prefix(4).joined(separator: ", ") + (entries.count > 4 ? ", … (\(entries.count) entries)" : "")
            return "the run directory \(path) is not empty (\(shown)); resume its run, replace it, or use another directory"
        case let .notADirectory(path, blocking, kind):
            return blocking == path ? "cannot use \(path) as a run directory: it is \(kind), not a directory"
                : "cannot create the run directory \(path): \(blocking) is \(kind), not a directory"
        case let .noCheckpoint(path, isDirectory):
            return isDirectory ? "\(path) holds neither \(RunDirectory.modelFileName) nor epoch-K.safetensors"
                : "no file or directory at \(path)"
        }
    }
}
