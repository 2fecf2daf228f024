import Foundation

/// A data set in MNIST's file layout: its name, files and their checksums, image shape and
/// class names. Every command that loads, fetches or labels data asks this type.
///
/// ```swift
/// let fashion = try Dataset.named("fashion-mnist")
/// fashion.classNames[9]   // "ankle boot"
/// ```
public struct Dataset: Sendable, Equatable {
    /// One file and its checksums (lowercase hex SHA-256).
    public struct File: Sendable, Equatable {
        /// The file name, e.g. `train-images-idx3-ubyte.gz`.
        public var name: String
        /// The SHA-256 of the published (gzip-compressed) file.
        public var sha256: String
        /// The SHA-256 of its decompressed bytes, where known: it also accepts a copy that was
        /// compressed again or stored uncompressed.
        public var contentSHA256: String?

        /// A file with its published checksum and, where known, the checksum of its decompressed bytes.
        public init(name: String, sha256: String, contentSHA256: String? = nil) {
            self.name = name
            self.sha256 = sha256
            self.contentSHA256 = contentSHA256
        }
    }

    /// The name commands take (`mnist`), also its subdirectory under a data root.
    public var name: String
    /// Where `DatasetFetcher` downloads the files from (the file names are appended); nil for
    /// a data set that ships with PolyNet.
    public var source: URL?
    /// The files, with checksums.
    public var files: [File]
    /// Image height and width in pixels.
    public var imageRows: Int
    /// Image width in pixels.
    public var imageColumns: Int
    /// The name of each class, by label.
    public var classNames: [String]

    /// A data set description; see the properties.
    public init(name: String, source: URL?, files: [File], imageRows: Int = 28, imageColumns: Int = 28,
                classNames: [String]) {
        self.name = name
        self.source = source
        self.files = files
        self.imageRows = imageRows
        self.imageColumns = imageColumns
        self.classNames = classNames
    }

    /// MNIST handwritten digits (LeCun, Cortes, Burges), bundled in the repository's
    /// `Data/mnist` (checksums of those files, see its README).
    public static let mnist = Dataset(
        name: "mnist", source: nil,
        files: [
            File(name: "train-images-idx3-ubyte.gz", sha256: "b09d8b89df4ad239afc76a323dbe9559169cd8cca365467dfe8aa1f7ca54109b",
                 contentSHA256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            File(name: "train-labels-idx1-ubyte.gz", sha256: "c51906e7929bbf7c824fbd16019b56297269ca82cba449c5b5d59c0a02147fed",
                 contentSHA256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            File(name: "t10k-images-idx3-ubyte.gz", sha256: "f72c2dff3457595ec2fe452d25d97b7f974a74ad5b006687704212bedd1486d8",
                 contentSHA256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            File(name: "t10k-labels-idx1-ubyte.gz", sha256: "4baf84ddd60ae342cfdd282ec3fba3249a201a4459782165496a7cbebbe49a2e",
                 contentSHA256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
        ],
        classNames: (0 ... 9).map { "digit \($0)" })

    /// Fashion-MNIST (Zalando Research, MIT licence): MNIST's layout and sizes, clothing
    /// images. Checksums as published by two independent loaders that agree.
    public static let fashionMNIST = Dataset(
        name: "fashion-mnist",
        source: URL(string: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
        files: [
            File(name: "train-images-idx3-ubyte.gz", sha256: "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc"),
            File(name: "train-labels-idx1-ubyte.gz", sha256: "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc"),
            File(name: "t10k-images-idx3-ubyte.gz", sha256: "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229"),
            File(name: "t10k-labels-idx1-ubyte.gz", sha256: "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf"),
        ],
        classNames: ["T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"])

    /// Every data set PolyNet knows.
    public static let known = [mnist, fashionMNIST]

    /// The known names, for help texts and messages.
    public static var knownNames: [String] { known.map(\.name) }

    /// The data set called `name`.
    public static func named(_ name: String) throws(DatasetError) -> Dataset {
        guard let dataset = known.first(where: { $0.name == name }) else {
            throw .unknown(name: name, known: knownNames)
        }
        return dataset
    }

    /// The number of classes.
    public var classCount: Int { classNames.count }
}
