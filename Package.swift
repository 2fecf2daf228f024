// swift-tools-version: 6.1
import PackageDescription

// PolyNet: polynomial neural networks on the CPU.
//
// Targets form a one-way chain (see README "Architecture"): only `LinearAlgebra` (and the
// benchmark baseline) import `CBLAS`; only the gzip and PNG code imports `CZlib`.
let numerics = Target.Dependency.product(name: "Numerics", package: "swift-numerics")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "PolyNet",
    products: [
        .library(name: "PolyNet", targets: ["PolyNet"]),
        .executable(name: "polynet", targets: ["polynet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `swift package generate-documentation` (scripts/build-docs.sh); not linked into any target.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // SIMD kernels compiled per instruction set (AVX-512, AVX2, baseline), chosen at load time.
        .target(name: "CKernels"),

        // Numerical core.
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", numerics]),
        .target(name: "Polynomials", dependencies: ["LinearAlgebra", numerics]),
        .target(name: "Activations", dependencies: ["Polynomials", numerics]),

        // Networks and training.
        .target(name: "NeuralNetworks", dependencies: ["LinearAlgebra", "Activations", "CKernels", numerics]),
        .target(name: "Training", dependencies: [
            "LinearAlgebra", "NeuralNetworks", "CKernels", "Datasets", "Interop", "FileSystem", numerics,
        ]),

        // Networks as polynomials.
        // Checkpoints come in as typed models (`Training.Checkpoint`), never as architecture text.
        .target(name: "PolynomialConversion", dependencies: [
            "LinearAlgebra", "Activations", "NeuralNetworks", "Training", "Interop", "FileSystem",
        ]),
        .target(name: "Polynomialization", dependencies: ["LinearAlgebra", "Polynomials", "Activations", "NeuralNetworks", "Training", "Datasets"]),
        .target(name: "Interpretability", dependencies: ["LinearAlgebra", "NeuralNetworks", "Training", "PolynomialConversion", "Polynomialization", "Plotting", "Datasets"]),

        // Input and output.
        .target(name: "FileSystem"),
        .target(name: "Datasets", dependencies: [
            "LinearAlgebra", "CZlib", "FileSystem", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Plotting", dependencies: ["CZlib"]),
        .target(name: "Interop", dependencies: ["LinearAlgebra", "FileSystem"]),

        // Speed measurements (not part of `swift test`); imports CBLAS for the raw baseline.
        // Not in the `PolyNet` library product: only PolyNetCommands (the `polynet bench` commands,
        // shipped in the `polynet` executable) depends on it.
        .target(name: "Benchmarks", dependencies: [
            "LinearAlgebra", "CBLAS", "Polynomials", "Activations", "NeuralNetworks", "Training",
            "Datasets", "PolynomialConversion",
        ]),

        // Command line.
        .target(name: "PolyNetCommands", dependencies: [
            "LinearAlgebra", "Polynomials", "Activations", "NeuralNetworks", "Training",
            "PolynomialConversion", "Interpretability", "Datasets", "Plotting", "Interop",
            "FileSystem", "Polynomialization", "Benchmarks", argumentParser,
        ]),
        .target(name: "PolyNet", dependencies: [
            "LinearAlgebra", "Polynomials", "Activations", "NeuralNetworks", "Training",
            "PolynomialConversion", "Interpretability", "Datasets", "Plotting", "Interop", "FileSystem", "Polynomialization",
        ]),
        .executableTarget(name: "polynet", dependencies: ["PolyNetCommands"]),

        .target(name: "TestSupport", dependencies: ["LinearAlgebra", "NeuralNetworks"], path: "Tests/TestSupport"),
        .testTarget(name: "FileSystemTests", dependencies: ["FileSystem"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "InteropTests", dependencies: ["Interop", "LinearAlgebra", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PolynomialsTests", dependencies: ["Polynomials", "Activations", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "ActivationsTests", dependencies: ["Activations", "Polynomials", "TestSupport"]),
        .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks", "Activations", "Polynomials", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: [
            "Training", "NeuralNetworks", "Datasets", "Interop", "FileSystem", "LinearAlgebra", "TestSupport",
        ], resources: [.copy("Fixtures")]),
        .testTarget(name: "PolynomialConversionTests", dependencies: ["PolynomialConversion", "Activations", "NeuralNetworks", "Polynomials", "LinearAlgebra", "Interop", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "CZlib", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "LinearAlgebra"]),
        .testTarget(name: "InterpretabilityTests", dependencies: [
            "Interpretability", "PolynomialConversion", "Polynomialization", "NeuralNetworks", "Plotting", "Activations", "LinearAlgebra", "TestSupport",
        ]),
        .testTarget(name: "PolynomializationTests", dependencies: ["Polynomialization", "NeuralNetworks", "Polynomials", "LinearAlgebra", "Interop", "Training", "Datasets", "TestSupport"]),
        // The documentation articles' code, compiled and run (Sources/PolyNet/PolyNet.docc).
        .testTarget(name: "DocumentationTests", dependencies: ["PolyNet"]),
        .testTarget(name: "FuzzTests", dependencies: [
            "Interop", "Datasets", "NeuralNetworks", "Training", "PolynomialConversion", "PolyNetCommands", "LinearAlgebra",
            argumentParser,
        ]),
        .testTarget(name: "PolyNetCommandsTests", dependencies: [
            "PolyNetCommands", "Activations", "Polynomials", "LinearAlgebra", "NeuralNetworks", "Training",
            "PolynomialConversion", "Interop", "FileSystem", "Datasets", "Plotting", "TestSupport", argumentParser,
        ]),
    ]
)
