import Activations
import ArgumentParser
import Datasets
import FileSystem
import Foundation
import Interop
import LinearAlgebra
import PolynomialConversion
import Training

/// `polynet convert`: the closed-form least-squares polynomial of a Dense–activation–Dense (or
/// GLU) block under a Gaussian input distribution, with its exact and empirical R².
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an MLP or GLU block (or every block of a deeper MLP) into its least-squares polynomial of any degree, with exact Gaussian R².",
        discussion: """
        polynet convert --checkpoint runs/mlp --degree 2 --distribution data
        A deeper MLP (dense ACT dense ACT … dense) converts block by block, each block (activation K with the dense \
        layers around it) under the Gaussian of its own input: pass --distribution data.
        polynet convert --weights block.safetensors --activation relu --degree 2 --distribution dist.json --explicit --json
        A GLU from PyTorch: --keys input.weight=w1.weight,linear.weight=w3.weight,output.weight=w2.weight \
        (a bias role mapped to 'none' is zero).
        """)

    @Option(help: "A PolyNet checkpoint (.safetensors) or run directory whose architecture is dense(d,n) ACT dense(n,o) [ACT dense(o,p) …], glu(…) or bilinear(…); ACT may be a per-layer hermite(deg=…).")
    var checkpoint: String?

    @Option(help: "A safetensors file with PyTorch nn.Sequential(Linear, act, Linear) keys (0.weight, 0.bias, 2.weight, 2.bias).")
    var weights: String?

    @Option(help: "The activation of --weights (relu, gelu, sigmoid, tanh, silu, softplus, identity, …).")
    var activation: String?

    @Option(parsing: .upToNextOption,
            help: "ROLE=TENSOR pairs mapping other names (roles: input.weight input.bias linear.weight linear.bias output.weight output.bias; TENSOR 'none' for no bias).")
    var keys: [String] = []

    @Option(help: "The degree of the approximant.")
    var degree: Int = 2

    @Option(help: "The input distribution: standard, data (mean and covariance of the training set), mixture (one Gaussian per class; degree 1), or a JSON file {\"mean\": [...], \"covariance\": [[...]]}.")
    var distribution: String = "standard"

    @Option(help: "The data set for --distribution data/mixture and the empirical R²: \(datasetChoices(adding: ["none"])) (default: the checkpoint's, else mnist for 784 inputs).")
    var dataset: String?

    @Option(help: "Directory holding the data set's IDX files.")
    var dataDir: String?

    @Option(help: "Use only the first N test examples for the empirical comparison.")
    var testLimit: Int?

    @Flag(help: "Also compute the explicit quadratic coefficients (o·d² numbers; degree ≤ 2).")
    var explicit = false

    @Flag(help: "Write explicit coefficients even above the size limit.")
    var force = false

    @Option(help: "Size limit for explicit coefficients without --force (numbers).")
    var explicitLimit: Int = 10_000_000

    @Option(help: "Degree to which the off-diagonal series of the exact total variance is summed.")
    var truncation: Int = PolynomialApproximant.defaultVarianceTruncation

    @Flag(help: "Print one JSON object instead of the summary.")
    var json = false

    @Option(help: "Save the approximant (factorized, plus explicit terms when computed) to this .safetensors file.")
    var save: String?

    func validate() throws {
        guard (checkpoint == nil) != (weights == nil) else {
            throw ValidationError("give exactly one of --checkpoint and --weights")
        }
        if weights != nil && activation == nil { throw ValidationError("--weights needs --activation (e.g. relu)") }
        if checkpoint != nil && (activation != nil || !keys.isEmpty) {
            throw ValidationError("--activation and --keys apply to --weights; a checkpoint names its own")
        }
        guard (0 ... PolynomialApproximant.maximumDegree).contains(degree) else {
            throw ValidationError("--degree must be in 0...\(PolynomialApproximant.maximumDegree), got \(degree)")
        }
        if try inputDistribution() == .mixture && degree != 1 {
            throw ValidationError("--distribution mixture fits the linear approximant only; use --degree 1")
        }
        if explicit && degree > 2 {
            throw ValidationError("--explicit writes coefficients up to degree 2; use --save for the factorized form of degree \(degree)")
        }
        guard (1 ... Activation.maximumHermiteDegree).contains(truncation) else {
            throw ValidationError("--truncation must be in 1...\(Activation.maximumHermiteDegree), got \(truncation)")
        }
        if let testLimit, testLimit < 1 { throw ValidationError("--test-limit must be positive") }
        guard explicitLimit >= 0 else { throw ValidationError("--explicit-limit must be zero or more, got \(explicitLimit)") }
        if let save {
            do {
                try RegularFile.checkWritable(save)
            } catch {
                throw ValidationError("--save: \(error)")
            }
        }
    }

    func run() throws {
        BLASRuntime.warmUp()
        let distribution = try inputDistribution()
        let (network, configuredDataset) = try loadNetwork()
        guard network.blocks.count == 1 else {
            try convertDeep(network, distribution: distribution, configuredDataset: configuredDataset)
            return
        }
        let block = network.blocks[0]
        let data = try ConvertData(name: dataset, configured: configuredDataset, inputDimension: block.inputDimension,
                                   needsTraining: distribution.needsTrainingInputs,
                                   dataDirectory: dataDir, testLimit: testLimit)
        var report: ConvertReport
        if distribution == .mixture {
            guard let training = data.training else { throw ValidationError("--distribution mixture needs a data set") }
            let mixture = try GaussianMixture(fittingClassesOf: training.images, labels: training.labels)
            let fit = try block.linearFit(under: mixture)
            report = ConvertReport(block: block, fit: fit, classCount: mixture.components.count)
            if let test = data.test { report.data = fit.compare(block, on: test.images, labels: test.labels) }
        } else {
            guard !distribution.needsTrainingInputs || data.training != nil else {
                throw ValidationError("--distribution data needs a data set (--dataset)")
            }
            let gaussian = try distribution.gaussian(dimension: block.inputDimension, trainingInputs: data.training?.images)
            let approximant = try PolynomialApproximant(of: block, degree: degree, under: gaussian)
            let variance = try approximant.gaussianVariance(truncation: truncation)
            // JSON without --save writes the quadratic forms one output at a time.
            let streamsQuadratic = explicit && json && save == nil && degree == 2
            if degree <= 2 { try approximant.checkExplicitSize(includingQuadratic: explicit, limit: force ? .max : explicitLimit) }
            let terms = degree <= 2 ? try approximant.explicitCoefficients(includingQuadratic: explicit && !streamsQuadratic) : nil
            report = ConvertReport(approximant: approximant, variance: variance, explicit: terms,
                                   distributionName: "\(distribution)")
            if streamsQuadratic { report.streamedQuadratic = approximant }
            if let test = data.test { report.data = approximant.compare(on: test.images, labels: test.labels) }
            if let save {
                try approximant.safeTensors(explicit: terms).write(to: URL(fileURLWithPath: save))
            }
        }
        report.dataset = data.name
        if json {
            // Streamed: an explicit quadratic has up to millions of coefficients.
            var output = JSONStreamWriter.standardOutput()
            try report.writeJSON(to: &output)
            output.flush()
            print("")
        } else {
            print(report.summary)
        }
    }

    /// The network (one block for --weights) and, for a checkpoint, the data set it was trained on.
    private func loadNetwork() throws -> (FeedforwardNetwork, String?) {
        if let checkpoint {
            let loaded = try loadConvertibleCheckpoint(resolveCheckpoint(checkpoint))
            return (try FeedforwardNetwork(model: loaded.model), loaded.configuration?.dataset)
        }
        guard let weights, let activation else { throw ValidationError("give --checkpoint, or --weights with --activation") }
        let file = try SafeTensors(contentsOf: URL(fileURLWithPath: weights))
        let blockKeys = keys.isEmpty ? BlockKeys.sequential : try BlockKeys(mapping: keys)
        let block = try FeedforwardBlock(safeTensors: file, keys: blockKeys, activation: try Activation.named(activation))
        return (try FeedforwardNetwork(blocks: [block]), nil)
    }

    /// Converts every block of a network of several blocks under its own data Gaussian.
    private func convertDeep(_ network: FeedforwardNetwork, distribution: InputDistribution, configuredDataset: String?) throws {
        let count = network.blocks.count
        guard distribution == .data else {
            throw ValidationError("a network of \(count) blocks is converted under each block's own Gaussian, fitted to the training data flowing into it: pass --distribution data")
        }
        if explicit || save != nil {
            throw ValidationError("--explicit and --save write one block's polynomial; this network has \(count) blocks")
        }
        let data = try ConvertData(name: dataset, configured: configuredDataset, inputDimension: network.inputDimension,
                                   needsTraining: true, dataDirectory: dataDir, testLimit: testLimit)
        guard let training = data.training else { throw ValidationError("--distribution data needs a data set (--dataset)") }
        let conversion = try NetworkConversion(network: network, degree: degree, training: training.images,
                                               test: data.test.map { ($0.images, $0.labels) }, truncation: truncation)
        let report = NetworkConvertReport(conversion: conversion, dataset: data.name, testCount: data.test?.count)
        print(json ? try report.jsonText() : report.summary)
    }

    /// `--distribution` as the library's `InputDistribution`, parsed here once (a usage error
    /// when it names none).
    private func inputDistribution() throws -> InputDistribution {
        do {
            return try InputDistribution(parsing: distribution)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

/// The training and test sets a conversion uses, if any.
struct ConvertData {
    var name: String?
    var training: LabeledImages?
    var test: LabeledImages?

    init(name requested: String?, configured: String?, inputDimension: Int, needsTraining: Bool,
         dataDirectory: String?, testLimit: Int?) throws {
        let mnist = Dataset.mnist
        let chosen = requested ?? configured ?? (inputDimension == mnist.imageRows * mnist.imageColumns ? mnist.name : nil)
        guard let chosen, chosen != "none" else {
            if needsTraining { throw ValidationError("this distribution needs a data set; pass --dataset mnist") }
            return
        }
        guard Dataset.knownNames.contains(chosen) else {
            throw ValidationError("unknown data set '\(chosen)'; use \(datasetChoices(adding: ["none"]))")
        }
        let directory = try DataLocator.directory(for: chosen, dataDirectory: dataDirectory)
        var test = try MNIST.load(.test, from: directory)
        guard test.images.columns == inputDimension else {
            throw ValidationError("the block takes \(inputDimension) inputs but \(chosen) images have \(test.images.columns) pixels; pass --dataset none")
        }
        if let testLimit { test = test.prefix(testLimit) }
        name = chosen
        self.test = test
        if needsTraining { training = try MNIST.load(.train, from: directory) }
    }
}
