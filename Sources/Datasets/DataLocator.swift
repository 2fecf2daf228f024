import Foundation

/// Finds a data set's directory: `--data-dir`, then `$POLYNET_DATA`, then the repository's
/// bundled copy, so a fresh clone works with no download.
public enum DataLocator {
    /// The directory holding `dataset`'s files (`mnist`, `fashion-mnist`).
    ///
    /// Each candidate is accepted when it holds the data set's test image file, either
    /// directly or in a subdirectory named after the data set; its files must then be that
    /// data set's (``Dataset/verifyFiles(in:)``), or loading stops with an error.
    public static func directory(for dataset: String = Dataset.mnist.name, dataDirectory: String?) throws -> URL {
        let description = try Dataset.named(dataset)
        var candidates = [URL]()
        if let explicit = dataDirectory { candidates.append(URL(fileURLWithPath: explicit)) }
        if let environment = ProcessInfo.processInfo.environment["POLYNET_DATA"], !environment.isEmpty {
            candidates.append(URL(fileURLWithPath: environment))
        }
        candidates.append(bundledDataRoot)
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Data"))
        var searched = [String]()
        for candidate in candidates {
            for directory in [candidate, candidate.appendingPathComponent(dataset)] {
                searched.append(directory.path)
                if holdsMNISTLayout(directory) {
                    try description.verifyFiles(in: directory)
                    return directory
                }
            }
            // An explicit --data-dir that does not hold the data is an error, not a fallback.
            if dataDirectory != nil && candidate == candidates.first {
                throw DatasetError.notFound(dataset: dataset, searched: searched)
            }
        }
        throw DatasetError.notFound(dataset: dataset, searched: searched)
    }

    /// The MNIST directory (shorthand for `directory(for: "mnist", …)`).
    public static func mnistDirectory(dataDirectory: String?) throws -> URL {
        try directory(for: Dataset.mnist.name, dataDirectory: dataDirectory)
    }

    /// The repository's `Data/` folder, located from this source file at build time.
    static let bundledDataRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data")

    private static func holdsMNISTLayout(_ directory: URL) -> Bool {
        ["t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"].contains {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
    }
}
