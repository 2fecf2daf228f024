import LinearAlgebra
import NeuralNetworks
import Testing

/// Sizes are checked from the architecture text before anything is allocated: degree caps,
/// parameter limits (overflow-checked), activation limits and the width chain.
struct ArchitectureLimitsTests {
    /// What each kind reports before building is exactly what the built layer has, so the
    /// checks made before allocating are the ones that matter.
    @Test(arguments: [
        "dense(7,5) relu layernorm(5,eps=0.01) dense(5,3)",
        "poly(6,4,deg=3,basis=chebyshev) gelu poly(4,2,deg=1)",
        "dense(6,4) hermite(deg=5,channels=4) fourier(deg=3,frequencies=learnable) fourier(deg=2,channels=4) dense(4,3)",
        "dense(6,4) tropical(deg=3) tropical-rational(deg=4,channels=4) tropical(deg=2,channels=4) silu tanh sigmoid",
        "glu(6,5,4,act=silu) bilinear(4,3,2) hermite(deg=32) fourier(deg=32)",
    ])
    func parameterInfoBeforeBuildingMatchesTheModel(_ text: String) throws {
        var generator = SeededGenerator(seed: 0)
        let architecture = try Architecture(parsing: text)
        let model: Sequential<Float> = try architecture.makeModel(using: &generator)
        #expect(try architecture.parameterInfo() == model.parameterInfo)
        #expect(try architecture.parameterCount() == model.parameterCount)
    }

    /// Every degree argument stops at 32 (the cap), with a one-line error naming the argument;
    /// `tropical-rational(deg=100000000)` used to run unbounded.
    @Test(arguments: ["poly(4,3,deg=33)", "hermite(deg=33)", "fourier(deg=100)", "tropical(deg=33)",
                      "tropical-rational(deg=100000000)", "poly(784,10,deg=100000000)"])
    func degreesAreCapped(_ text: String) throws {
        var generator = SeededGenerator(seed: 0)
        do {
            let _: Sequential<Float> = try Architecture(parsing: text).makeModel(using: &generator)
            Issue.record("'\(text)' was built")
        } catch let error as ArchitectureError {
            #expect(error.message.hasPrefix("'deg' must be at most \(ArchitectureLimits.maximumDegree), not "), "\(error)")
            #expect(error.token.hasPrefix("deg=") && !error.description.contains("\n"), "\(error)")
        }
    }

    /// Parameter counts are exact, overflow-checked, and compared with the limit before any
    /// allocation (78.5 billion parameters would abort the process if allocated).
    @Test func parameterLimitIsCheckedBeforeAllocating() throws {
        var generator = SeededGenerator(seed: 0)
        #expect(try Architecture(parsing: "dense(784,100000000)").parameterCount() == 78_500_000_000)
        #expect(throws: ModelError.tooManyParameters(architecture: "dense(784,100000000)", count: 78_500_000_000,
                                                     limit: ArchitectureLimits.defaultMaximumParameters)) {
            let _: Sequential<Float> = try Architecture(parsing: "dense(784,100000000)").makeModel(using: &generator)
        }
        for text in ["dense(784,9223372036854775807)", "layernorm(9223372036854775807)",
                     "dense(3037000500,3037000500)", "hermite(deg=3,channels=9223372036854775807)"] {
            #expect(try Architecture(parsing: text).parameterCount() == nil, "\(text)")
            #expect(throws: ModelError.tooManyParameters(architecture: text, count: nil, limit: ArchitectureLimits.defaultMaximumParameters)) {
                let _: Sequential<Float> = try Architecture(parsing: text).makeModel(using: &generator)
            }
        }
        // The limit is inclusive and adjustable: dense(784,10) has 7,850 parameters.
        let small = try Architecture(parsing: "dense(784,10)")
        let _: Sequential<Float> = try small.makeModel(limits: ArchitectureLimits(maximumParameters: 7850), using: &generator)
        #expect(throws: ModelError.tooManyParameters(architecture: "dense(784,10)", count: 7850, limit: 7849)) {
            let _: Sequential<Float> = try small.makeModel(limits: ArchitectureLimits(maximumParameters: 7849), using: &generator)
        }
        #expect(ModelError.tooManyParameters(architecture: "dense(784,100000000)", count: 78_500_000_000, limit: 100_000_000).description
                == "'dense(784,100000000)' needs 78500000000 parameters (314.0 GB in Float), over the limit of 100000000; "
                + "raise the parameter limit if the machine has the memory")
    }

    /// A width that does not fit a layer further down the chain is an error naming the layer
    /// (a parameterless first layer accepts any width, so the first layer alone does not tell).
    @Test func widthsAreCheckedThroughTheChain() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "relu dense(784,10) hermite(deg=2,channels=10)").makeModel(using: &generator)
        #expect(try model.widths(forInputWidth: 784) == [784, 10, 10])
        #expect(throws: ModelError.inputWidth(layer: 1, specification: "dense(784,10)", expected: 784, found: 5)) {
            try model.widths(forInputWidth: 5)
        }
        #expect(throws: ModelError.inputWidth(layer: 0, specification: "dense(784,10)", expected: 784, found: 5)) {
            _ = try InitializationReport(Sequential<Float>([Dense(inputWidth: 784, outputWidth: 10, using: &generator)]),
                                         batchSize: 8, inputWidth: 5, using: &generator)
        }
    }

    /// A batch whose activations would not fit the limit is refused before the input is drawn.
    @Test func activationLimitIsCheckedBeforeAllocating() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "dense(784,10)").makeModel(using: &generator)
        #expect(throws: ModelError.activationsTooLarge(rows: 100_000_000, columns: 784, limit: 1 << 28)) {
            _ = try InitializationReport(model, batchSize: 100_000_000, using: &generator)
        }
        #expect(throws: ModelError.activationsTooLarge(rows: .max, columns: 784, limit: 1 << 28)) {
            _ = try InitializationReport(model, batchSize: .max, using: &generator)
        }
        #expect(throws: ModelError.activationsTooLarge(rows: 3, columns: 784, limit: 2000)) {
            try ArchitectureLimits(maximumActivationElements: 2000).checkActivation(rows: 3, columns: 784)
        }
        try ArchitectureLimits(maximumActivationElements: 2352).checkActivation(rows: 3, columns: 784)
    }

    /// Huge finite weights overflow Float in the first layer: found and named.
    @Test func firstNonFiniteLayerIsNamed() throws {
        let first = Dense<Float>(weight: Matrix(rows: 2, columns: 3, repeating: 3e38), bias: Matrix(rows: 1, columns: 2))
        let second = Dense<Float>(weight: Matrix(rows: 1, columns: 2, repeating: 1), bias: Matrix(rows: 1, columns: 1))
        var model = Sequential<Float>([ActivationLayer(.relu), first, second])
        #expect(model.firstNonFiniteLayer(on: Matrix(rows: 1, columns: 3, repeating: 0)) == nil)
        let bad = model.firstNonFiniteLayer(on: Matrix(rows: 2, columns: 3, repeating: 1))
        #expect(bad?.layer == 1 && bad?.specification == "dense(3,2)")
    }
}
