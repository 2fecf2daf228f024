import LinearAlgebra
import NeuralNetworks
import Polynomials

/// `chebyshev(deg=n)` in the architecture language: a ``ChebyshevActivation`` with tensors
/// `coefficients` [n + 1] and `interval` [2]. A fresh layer is the identity, T₁ on [−1, 1];
/// a checkpoint supplies the fitted values.
struct ChebyshevActivationKind: LayerKind {
    var name: String { "chebyshev" }
    var argumentNames: [String] { ["deg"] }
    var summary: String { "chebyshev(deg=n): a fixed Chebyshev series Σ c_k·T_k(t) on an interval (polyize's replacement of a nonlinearity)" }

    /// The degree, 1…``ActivationFit/maximumDegree`` (polyize fits up to that, beyond the
    /// architecture language's limit for learnable layers).
    static func degree(_ arguments: LayerArguments) throws -> Int {
        let degree = try arguments.integer("deg")
        guard degree <= ActivationFit.maximumDegree else {
            throw arguments.error("'deg' must be at most \(ActivationFit.maximumDegree), not \(degree)", argument: "deg")
        }
        return degree
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        [ParameterInfo(name: "coefficients", shape: [try Self.degree(arguments) + 1]), ParameterInfo(name: "interval", shape: [2])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let degree = try Self.degree(arguments)
        return ChebyshevActivation<Scalar>(coefficients: (0 ... degree).map { $0 == 1 ? 1 : 0 }, interval: [-1, 1])
    }
}

/// `polynomial-layernorm(width,deg=n,newton=s,eps=1e-5)` in the architecture language: a
/// ``PolynomialLayerNorm`` with tensors `weight`, `bias` [width], `coefficients` [n + 1] and
/// `interval` [2]. A fresh layer has γ = 1, β = 0 and p ≡ 1 on [1/2, 2] (the Newton steps then
/// approach 1/√v near v = 1); a checkpoint supplies the fitted values.
struct PolynomialLayerNormKind: LayerKind {
    var name: String { "polynomial-layernorm" }
    var argumentNames: [String] { ["width", "deg", "newton", "eps"] }
    var summary: String {
        "polynomial-layernorm(width,deg=n,newton=1,eps=1e-5): layernorm with 1/√v by a Chebyshev series and Newton steps (polyize)"
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let width = try arguments.integer("width")
        return [ParameterInfo(name: "weight", shape: [width]), ParameterInfo(name: "bias", shape: [width]),
                ParameterInfo(name: "coefficients", shape: [try ChebyshevActivationKind.degree(arguments) + 1]),
                ParameterInfo(name: "interval", shape: [2])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let width = try arguments.integer("width")
        let degree = try ChebyshevActivationKind.degree(arguments)
        let steps = try arguments.integer("newton", default: 1, minimum: 0)
        guard steps <= InverseSquareRoot.maximumNewtonSteps else {
            throw arguments.error("'newton' must be at most \(InverseSquareRoot.maximumNewtonSteps), not \(steps)", argument: "newton")
        }
        let epsilon = try arguments.number("eps", default: 1e-5)
        guard epsilon > 0 else { throw arguments.error("'eps' must be positive", argument: "eps") }
        return PolynomialLayerNorm<Scalar>(weight: Matrix(rows: 1, columns: width, repeating: 1), bias: Matrix(rows: 1, columns: width),
                                           epsilon: Scalar(epsilon), coefficients: (0 ... degree).map { $0 == 0 ? 1 : 0 },
                                           interval: [0.5, 2], newtonSteps: steps)
    }
}

/// `polynomial-glu(in,hidden,out,deg=n)` in the architecture language: a
/// ``PolynomialGatedLinearUnit`` with the tensors of `glu(in,hidden,out)` and the gate
/// polynomial's `gate.coefficients` [n + 1] and `gate.interval` [2]. A fresh layer's gate is the
/// identity (T₁ on [−1, 1]); a checkpoint supplies the fitted values.
struct PolynomialGatedLinearUnitKind: LayerKind {
    var name: String { "polynomial-glu" }
    var argumentNames: [String] { ["in", "hidden", "out", "deg"] }
    var summary: String { "polynomial-glu(in,hidden,out,deg=n): a glu whose gate is a fixed Chebyshev series (polyize)" }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let (input, hidden, output) = (try arguments.integer("in"), try arguments.integer("hidden"), try arguments.integer("out"))
        let degree = try ChebyshevActivationKind.degree(arguments)
        return [("gate_proj", hidden, input), ("up_proj", hidden, input), ("down_proj", output, hidden)].flatMap { prefix, rows, columns in
            [ParameterInfo(name: "\(prefix).weight", shape: [rows, columns]), ParameterInfo(name: "\(prefix).bias", shape: [rows])]
        } + [ParameterInfo(name: "gate.coefficients", shape: [degree + 1]), ParameterInfo(name: "gate.interval", shape: [2])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let (input, hidden, output) = (try arguments.integer("in"), try arguments.integer("hidden"), try arguments.integer("out"))
        let degree = try ChebyshevActivationKind.degree(arguments)
        return PolynomialGatedLinearUnit<Scalar>(
            gateProjection: Dense(inputWidth: input, outputWidth: hidden, using: &generator),
            upProjection: Dense(inputWidth: input, outputWidth: hidden, using: &generator),
            downProjection: Dense(inputWidth: hidden, outputWidth: output, using: &generator),
            gate: ChebyshevActivation<Scalar>(coefficients: (0 ... degree).map { $0 == 1 ? 1 : 0 }, interval: [-1, 1]))
    }
}

/// The layer kinds of polynomial networks.
struct CompositeReLUKind: LayerKind {
    var name: String { "composite-relu" }
    var argumentNames: [String] { ["stages", "deg"] }
    var summary: String {
        "composite-relu(stages=k,deg=n): x·s_k(…s_1(x)), fixed Chebyshev series of degree ≤ n (polyize's composite ReLU)"
    }

    static func shape(_ arguments: LayerArguments) throws -> (stages: Int, degree: Int) {
        let stages = try arguments.integer("stages")
        guard (1 ... CompositeReLU<Double>.maximumStages).contains(stages) else {
            throw arguments.error("'stages' must be in 1...\(CompositeReLU<Double>.maximumStages), not \(stages)", argument: "stages")
        }
        let degree = try arguments.integer("deg")
        guard (1 ... EvaluationCost.maximumOddBabyStepGiantStepDegree).contains(degree) else {
            throw arguments.error("'deg' must be in 1...\(EvaluationCost.maximumOddBabyStepGiantStepDegree), not \(degree)", argument: "deg")
        }
        return (stages, degree)
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let (stages, degree) = try Self.shape(arguments)
        return [ParameterInfo(name: "coefficients", shape: [stages, degree + 1]), ParameterInfo(name: "intervals", shape: [stages, 2])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let (stages, degree) = try Self.shape(arguments)
        // Placeholder stages, the identity each, until a checkpoint's tensors replace them.
        return CompositeReLU<Scalar>(table: ChebyshevSeriesTable(coefficients: Array(repeating: (0 ... degree).map { $0 == 1 ? 1 : 0 }, count: stages),
                                                                 intervals: Array(repeating: [-1, 1], count: stages)))
    }
}

struct ChannelChebyshevActivationKind: LayerKind {
    var name: String { "chebyshev-channels" }
    var argumentNames: [String] { ["channels", "plane", "deg"] }
    var summary: String {
        "chebyshev-channels(channels=c,plane=p,deg=n): a fixed Chebyshev series per channel of p columns (polyize --per-channel)"
    }

    static func shape(_ arguments: LayerArguments) throws -> (channels: Int, plane: Int, degree: Int) {
        let channels = try arguments.integer("channels")
        guard (1 ... ChannelChebyshevActivation<Double>.maximumChannels).contains(channels) else {
            throw arguments.error("'channels' must be in 1...\(ChannelChebyshevActivation<Double>.maximumChannels), not \(channels)", argument: "channels")
        }
        let plane = try arguments.integer("plane")
        guard plane >= 1, channels.multipliedReportingOverflow(by: plane).overflow == false,
              channels * plane <= ArchitectureLimits.standard.maximumActivationElements else {
            throw arguments.error("'plane' must be positive and channels·plane a layer width, not \(plane)", argument: "plane")
        }
        return (channels, plane, try ChebyshevActivationKind.degree(arguments))
    }

    func parameterInfo(_ arguments: LayerArguments) throws -> [ParameterInfo] {
        let (channels, _, degree) = try Self.shape(arguments)
        return [ParameterInfo(name: "coefficients", shape: [channels, degree + 1]), ParameterInfo(name: "intervals", shape: [channels, 2])]
    }

    func makeLayer<Scalar: BLASScalar, G: RandomNumberGenerator>(
        _ arguments: LayerArguments, as _: Scalar.Type, using generator: inout G
    ) throws -> any Layer<Scalar> {
        let (channels, plane, degree) = try Self.shape(arguments)
        // Placeholder series, the identity each, until a checkpoint's tensors replace them.
        return ChannelChebyshevActivation<Scalar>(
            table: ChebyshevSeriesTable(coefficients: Array(repeating: (0 ... degree).map { $0 == 1 ? 1 : 0 }, count: channels),
                                        intervals: Array(repeating: [-1, 1], count: channels)),
            plane: plane)
    }
}

/// The registry that reads polynomial networks.
extension LayerRegistry {
    /// The standard layer kinds and those a polynomial network (`polynet polyize`) is made of:
    /// `chebyshev(deg=n)`, `polynomial-layernorm(width,deg=n,newton=s,eps=ε)` and
    /// `polynomial-glu(in,hidden,out,deg=n)`.
    public static let polynomialNetworks = LayerRegistry.standard
        .registering(ChebyshevActivationKind())
        .registering(PolynomialLayerNormKind())
        .registering(PolynomialGatedLinearUnitKind())
        .registering(CompositeReLUKind())
        .registering(ChannelChebyshevActivationKind())
}
