import ArgumentParser
import Datasets
import FileSystem
import Activations
import Foundation
import Interpretability
import LinearAlgebra
import NeuralNetworks
import Polynomialization
import Training

/// `polynet polyize`: turn a trained network into one that adds and multiplies only.
struct PolyizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polyize",
        abstract: "Replace a trained network's nonlinearities by polynomials fitted on their measured input ranges; report accuracy, ranges and multiplicative depth.",
        discussion: """
        polynet polyize --checkpoint runs/mlp --degree 15
        polynet polyize --checkpoint runs/mlp --max-error 1e-2 --percentile 0.01 --out runs/mlp-poly

        The training set is pushed through the network to measure every nonlinearity's inputs; each is \
        replaced by the minimax polynomial on [min, max] (or the central interval without --percentile % \
        in each tail), widened by --margin; the original and the polynomial network are then compared on \
        the test set. Depth: one level per dense layer, each polynomial's Chebyshev Paterson–Stockmeyer \
        depth (OpenFHE's scheme). --out writes profile.json, manifest.json (intervals, Chebyshev \
        coefficients in the full and in OpenFHE's halved-constant convention, depths), \
        weights.safetensors, polynomial.safetensors (the polynomial network as a checkpoint polynet eval \
        loads), one histogram-layer-K.svg per nonlinearity and index.html (a self-contained report: \
        summary, layers, histograms, minimax error against degree, accuracy against depth budget); with several \
        --depth-budget values it writes the profile, the figures and the report only.
        """)

    @Option(help: "A .safetensors checkpoint or a run directory.")
    var checkpoint: String

    @Option(help: "The degree of every replacement polynomial (default: 15, unless --max-error).")
    var degree: Int?

    @Option(help: "Instead of --degree: the smallest degree whose certified max error on the interval is at most this.")
    var maxError: Double?

    @Option(help: ArgumentHelp("Instead of --degree: the network's total multiplicative depth, shared by the nonlinearities (dynamic programming over their error curves); several, comma-separated, print accuracy per budget.", valueName: "depths"))
    var depthBudget: String?

    @Option(help: ArgumentHelp("How each nonlinearity is fitted: minimax (the best uniform error on its interval, certified), gaussian (least squares under the normal distribution with the measured mean and standard deviation of its inputs) or composite (ReLU layers as x·(1 + P(x/R))/2, P a composite minimax sign on [−R, R] meeting --max-error; other nonlinearities by minimax).",
                               valueName: "minimax|gaussian|composite"))
    var method: ApproximationMethod = .minimax

    @Flag(help: "Profile and fit every channel of each nonlinearity's input on its own interval (a unit after a dense layer, an output channel after a convolution; one degree for all): profile.json lists each one's range, and the table the narrowest and widest.")
    var perChannel = false

    @Option(help: "Fit on the central interval leaving this percentage of the measured inputs in each tail (default: the whole range).")
    var percentile: Double?

    @Option(help: "Widen each interval's half-width by this factor (at least 1).")
    var margin: Double = 1.05

    @Option(help: "The degree of the polynomial that starts 1/√(var + ε) in each LayerNorm.")
    var inverseDegree: Int = 7

    @Option(help: "Newton steps y ← y·(3 − v·y²)/2 after that polynomial (each costs 3 levels).")
    var newtonSteps: Int = 1

    @Option(help: "The data set (default: the checkpoint's).")
    var dataset: String?

    @Option(help: "Directory holding the data set's IDX files.")
    var dataDir: String?

    @Option(help: "Profile on the first N training examples only.")
    var limit: Int?

    @Option(help: "Evaluate on the first N test examples only.")
    var testLimit: Int?

    @Option(help: "Run the export on the first N test images with an evaluator that can only add and multiply, and compare its outputs and depth with the network's.")
    var verify: Int = 0

    @Option(help: "Fine-tune the polynomial network for this many epochs (polynomials fixed, a penalty on inputs outside their intervals).")
    var fineTuneEpochs: Int = 0

    @Option(help: "The fine-tuning learning rate (Adam).")
    var fineTuneLearningRate: Double = 1e-4

    @Flag(help: "Replace the nonlinearities one after another during fine-tuning, from the input side (epoch e of N runs with the first ⌈e·L/N⌉ of L replaced).")
    var progressive = false

    @Option(help: "The weight λ of the fine-tuning penalty λ·Σ max(0, |x − c| − h)² per example on each polynomial's inputs.")
    var rangePenalty: Double = 1

    @Option(help: "Write profile.json, manifest.json, weights.safetensors, polynomial.safetensors, histograms, index.html and (after fine-tuning) metrics.jsonl into this new (or empty) directory.")
    var out: String?

    func validate() throws {
        guard [degree != nil, maxError != nil, depthBudget != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("give one of --degree, --max-error and --depth-budget")
        }
        _ = try depthBudgets()
        guard ActivationFit.methods.contains(method) else {
            let names = ActivationFit.methods.map(\.rawValue)
            throw ValidationError("--method must be \(names.dropLast().joined(separator: ", ")) or \(names.last ?? ""), got \(method.rawValue)")
        }
        if perChannel && (method == .composite || depthBudget != nil) {
            throw ValidationError("--per-channel fits take --degree or --max-error with minimax or gaussian (not --method composite or --depth-budget)")
        }
        if method == .composite && maxError == nil {
            throw ValidationError("--method composite needs --max-error: a composite is chosen by its error bound (not by --degree or --depth-budget)")
        }
        if progressive && fineTuneEpochs == 0 { throw ValidationError("--progressive needs --fine-tune-epochs") }
        if let degree, !(1 ... ActivationFit.maximumDegree).contains(degree) {
            throw ValidationError("--degree must be in 1...\(ActivationFit.maximumDegree), got \(degree)")
        }
        if let maxError, !(maxError > 0 && maxError.isFinite) {
            throw ValidationError("--max-error must be positive and finite, got \(maxError)")
        }
        if let percentile, !(percentile >= 0 && percentile < 50) {
            throw ValidationError("--percentile must be in [0, 50), got \(percentile)")
        }
        guard (1 ... ActivationFit.maximumDegree).contains(inverseDegree) else {
            throw ValidationError("--inverse-degree must be in 1...\(ActivationFit.maximumDegree), got \(inverseDegree)")
        }
        guard (0 ... InverseSquareRoot.maximumNewtonSteps).contains(newtonSteps) else {
            throw ValidationError("--newton-steps must be in 0...\(InverseSquareRoot.maximumNewtonSteps), got \(newtonSteps)")
        }
        guard margin >= 1 && margin <= 100 else { throw ValidationError("--margin must be in 1...100, got \(margin)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be positive") }
        if let testLimit, testLimit < 1 { throw ValidationError("--test-limit must be positive") }
        guard (0 ... 100).contains(fineTuneEpochs) else {
            throw ValidationError("--fine-tune-epochs must be in 0...100, got \(fineTuneEpochs)")
        }
        guard fineTuneLearningRate > 0, fineTuneLearningRate <= 1 else {
            throw ValidationError("--fine-tune-learning-rate must be in (0, 1], got \(fineTuneLearningRate)")
        }
        guard rangePenalty >= 0, rangePenalty.isFinite else {
            throw ValidationError("--range-penalty must be zero or positive and finite, got \(rangePenalty)")
        }
        guard (0 ... 10_000).contains(verify) else { throw ValidationError("--verify must be in 0...10000, got \(verify)") }
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

    /// The budgets --depth-budget lists (empty without it).
    func depthBudgets() throws -> [Int] {
        guard let depthBudget else { return [] }
        let values = depthBudget.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { (1 ... 10_000).contains($0) } ?? false }) else {
            throw ValidationError("--depth-budget must be comma-separated depths in 1...10000, got '\(depthBudget)'")
        }
        return values.compactMap { $0 }
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
        let (ranges, variances) = try RangeProfile.measureAll(loaded.model, on: training.images, perChannel: perChannel)
        let profiled = Date()
        let rule = IntervalRule(tailPercent: percentile, margin: margin)
        let budgets = try depthBudgets()
        let inverses = try Dictionary(uniqueKeysWithValues: variances.map { range in
            (range.layerIndex, try InverseSquareRoot(on: InverseSquareRoot.interval(for: range, margin: margin), degree: inverseDegree,
                                                     newtonSteps: newtonSteps))
        })
        var report = PolynomializationReport(title: url.path, ranges: ranges, variances: variances, rule: rule,
                                             trainingCount: training.count, testCount: test.count)
        if budgets.count > 1 {
            report.budgetSweep = try DepthBudgetOutcome.sweep(budgets, model: loaded.model, ranges: ranges, interval: rule,
                                                              method: method, inverseSquareRoots: inverses,
                                                              inputs: test.images, labels: test.labels)
            printSweep(report.budgetSweep, testCount: test.count)
            if let out {
                try Directory.create(out)
                try writeProfile(ranges, to: out)
                try writeReport(report, to: out)
            }
            return
        }
        let degrees: DegreeRule = maxError.map { .maxError($0) } ?? .degree(degree ?? 15)
        let fits = try budgets.first.map {
            try DepthAllocation.fits(for: ranges, in: loaded.model, interval: rule, budget: $0, method: method,
                                     inverseSquareRoots: inverses)
        } ?? ranges.map {
            perChannel ? try ActivationFit.fitPerChannel($0, interval: rule, degree: degrees, method: method)
                : try ActivationFit.fit($0, interval: rule, degree: degrees, method: method)
        }
        var network = try PolynomialNetwork(replacingIn: loaded.model, with: fits, inverseSquareRoots: inverses)
        let fitted = Date()
        var comparison = try NetworkComparison(original: loaded.model, polynomial: network,
                                               inputs: test.images, labels: test.labels)
        let evaluated = Date()
        let fineTuning = fineTuneEpochs > 0
            ? try fineTune(&network, comparison: &comparison, original: loaded, name: name, training: training, test: test)
            : []

        print("\(url.path): \(loaded.model.specification); profiled on \(training.count) \(name) training images")
        printTable(header: ["layer", "function", "min", "p0.01", "mean", "std", "p99.99", "max"],
                   rows: ranges.map { range in
                       let d = range.distribution
                       return [String(range.layerIndex), range.function.rawValue] + [d.minimum, d.percentile(0.01), d.mean,
                               d.standardDeviation, d.percentile(99.99), d.maximum].map { String(format: "%.4g", $0) }
                   })
        for range in ranges {
            guard let channels = range.channels, let narrowest = channels.min(by: { $0.maximum - $0.minimum < $1.maximum - $1.minimum }),
                  let widest = channels.max(by: { $0.maximum - $0.minimum < $1.maximum - $1.minimum }) else { continue }
            print("layer \(range.layerIndex) \(range.function.rawValue): \(channels.count) channels, the narrowest on "
                  + String(format: "[%.4g, %.4g], the widest on [%.4g, %.4g]", narrowest.minimum, narrowest.maximum, widest.minimum, widest.maximum))
        }
        for range in variances {
            let d = range.distribution
            print("layer \(range.layerIndex) layernorm: var + ε in [\(String(format: "%.4g", d.minimum)), \(String(format: "%.4g", d.maximum))], "
                  + "mean \(String(format: "%.4g", d.mean))")
        }
        print("")
        for (index, inverse) in inverses.sorted(by: { $0.key < $1.key }) {
            let interval = inverse.polynomial.basis.interval
            print("layer \(index) layernorm: 1/√v on [\(String(format: "%.4g", interval.lowerBound)), \(String(format: "%.4g", interval.upperBound))] "
                  + "by degree \(inverse.polynomial.degree) + \(inverse.newtonSteps) Newton step(s): relative error "
                  + "\(String(format: "%.3g", inverse.relativeError)), depth \(PolynomialNetwork.layerNormDepth(inverse))")
        }
        printTable(header: ["layer", "interval", "degree", "max error", "depth", "products", "test inputs outside", "largest excursion"],
                   rows: zip(fits, comparison.excursions).map { fit, excursion in
                       [String(fit.layerIndex), String(format: "[%.4g, %.4g]", fit.interval.lowerBound, fit.interval.upperBound),
                        fit.degreeDescription, String(format: "%.3g", fit.maxError), String(fit.cost.depth),
                        String(fit.cost.nonScalarMultiplications), String(format: "%.4f%%", 100 * excursion.outsideShare),
                        String(format: "%.3f×", excursion.largestExcursion)]
                   })
        for fit in fits {
            if let channels = fit.channels, let single = fit.comparisonError {
                print("layer \(fit.layerIndex) \(fit.function.rawValue): \(channels.count) channels, each on its own interval at degree "
                      + "\(fit.polynomial.degree): largest certified error \(String(format: "%.3g", fit.maxError)); one polynomial for the "
                      + "layer on [\(String(format: "%.4g", fit.polynomial.basis.interval.lowerBound)), "
                      + "\(String(format: "%.4g", fit.polynomial.basis.interval.upperBound))]: \(String(format: "%.3g", single))")
            }
            guard let composite = fit.composite, let single = fit.comparisonError else { continue }
            print("layer \(fit.layerIndex) relu: composite on [−\(String(format: "%.4g", composite.radius)), \(String(format: "%.4g", composite.radius))], "
                  + "sign stages of degree \(fit.degreeDescription) (ε = \(String(format: "%.3g", composite.sign.epsilon))): certified error "
                  + String(format: "%.3g outside the band |x| < %.3g, %.3g inside", composite.outsideBandError, composite.band, composite.bandError ?? 0)
                  + "; the single minimax polynomial of degree \(ActivationFit.compositeComparisonDegree) there: \(String(format: "%.3g", single))")
        }
        print("")
        print("total multiplicative depth \(network.totalDepth) (per layer: \(network.layerDepths.map(String.init).joined(separator: " + ")))")
        print("\(name) test (\(test.count) images): original \(accuracyPercent(comparison.originalAccuracy)), "
              + "polynomial \(accuracyPercent(comparison.polynomialAccuracy)), agreement \(accuracyPercent(comparison.agreement)), "
              + String(format: "mean KL %.3g, largest logit difference %.3g", comparison.meanKL, comparison.largestLogitDifference))
        if verify > 0 {
            let check = try AddMultiplyEvaluator.verify(network, original: loaded.model,
                                                        inputs: test.images.rows(0 ..< min(verify, test.count)))
            print("add/multiply-only evaluator on \(check.count) test images: depth \(check.measuredDepth) (reported "
                  + "\(check.reportedDepth)), \(check.nonScalarMultiplications) products of two values, outputs within "
                  + String(format: "%.2g", check.largestRelativeDifference) + " of the network's (relative to the largest logit)")
        }
        // The fitted interval already includes the margin: an excursion beyond 1 leaves it.
        for (fit, excursion) in zip(fits, comparison.excursions) where excursion.largestExcursion > 1 {
            let half = (fit.interval.upperBound - fit.interval.lowerBound) / 2
            let centre = (fit.interval.lowerBound + fit.interval.upperBound) / 2
            let errors = [centre - excursion.largestExcursion * half, centre + excursion.largestExcursion * half].map {
                abs(fit.function.activation.value($0) - fit($0))
            }
            print("warning: layer \(fit.layerIndex): \(String(format: "%.4f%%", 100 * excursion.outsideShare)) of test inputs leave the fitted interval, "
                  + "up to \(String(format: "%.3g", excursion.largestExcursion))× its half-width; there the polynomial is off by up to "
                  + String(format: "%.3g", errors.max() ?? 0))
        }
        print(String(format: "time: profile %.2f s, fit %.2f s, evaluate %.2f s", profiled.timeIntervalSince(started),
                     fitted.timeIntervalSince(profiled), evaluated.timeIntervalSince(fitted)))
        if let out {
            try export(network, original: loaded, ranges: ranges, fineTuning: fineTuning, to: out)
            report.conversion = .init(network: network, comparison: comparison)
            try writeReport(report, to: out)
        }
    }

    /// Fine-tunes `network` (see `FineTuning`), printing test accuracy and the share of test
    /// inputs outside each interval before, per epoch and after, and replaces `comparison` with
    /// the one after. Returns the epochs' records for metrics.jsonl.
    private func fineTune(_ network: inout PolynomialNetwork, comparison: inout NetworkComparison, original: Checkpoint<Float>,
                          name: String, training: LabeledImages, test: LabeledImages) throws -> [FineTuningEpoch] {
        var configuration = TrainingConfiguration(architecture: network.model.specification)
        configuration.dataset = name
        configuration.epochs = fineTuneEpochs
        configuration.learningRate = fineTuneLearningRate
        configuration.seed = original.configuration?.seed ?? 0
        func outside(_ excursions: [NetworkComparison.Excursion]) -> String {
            excursions.map { "layer \($0.layerIndex) \(String(format: "%.4f%%", 100 * $0.outsideShare))" }.joined(separator: ", ")
        }
        print("fine-tuning \(fineTuneEpochs) epoch(s)\(progressive ? ", replacing the nonlinearities progressively" : ""), "
              + "polynomials fixed, range penalty \(rangePenalty): before, test accuracy "
              + "\(accuracyPercent(comparison.polynomialAccuracy)), test inputs outside: \(outside(comparison.excursions))")
        let records = try FineTuning.run(&network, configuration: configuration, training: training, test: test, penalty: rangePenalty,
                                         progressive: progressive ? original.model : nil) { event in
            if case let .epoch(record) = event {
                let metrics = record.metrics
                print("  epoch \(metrics.epoch): train loss \(String(format: "%.4f", metrics.trainLoss)), test accuracy "
                      + "\(accuracyPercent(metrics.testAccuracy)), \(Int(metrics.samplesPerSecond)) samples/s, test inputs outside: "
                      + outside(record.excursions))
            }
        }
        comparison = try NetworkComparison(original: original.model, polynomial: network, inputs: test.images, labels: test.labels)
        print("after: test accuracy \(accuracyPercent(comparison.polynomialAccuracy)), test inputs outside: \(outside(comparison.excursions))")
        return records
    }

    /// Prints the polynomial network's test accuracy for each depth budget, with the degrees
    /// the allocation chose.
    private func printSweep(_ outcomes: [DepthBudgetOutcome], testCount: Int) {
        let original = outcomes.first.map { " (original \(accuracyPercent($0.originalAccuracy)))" } ?? ""
        print("depth budget sweep on \(testCount) test images" + original)
        printTable(header: ["budget", "degrees per nonlinearity", "depth", "accuracy"], rows: outcomes.map { outcome in
            [String(outcome.budget),
             outcome.degrees.map { $0.map(String.init).joined(separator: ", ") } ?? "below the minimum \(outcome.minimumDepth)",
             outcome.depth.map(String.init) ?? "", outcome.accuracy.map(accuracyPercent) ?? ""]
        })
    }

    /// Adds the error curves to `report` and writes its histograms and index.html into `path`.
    private func writeReport(_ report: PolynomializationReport, to path: String) throws {
        var report = report
        report.errorCurves = try report.ranges.map {
            try MinimaxErrorCurve($0, interval: report.rule, degrees: MinimaxErrorCurve.reportedDegrees)
        }
        let histograms = report.histograms()
        for figure in histograms { try RegularFile.write(figure.svg, to: path + "/" + figure.fileName) }
        try RegularFile.write(report.page().html(), to: path + "/index.html")
        print("wrote \(path)/index.html and \(histograms.count) histogram(s)")
    }

    /// Writes profile.json, manifest.json, weights.safetensors, polynomial.safetensors and,
    /// after fine-tuning, metrics.jsonl (one line per epoch) into `path`.
    private func export(_ network: PolynomialNetwork, original: Checkpoint<Float>, ranges: [LayerRange],
                        fineTuning: [FineTuningEpoch], to path: String) throws {
        try Directory.create(path)
        try writeProfile(ranges, to: path)
        if !fineTuning.isEmpty {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let lines = try fineTuning.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try RegularFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: path + "/" + RunDirectory.metricsFileName)
        }
        try RegularFile.write(try PolynomialNetworkManifest(network, original: original.model).encoded(),
                              to: path + "/manifest.json")
        // The polynomial network's own parameters (fine-tuned ones included) under the original
        // layers' names, plus its polynomials' coefficient tensors.
        let checkpoint = Checkpoint(model: network.model, configuration: original.configuration)
        try checkpoint.write(to: URL(fileURLWithPath: path + "/weights.safetensors"))
        try checkpoint.write(to: URL(fileURLWithPath: path + "/" + PolynomialNetwork.checkpointFileName))
        print("wrote \(path)/profile.json, manifest.json, weights.safetensors and \(PolynomialNetwork.checkpointFileName) "
              + "(polynet eval --checkpoint \(path))")
    }

    /// Writes profile.json into `path`.
    private func writeProfile(_ ranges: [LayerRange], to path: String) throws {
        try RegularFile.write(try RangeProfile.encoded(ranges), to: path + "/profile.json")
    }
}
