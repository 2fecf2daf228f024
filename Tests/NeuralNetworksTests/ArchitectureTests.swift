import LinearAlgebra
import NeuralNetworks
import Testing

struct ArchitectureTests {
    /// Parameter counts of the seed-001 models, counted by hand from the seed:
    /// polynomial 784·4·20 + 2·20 + 20·4·10 = 63,560; linear 784·20 + 20 + 2·20 + 20·10 + 10 = 15,950.
    @Test(arguments: [("seed001-poly", 63_560), ("seed001-linear", 15_950)])
    func presetParameterCounts(_ preset: String, _ count: Int) throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: preset).makeModel(using: &generator)
        #expect(model.parameterCount == count)
    }

    @Test func namesMatchPyTorchSequential() throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Float> = try Architecture(parsing: "seed001-linear").makeModel(using: &generator)
        #expect(model.parameterInfo == [
            ParameterInfo(name: "0.weight", shape: [20, 784]), ParameterInfo(name: "0.bias", shape: [20]),
            ParameterInfo(name: "2.weight", shape: [20]), ParameterInfo(name: "2.bias", shape: [20]),
            ParameterInfo(name: "3.weight", shape: [10, 20]), ParameterInfo(name: "3.bias", shape: [10]),
        ])
    }

    @Test(arguments: [
        "poly(784,20,deg=3) layernorm(20) poly(20,10,deg=3)",
        "dense(784,256) relu dense(256,10)",
        "poly(8,4,deg=5,basis=chebyshev) layernorm(4,eps=0.001) silu poly(4,2,deg=2,basis=hermite) sigmoid",
    ])
    func specificationRoundTrips(_ text: String) throws {
        var generator = SeededGenerator(seed: 0)
        let model: Sequential<Double> = try Architecture(parsing: text).makeModel(using: &generator)
        #expect(model.specification == text)
    }

    @Test func keywordAndPositionalArgumentsAgree() throws {
        var generator = SeededGenerator(seed: 0)
        let a: Sequential<Float> = try Architecture(parsing: " poly( 4 , 3 , 2 ) ").makeModel(using: &generator)
        let b: Sequential<Float> = try Architecture(parsing: "poly(out=3,in=4,deg=2)").makeModel(using: &generator)
        #expect(a.specification == "poly(4,3,deg=2)" && b.specification == a.specification)
    }

    /// Each bad string must throw an error that names exactly `token`, on one line.
    @Test(arguments: [
        ("poly(784,20,deg=3) polly(20,10)", "polly", "unknown layer"),
        ("dense(784,20) relu dense(30,10)", "dense(30,10)", "takes 30 inputs"),
        ("dense(784,x)", "x", "must be an integer"),
        ("dense(784,0)", "0", "at least 1"),
        ("poly(4,3,degree=2)", "degree=2", "no argument 'degree'"),
        ("poly(4,3,deg=2,basis=legendre)", "basis=legendre", "must be one of"),
        ("relu(3)", "3", "too many arguments"),
        ("dense(784,20", "dense(784,20", "missing ')'"),
        ("dense(784 20)", "2", "expected ',' or ')'"),
        ("dense(784)", "dense(784)", "needs the argument 'out'"),
        ("layernorm(4,eps=-1)", "eps=-1", "must be positive"),
        ("dense(4,4)relu", "r", "expected a space"),
        // Image layers: shapes that do not fit the previous layer or the padded input, and an
        // index map of one image (29² windows × 1000·20² = 336 400 000) over the 2²⁸ activation limit.
        ("conv2d(1000,1,k=20,pad=10,size=28)", "conv2d(1000,1,k=20,pad=10,size=28)", "patch matrix of one"),
        ("conv2d(1,5,k=31,size=28)", "k=31", "larger than the padded input"),
        ("conv2d(1,5,k=5,stride=0,size=28)", "stride=0", "at least 1"),
        ("conv2d(1,5,k=3,size=28) conv2d(4,2,k=3)", "4", "takes 4 channels but the previous layer gives 5"),
        ("conv2d(1,5,k=5)", "conv2d(1,5,k=5)", "needs size="),
        ("dense(784,100) conv2d(1,5,k=5)", "conv2d(1,5,k=5)", "needs size="),
        ("conv2d(1,5,k=3,size=28) conv2d(5,2,k=3,size=20)", "size=20", "gives 5×26×26 images"),
        ("dense(784,100) conv2d(1,5,k=5,size=28)", "conv2d(1,5,k=5,size=28)", "takes 784 inputs but 'dense' gives 100"),
        ("dense(4,4) avgpool(2)", "avgpool(2)", "needs an image input"),
        ("conv2d(1,2,k=3,size=5) avgpool(4)", "4", "larger than the 2×3×3 input"),
        ("conv2d(1,1,k=1,pad=4611686018427387904,size=28)", "conv2d(1,1,k=1,pad=4611686018427387904,size=28)", "too large"),
        ("conv2d(1,1,k=1,size=9223372036854775807)", "conv2d(1,1,k=1,size=9223372036854775807)", "too large"),
        ("dense(4,4,in=4)", "in=4", "given twice"),
        ("   ", "", "empty architecture"),
    ])
    func errorsPointAtTheToken(_ text: String, _ token: String, _ message: String) {
        var generator = SeededGenerator(seed: 0)
        do {
            let _: Sequential<Float> = try Architecture(parsing: text).makeModel(using: &generator)
            Issue.record("'\(text)' parsed without error")
        } catch let error as ArchitectureError {
            #expect(error.token == token)
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.contains(text) && !error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func registryAcceptsNewKinds() throws {
        struct Square: Layer {
            typealias Scalar = Double
            var specification: String { "square" }
            mutating func forward(_ input: Matrix<Double>, into output: inout Matrix<Double>, training: Bool) {
                output = input * input
            }
            mutating func backward(_ outputGradient: Matrix<Double>, input: Matrix<Double>, output: Matrix<Double>,
                                   inputGradient: inout Matrix<Double>, needsInputGradient: Bool) {
                inputGradient = 2 * input * outputGradient
            }
        }
        struct SquareKind: LayerKind {
            var name: String { "square" }
            var argumentNames: [String] { [] }
            var summary: String { "square: x²" }
            func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] { [] }
            func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
                _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
            ) throws -> any Layer<Scalar> {
                Square() as! any Layer<Scalar>
            }
        }
        var generator = SeededGenerator(seed: 0)
        let registry = LayerRegistry.standard.registering(SquareKind())
        var model: Sequential<Double> = try Architecture(parsing: "dense(2,2) square", registry: registry)
            .makeModel(using: &generator)
        #expect(model.specification == "dense(2,2) square")
        expectGradientsMatchFiniteDifferences(model, input: LayerGradientTests.input(rows: 3, columns: 2))
        _ = model(Matrix(rows: 1, columns: 2))
    }
}
