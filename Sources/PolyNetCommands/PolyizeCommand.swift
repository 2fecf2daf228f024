import ArgumentParser
import Datasets
import FileSystem
import Foundation
import LinearAlgebra
import NeuralNetworks
import Polynomialization
import Training

/// `polynet polyize`: turn a trained network into one that adds and multiplies only.
struct PolyizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polyize",
        abstract: "Replace a trained network's nonlinearities by minimax polynomials on their measured input ranges; report accuracy, ranges and multiplicative depth.",
        discussion: """
        polynet polyize --checkpoint runs/mlp --degree 15
        polynet polyize --checkpoint runs/mlp --max-error 1e-2 --percentile 0.01 --out runs/mlp-poly

        The training set is pushed through the network to measure every nonlinearity's inputs; each is \
        replaced by the minimax polynomial on [min, max] (or the central interval without --percentile % \
        in each tail), widened by --margin; the original and the polynomial network are then compared on \
        the test set. Depth: one level per dense layer, each polynomial's Chebyshev Paterson–Stockmeyer \
        depth (OpenFHE's scheme). --out writes profile.json, manifest.json (intervals, Chebyshev \
        coefficients in the full and in OpenFHE's halved-constant convention, depths) and \
        weights.safetensors.
        """)

    @Option(help: "A .safetensors checkpoint or a run directory.")
    var checkpoint: String

    @Option(help: "The degree of every replacement polynomial (default: 15, unless --max-error).")
    var degree: Int?

    @Option(help: "Instead of --degree: the smallest degree whose certified max error on the interval is at most this.")
    var maxError: Double?

    @Option(help: "Fit on the central interval leaving this percentage of the measured inputs in each tail (default: the whole range).")
    var percentile: Double?

    @Option(help: "Widen each interval's half-width by this factor (at least 1).")
    var margin: Double = 1.05

    @Option(help: "The data set (default: the checkpoint's).")
    var dataset: String?

    @Option(help: "Directory holding the data set's IDX files.")
    var dataDir: String?

    @Option(help: "Profile on the first N training examples only.")
    var limit: Int?

    @Option(help: "Evaluate on the first N test examples only.")
    var testLimit: Int?

    @Option(help: "Write profile.json, manifest.json and weights.safetensors into this new (or empty) directory.")
    var out: String?

    func validate() throws {
        if degree != nil && maxError != nil { throw ValidationError("give --degree or --max-error, not both") }
        if let degree, !(1 ... ActivationFit.maximumDegree).contains(degree) {
            throw ValidationError("--degree must be in 1...\(ActivationFit.maximumDegree), got \(degree)")
        }
        if let maxError, !(maxError > 0 && maxError.isFinite) {
            throw ValidationError("--max-error must be positive and finite, got \(maxError)")
        }
        if let percentile, !(percentile >= 0 && percentile < 50) {
            throw ValidationError("--percentile must be in [0, 50), got \(percentile)")
        }
        guard margin >= 1 && margin <= 100 else { throw ValidationError("--margin must be in 1...100, got \(margin)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be positive") }
        if let testLimit, testLimit < 1 { throw ValidationError("--test-limit must be positive") }
        if let dataset { _ = try Dataset.named(dataset) }
        if let out {
            do {
                try Directory.checkCreatable(out)
            } catch {
                throw ValidationError("--out: \(error)")
            }
            if let names = try? FileManager.default.contentsOfDirectory(atPath: out), !names.isEmpty {
                throw ValidationError("--out: \(out) is not empty; choose a new directory")
            }
        }
    }

    func run() throws {
        BLASRuntime.warmUp()
        let url = try resolveCheckpoint(checkpoint)
        let loaded = try Checkpoint<Float>(contentsOf: url)
        let name = dataset ?? loaded.configuration?.dataset ?? Dataset.mnist.name
        let directory = try DataLocator.directory(for: name, dataDirectory: dataDir)
        var training = try MNIST.load(.train, from: directory)
        var test = try MNIST.load(.test, from: directory)
        if let limit { training = training.prefix(limit) }
        if let testLimit { test = test.prefix(testLimit) }

        let started = Date()
        let ranges = try RangeProfile.measure(loaded.model, on: training.images)
        let profiled = Date()
        let rule = IntervalRule(tailPercent: percentile, margin: margin)
        let degrees: DegreeRule = maxError.map { .maxError($0) } ?? .degree(degree ?? 15)
        let fits = try ranges.map { try ActivationFit.fit($0, interval: rule, degree: degrees) }
        let network = try PolynomialNetwork(replacingIn: loaded.model, with: fits)
        let fitted = Date()
        let comparison = try NetworkComparison(original: loaded.model, polynomial: network,
                                               inputs: test.images, labels: test.labels)
        let evaluated = Date()

        print("\(url.path): \(loaded.model.specification); profiled on \(training.count) \(name) training images")
        printTable(header: ["layer", "function", "min", "p0.01", "mean", "std", "p99.99", "max"],
                   rows: ranges.map { range in
                       let d = range.distribution
                       return [String(range.layerIndex), range.function.rawValue] + [d.minimum, d.percentile(0.01), d.mean,
                               d.standardDeviation, d.percentile(99.99), d.maximum].map { String(format: "%.4g", $0) }
                   })
        print("")
        printTable(header: ["layer", "interval", "degree", "max error", "depth", "products", "test inputs outside", "largest excursion"],
                   rows: zip(fits, comparison.excursions).map { fit, excursion in
                       [String(fit.layerIndex), String(format: "[%.4g, %.4g]", fit.interval.lowerBound, fit.interval.upperBound),
                        String(fit.polynomial.degree), String(format: "%.3g", fit.maxError), String(fit.cost.depth),
                        String(fit.cost.nonScalarMultiplications), String(format: "%.4f%%", 100 * excursion.outsideShare),
                        String(format: "%.3f×", excursion.largestExcursion)]
                   })
        print("")
        print("total multiplicative depth \(network.totalDepth) (per layer: \(network.layerDepths.map(String.init).joined(separator: " + ")))")
        print("\(name) test (\(test.count) images): original \(accuracyPercent(comparison.originalAccuracy)), "
              + "polynomial \(accuracyPercent(comparison.polynomialAccuracy)), agreement \(accuracyPercent(comparison.agreement)), "
              + String(format: "mean KL %.3g, largest logit difference %.3g", comparison.meanKL, comparison.largestLogitDifference))
        // The fitted interval already includes the margin: an excursion beyond 1 leaves it.
        for (fit, excursion) in zip(fits, comparison.excursions) where excursion.largestExcursion > 1 {
            let half = (fit.interval.upperBound - fit.interval.lowerBound) / 2
            let centre = (fit.interval.lowerBound + fit.interval.upperBound) / 2
            let errors = [centre - excursion.largestExcursion * half, centre + excursion.largestExcursion * half].map {
                abs(fit.function.activation.value($0) - fit.polynomial($0))
            }
            print("warning: layer \(fit.layerIndex): \(String(format: "%.4f%%", 100 * excursion.outsideShare)) of test inputs leave the fitted interval, "
                  + "up to \(String(format: "%.3g", excursion.largestExcursion))× its half-width; there the polynomial is off by up to "
                  + String(format: "%.3g", errors.max() ?? 0))
        }
        print(String(format: "time: profile %.2f s, fit %.2f s, evaluate %.2f s", profiled.timeIntervalSince(started),
                     fitted.timeIntervalSince(profiled), evaluated.timeIntervalSince(fitted)))
        if let out { try export(network, original: loaded, ranges: ranges, to: out) }
    }

    /// Writes profile.json, manifest.json and weights.safetensors into `path`.
    private func export(_ network: PolynomialNetwork, original: Checkpoint<Float>, ranges: [LayerRange], to path: String) throws {
        try Directory.create(path)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let profile = ranges.map { range in
            ProfileEntry(layer: range.layerIndex, function: range.function.rawValue, count: range.distribution.count,
                         minimum: range.distribution.minimum, maximum: range.distribution.maximum,
                         mean: range.distribution.mean, standardDeviation: range.distribution.standardDeviation,
                         percentiles: Dictionary(uniqueKeysWithValues: ValueDistribution.reportedPercentiles.map {
                             (String($0), range.distribution.percentile($0))
                         }))
        }
        try RegularFile.write(try encoder.encode(profile), to: path + "/profile.json")
        try RegularFile.write(try encoder.encode(PolynomialNetworkManifest(network, original: original.model)),
                              to: path + "/manifest.json")
        try original.write(to: URL(fileURLWithPath: path + "/weights.safetensors"))
        print("wrote \(path)/profile.json, manifest.json and weights.safetensors")
    }

    /// One nonlinearity's measured inputs, as profile.json lists them.
    private struct ProfileEntry: Encodable {
        var layer: Int
        var function: String
        var count: Int
        var minimum, maximum, mean, standardDeviation: Double
        var percentiles: [String: Double]
    }
}
