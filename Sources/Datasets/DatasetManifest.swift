import Foundation

/// Where a downloadable data set lives and the SHA-256 of each of its files.
public struct DatasetManifest: Sendable {
    /// One file and its expected SHA-256 (lowercase hex).
    public struct File: Sendable {
        public var name: String
        public var sha256: String

        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// The data set's name, also its subdirectory under the data root.
    public var name: String
    /// The URL the file names are appended to.
    public var baseURL: URL
    /// The files to fetch.
    public var files: [File]

    public init(name: String, baseURL: URL, files: [File]) {
        self.name = name
        self.baseURL = baseURL
        self.files = files
    }

    /// Fashion-MNIST (Zalando Research, MIT licence): MNIST's layout and sizes, clothing
    /// images. Checksums as published by two independent loaders that agree.
    public static let fashionMNIST = DatasetManifest(
        name: "fashion-mnist",
        baseURL: URL(string: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")!,
        files: [
            File(name: "train-images-idx3-ubyte.gz", sha256: "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc"),
            File(name: "train-labels-idx1-ubyte.gz", sha256: "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc"),
            File(name: "t10k-images-idx3-ubyte.gz", sha256: "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229"),
            File(name: "t10k-labels-idx1-ubyte.gz", sha256: "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf"),
        ])

    /// The manifests `polynet data fetch` knows, by name.
    public static let known = [fashionMNIST.name: fashionMNIST]
}
