import Activations
import LinearAlgebra
import NeuralNetworks
import Testing
import TestSupport
@testable import PolynomialConversion

/// Deep MLPs as chains of blocks, and polynomial (Hermite) networks converted exactly.
@Suite("Networks of several blocks and polynomial networks")
struct NetworkConversionTests {
    /// A model from the architecture language with every Hermite activation's coefficients drawn
    /// at random (N(0, 1), so that no term is negligible).
    static func hermiteModel(_ architecture: String, using generator: inout some RandomNumberGenerator) throws -> Sequential<Double> {
        var model = try Architecture(parsing: architecture).makeModel(as: Double.self, using: &generator)
        for index in model.layers.indices {
            guard var hermite = model.layers[index] as? HermiteActivation<Double> else { continue }
            hermite.coefficients = .randomNormal(rows: hermite.coefficients.rows, columns: hermite.coefficients.columns,
                                                 using: &generator)
            model.layers[index] = hermite
        }
        return model
    }

    /// The coefficients of F(m + s·u) in He_j(u), F = Σ_k a_k·He_k/k!, by symbolic expansion:
    /// power basis of He_k/k! by φ_k = (x·φ_{k−1} − φ_{k−2})/k, binomial substitution x = m + s·u,
    /// then uⁿ = Σ_t n!/(t!·(n−2t)!·2ᵗ)·He_{n−2t}(u).
    static func symbolicHermiteCoefficients(_ a: [Double], mean m: Double, deviation s: Double) -> [Double] {
        let d = a.count - 1
        var power = [Double](repeating: 0, count: d + 1)
        var (previous, current) = ([Double](repeating: 0, count: d + 1), [1.0] + [Double](repeating: 0, count: d))
        for k in 0 ... d {
            if k > 0 {
                var next = [Double](repeating: 0, count: d + 1)
                for i in 0 ..< d { next[i + 1] += current[i] / Double(k) }
                for i in 0 ... d { next[i] -= previous[i] / Double(k) }
                (previous, current) = (current, next)
            }
            for i in 0 ... d { power[i] += a[k] * current[i] }
        }
        func factorial(_ n: Int) -> Double { (0 ..< n).reduce(1.0) { $0 * Double($1 + 1) } }
        var shifted = [Double](repeating: 0, count: d + 1)
        for i in 0 ... d {
            for l in 0 ... i {
                shifted[l] += power[i] * factorial(i) / (factorial(l) * factorial(i - l)) * Double.pow(m, i - l) * Double.pow(s, l)
            }
        }
        var hermite = [Double](repeating: 0, count: d + 1)
        for n in 0 ... d {
            for t in 0 ... n / 2 {
                hermite[n - 2 * t] += shifted[n] * factorial(n) / (factorial(t) * factorial(n - 2 * t) * Double.pow(2, Double(t)))
            }
        }
        return hermite
    }

    /// `dense(4,6) hermite(deg=3) dense(6,3)` with random coefficients is a cubic polynomial, so
    /// its degree-3 approximant is the network itself:
    /// • exact R² = 1 within 1e-12: the explained and total variances are each sums of
    ///   n·o·(k+1) = 72 products of O(1) terms, with quadrature exact for polynomials (Gauss–Hermite
    ///   with D + 1 nodes), so each carries a relative rounding error of a few hundred ε ≈ 1e-13;
    /// • the unit coefficients equal the symbolic expansion of F(mₙ + sₙu) within 1e-12·(1 + max|c|):
    ///   about 50 operations on terms at most 10× the result (|m|, s ≲ 3), i.e. ≲ 500ε;
    /// • outputs agree with the model's on 1,000 inputs within 1e-9 relative to the outputs' scale:
    ///   both evaluate 6 cubics and a 6-term sum, ≲ 30 operations each on terms at most 10³× the
    ///   output scale for inputs within 5 standard deviations, so they differ by ≲ 30·10³·ε ≈ 7e-12.
    @Test func aHermiteNetworkConvertsToItsExactPolynomial() throws {
        var generator = SeededGenerator(seed: 120)
        var model = try Self.hermiteModel("dense(4,6) hermite(deg=3) dense(6,3)", using: &generator)
        let network = try FeedforwardNetwork(model: model)
        #expect(network.blocks.count == 1 && network.polynomialDegree == 3)
        let block = network.blocks[0]
        let distribution = try RandomBlocks.gaussian(dimension: 4, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 3, under: distribution)
        let variance = try approximant.gaussianVariance()
        #expect(abs(variance.pooledRSquared(degree: 3) - 1) <= 1e-12)
        for r2 in variance.rSquared(degree: 3) { #expect(abs(r2 - 1) <= 1e-12) }

        let hermite = try #require(model.layers[1] as? HermiteActivation<Double>)
        let a = hermite.coefficients.row(0)
        for n in 0 ..< block.hiddenCount {
            let expected = Self.symbolicHermiteCoefficients(a, mean: approximant.preactivationMean[n],
                                                            deviation: approximant.preactivationStandardDeviation[n])
            let scale = 1 + expected.map(abs).max()!
            expectClose(approximant.coefficients.row(n), expected, absolute: 1e-12 * scale, "unit \(n)")
        }

        let inputs = Matrix<Double>.randomNormal(rows: 1000, columns: 4, using: &generator)
        let exact = model(inputs)
        let scale = exact.elements.map(abs).max()!
        expectClose(approximant(inputs), exact, absolute: 1e-9 * scale, relative: 1e-9)
    }

    /// Per-channel Hermite activations (one polynomial per unit) and layer norms are refused by name.
    @Test func unsupportedLayersAreRefusedByName() throws {
        var generator = SeededGenerator(seed: 121)
        let perChannel = try Architecture(parsing: "dense(4,6) hermite(deg=3,channels=6) dense(6,3)").makeModel(as: Double.self, using: &generator)
        #expect { try FeedforwardNetwork(model: perChannel) } throws: { "\($0)".contains("use channels=0") }
        let normed = try Architecture(parsing: "dense(4,6) relu layernorm(6) dense(6,3)").makeModel(as: Double.self, using: &generator)
        #expect { try FeedforwardNetwork(model: normed) } throws: { "\($0)".contains("has a layernorm (layer 3)") }
        let deep = try Architecture(parsing: "dense(4,6) relu dense(6,5) relu dense(5,3)").makeModel(as: Double.self, using: &generator)
        #expect { try FeedforwardBlock(model: deep) } throws: { "\($0)".contains("has 2 blocks") }
    }

    /// Data for the deep tests: correlated, non-centred inputs.
    static func data(rows: Int, columns: Int, using generator: inout some RandomNumberGenerator) -> Matrix<Double> {
        let mixing = Matrix<Double>.randomNormal(rows: columns, columns: columns, standardDeviation: 1 / Double(columns).squareRoot(),
                                                 using: &generator)
        var x = Matrix<Double>.randomNormal(rows: rows, columns: columns, using: &generator).multiplied(by: mixing)
        x.addToEachRow((0 ..< columns).map { 0.3 * Double($0) })
        return x
    }

    /// A deep MLP splits into blocks that share their dense layers; the chain computes what the
    /// model computes (same operations in another order: within 1e-12 relative, as in
    /// `denseModelsConvertFromTheirLayers`); block k's Gaussian is the one fitted to the data
    /// pushed through the earlier layers by the model itself (the same floating-point operations
    /// up to the order of the dot products: 1e-12 relative); R² grows with the degree and stays in
    /// [0, 1] (projections onto nested subspaces), and replacing blocks changes the accuracy.
    @Test func aDeepNetworkConvertsBlockByBlock() throws {
        var generator = SeededGenerator(seed: 122)
        var model = try Architecture(parsing: "dense(5,8) relu dense(8,6) tanh dense(6,3)").makeModel(as: Double.self, using: &generator)
        let network = try FeedforwardNetwork(model: model)
        #expect(network.blocks.count == 2 && network.polynomialDegree == nil)
        #expect(network.blocks[0].outputWeight == network.blocks[1].inputWeight)
        let training = Self.data(rows: 3000, columns: 5, using: &generator)
        let test = Self.data(rows: 500, columns: 5, using: &generator)
        expectClose(network(test), model(test), absolute: 1e-12, relative: 1e-12)
        let labels = model(test).argmaxOfRows().enumerated().map { $0.offset % 5 == 0 ? ($0.element + 1) % 3 : $0.element }

        let conversion = try NetworkConversion(network: network, degree: 2, training: training, test: (test, labels))
        var firstTwo = Sequential<Double>(Array(model.layers.prefix(2)))
        let hidden = firstTwo(training)
        expectClose(network.blockInputs(training, block: 1), hidden, absolute: 1e-12, relative: 1e-12)
        let fitted = try GaussianDistribution(fitting: hidden)
        expectClose(conversion.blocks[1].distribution.covariance, fitted.covariance, absolute: 1e-12, relative: 1e-10)
        for block in conversion.blocks {
            let exact = block.gaussianPooledRSquared(degrees: [1, 2])
            #expect(0 <= exact[0] && exact[0] <= exact[1] && exact[1] <= 1 + 1e-12)
            #expect(block.data.count == 2 && block.replacedAccuracy != nil)
        }
        #expect(conversion.modelAccuracy == 0.8)
        #expect(conversion.blocks[1].data[1].modelAccuracy == 0.8)
        #expect(conversion.allReplacedAccuracy != nil)
    }

    /// `dense hermite dense hermite dense` is a polynomial of degree 9 whose blocks are cubic in
    /// their inputs: at degree 3 each block's R² is 1 within 1e-12 (as in
    /// `aHermiteNetworkConvertsToItsExactPolynomial`), and the network with every block replaced
    /// computes the network within 1e-9 relative to the output scale (each block's polynomial
    /// agrees with its activation to ~1e-12 of its scale; two layers amplify that by ≲ 10³).
    @Test func aDeepHermiteNetworkIsExactBlockByBlock() throws {
        var generator = SeededGenerator(seed: 123)
        var model = try Self.hermiteModel("dense(4,5) hermite(deg=3) dense(5,4) hermite(deg=3) dense(4,2)", using: &generator)
        let network = try FeedforwardNetwork(model: model)
        #expect(network.polynomialDegree == 9)
        let training = Self.data(rows: 2000, columns: 4, using: &generator)
        let test = Self.data(rows: 1000, columns: 4, using: &generator)
        let conversion = try NetworkConversion(network: network, degree: 3, training: training,
                                               test: (test, [Int](repeating: 0, count: test.rows)))
        for block in conversion.blocks {
            #expect(abs(block.variance.pooledRSquared(degree: 3) - 1) <= 1e-12)
            #expect(abs(block.data[2].pooledRSquared - 1) <= 1e-12)
        }
        let all = Dictionary(uniqueKeysWithValues: conversion.blocks.enumerated().map { ($0.offset, $0.element.approximant) })
        let exact = model(test)
        let scale = exact.elements.map(abs).max()!
        expectClose(network(test, replacing: all), exact, absolute: 1e-9 * scale, relative: 1e-9)
        #expect(conversion.allReplacedAccuracy == conversion.modelAccuracy)
    }
}
