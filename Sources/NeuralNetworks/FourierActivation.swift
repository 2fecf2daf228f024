import LinearAlgebra
import RealModule

/// A learnable trigonometric activation (seed 002,
/// [Khalfaoui-Hassani & Kesselheim 2025](https://arxiv.org/abs/2502.01247)):
/// F(x) = a_0 + Σ_{k=1}^{d} (α_k·cos(ω_k·x) + β_k·sin(ω_k·x))/k!, with frequencies ω_k = k
/// (fixed by default, learnable as an option).
///
/// ## Variance-preserving initialization
/// Convention: inputs x ~ U[−π, π], one period, on which the basis is orthogonal. For integer
/// j, k ≥ 1: E[cos jx·cos kx] = E[sin jx·sin kx] = δ_jk/2, E[cos jx·sin kx] = 0 and
/// E[cos kx] = E[sin kx] = 0. Hence, with ω_k = k,
/// - E[F²] = a_0² + Σ_k (α_k² + β_k²)/(2·(k!)²),
/// - E[F′²] = Σ_k k²·(α_k² + β_k²)/(2·(k!)²) = Σ_k (α_k² + β_k²)/(2·((k−1)!)²).
///
/// Taking α_k = β_k = σ gives E[F²] = a_0² + σ²·Σ_{k=1}^{d} 1/(k!)² and
/// E[F′²] = σ²·Σ_{j=0}^{d−1} 1/(j!)², equal exactly when **a_0 = σ·√(1 − 1/(d!)²)**. Both
/// moments are then σ²·Σ_{j<d} 1/(j!)²; choosing **σ² = 1/I₀(2)** with
/// I₀(2) = Σ_{j≥0} 1/(j!)² = 2.2795853… (the modified Bessel function) makes them tend to 1
/// (0.99997 at d = 5), the analogue of the Hermite activation's e^{−1/2}.
///
/// Each harmonic carries (α_k² + β_k²)/2, half of α_k² + β_k²: written in amplitude–phase form
/// A_k·cos(kx − θ_k) with A_k² = α_k² + β_k², it carries A_k²/2, not A_k² (the factor ½ the
/// public torchortho phase form leaves out). Under Gaussian inputs the basis is not orthogonal
/// (E[cos kx] = e^{−k²/2} for N(0, 1)), so the moments differ; `polynet init-report` measures
/// them in a network.
///
/// Parameters: `constant` (a_0, shape `[1]`), `cosine` (α, `[d]`), `sine` (β, `[d]`) and,
/// when learnable, `frequencies` (ω, `[d]`); with one set per channel each gains a leading
/// `channels` dimension.
///
/// ```swift
/// var layer = FourierActivation<Float>(degree: 5)
/// var learnable = FourierActivation<Float>(degree: 5, learnableFrequencies: true)
/// ```
/// - Complexity: one sine and cosine per element with fixed frequencies (the harmonics by the
///   angle-addition recurrence), d of each with learnable frequencies.
public struct FourierActivation<Scalar: BLASScalar>: Layer {
    /// a_0, one row per coefficient set (`rows` × 1).
    public var constant: Matrix<Scalar>
    /// α_1 … α_d, one row per set.
    public var cosine: Matrix<Scalar>
    /// β_1 … β_d, one row per set.
    public var sine: Matrix<Scalar>
    /// ω_1 … ω_d, one row per set (1 … d while fixed).
    public var frequencies: Matrix<Scalar>
    /// Whether ω is a parameter.
    public let learnableFrequencies: Bool
    /// One set for the layer or one per input column.
    public let sharing: CoefficientSharing
    /// ∂loss/∂a_0, ∂loss/∂α, ∂loss/∂β, ∂loss/∂ω, accumulated by `backward`.
    public var constantGradient, cosineGradient, sineGradient, frequencyGradient: Matrix<Scalar>

    /// The number of harmonics d.
    public var degree: Int { cosine.columns }

    /// An activation with the given parameters (`constant` rows × 1, the others rows × d);
    /// `frequencies` defaults to 1 … d.
    public init(constant: Matrix<Scalar>, cosine: Matrix<Scalar>, sine: Matrix<Scalar>,
                frequencies: Matrix<Scalar>? = nil, learnableFrequencies: Bool = false,
                sharing: CoefficientSharing = .perLayer) {
        let (rows, d) = (sharing.rows, cosine.columns)
        let frequencies = frequencies ?? Matrix(rows: rows, columns: d,
                                                elements: (0 ..< rows * d).map { Scalar($0 % d + 1) })
        precondition(d >= 1 && constant.rows == rows && constant.columns == 1
                     && [cosine, sine, frequencies].allSatisfy { $0.rows == rows && $0.columns == d },
                     "Fourier parameters a0 \(constant.rows)×\(constant.columns), α \(cosine.rows)×\(cosine.columns), β \(sine.rows)×\(sine.columns), ω \(frequencies.rows)×\(frequencies.columns) do not fit \(rows) set(s) of degree ≥ 1")
        self.constant = constant
        self.cosine = cosine
        self.sine = sine
        self.frequencies = frequencies
        self.learnableFrequencies = learnableFrequencies
        self.sharing = sharing
        constantGradient = Matrix(rows: rows, columns: 1)
        cosineGradient = Matrix(rows: rows, columns: d)
        sineGradient = Matrix(rows: rows, columns: d)
        frequencyGradient = Matrix(rows: learnableFrequencies ? rows : 0, columns: learnableFrequencies ? d : 0)
    }

    /// The variance-preserving activation of `degree` harmonics: α_k = β_k = σ = 1/√I₀(2),
    /// a_0 = σ·√(1 − 1/(d!)²), ω_k = k (see the type's documentation).
    public init(degree: Int, learnableFrequencies: Bool = false, sharing: CoefficientSharing = .perLayer) {
        precondition(degree >= 1, "A Fourier activation needs degree ≥ 1, got \(degree)")
        let (constantValue, coefficient) = Self.variancePreservingCoefficients(degree: degree)
        let rows = sharing.rows
        self.init(constant: Matrix(rows: rows, columns: 1, repeating: Scalar(constantValue)),
                  cosine: Matrix(rows: rows, columns: degree, repeating: Scalar(coefficient)),
                  sine: Matrix(rows: rows, columns: degree, repeating: Scalar(coefficient)),
                  learnableFrequencies: learnableFrequencies, sharing: sharing)
    }

    /// (a_0, σ) of the variance-preserving initialization, in Double.
    public static func variancePreservingCoefficients(degree: Int) -> (constant: Double, coefficient: Double) {
        precondition(degree >= 1, "A Fourier activation needs degree ≥ 1, got \(degree)")
        // I₀(2) = Σ 1/(j!)²; the terms fall below 1e-17 relative before j = 12.
        var besselI0 = 0.0, term = 1.0
        for j in 0 ..< 20 {
            besselI0 += term
            term /= Double((j + 1) * (j + 1))
        }
        var inverseFactorial = 1.0
        for k in 1 ... degree { inverseFactorial /= Double(k) }
        let sigma = 1 / besselI0.squareRoot()
        return (sigma * (1 - inverseFactorial * inverseFactorial).squareRoot(), sigma)
    }

    public var inputWidth: Int? { sharing.inputWidth }

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { sharing.outputImageShape(for: input) }

    public var specification: String {
        "fourier(deg=\(degree)\(learnableFrequencies ? ",frequencies=learnable" : "")\(sharing.specificationSuffix))"
    }

    public var parameterInfo: [ParameterInfo] {
        [ParameterInfo(name: "constant", shape: sharing.shape(1)),
         ParameterInfo(name: "cosine", shape: sharing.shape(degree)),
         ParameterInfo(name: "sine", shape: sharing.shape(degree))]
            + (learnableFrequencies ? [ParameterInfo(name: "frequencies", shape: sharing.shape(degree))] : [])
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {
        body(&constant, &constantGradient)
        body(&cosine, &cosineGradient)
        body(&sine, &sineGradient)
        if learnableFrequencies { body(&frequencies, &frequencyGradient) }
    }
}
