import LinearAlgebra
import RealModule

extension FourierActivation {
    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        sharing.checkInput(rows: input.rows, columns: input.columns, layer: specification)
        output.ensureShape(rows: input.rows, columns: input.columns)
        var unusedGradient = Matrix<Scalar>(rows: 0, columns: 0)
        run(input, outputGradient: nil, into: &output, inputGradient: &unusedGradient)
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        var unusedOutput = Matrix<Scalar>(rows: 0, columns: 0)
        run(input, outputGradient: outputGradient, into: &unusedOutput, inputGradient: &inputGradient)
    }

    /// The forward pass (`outputGradient` nil, writing `output`) or the backward pass (writing
    /// `inputGradient` and adding the parameter gradients), sharing one loop over harmonics.
    private mutating func run(_ input: Matrix<Scalar>, outputGradient: Matrix<Scalar>?,
                              into output: inout Matrix<Scalar>, inputGradient: inout Matrix<Scalar>) {
        guard !input.elements.isEmpty else { return }
        let kernel = FourierKernel(rows: input.rows, columns: input.columns, degree: degree,
                            stride: sharing.columnStride(degree), constantStride: sharing.columnStride(1),
                            group: sharing.columnsPerSet(columns: input.columns),
                            learnableFrequencies: learnableFrequencies)
        let upstream = outputGradient ?? Matrix(rows: 0, columns: 0)
        input.elements.withUnsafeBufferPointer { x in
        upstream.elements.withUnsafeBufferPointer { dy in
        constant.elements.withUnsafeBufferPointer { a0 in
        cosine.elements.withUnsafeBufferPointer { alpha in
        sine.elements.withUnsafeBufferPointer { beta in
        frequencies.elements.withUnsafeBufferPointer { omega in
        output.elements.withUnsafeMutableBufferPointer { y in
        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
        constantGradient.elements.withUnsafeMutableBufferPointer { da0 in
        cosineGradient.elements.withUnsafeMutableBufferPointer { dalpha in
        sineGradient.elements.withUnsafeMutableBufferPointer { dbeta in
        frequencyGradient.elements.withUnsafeMutableBufferPointer { domega in
            let parameters = FourierParameterPointers(constant: a0.baseAddress!, cosine: alpha.baseAddress!,
                                        sine: beta.baseAddress!, frequencies: omega.baseAddress!)
            if outputGradient == nil {
                kernel.evaluate(x.baseAddress!, parameters: parameters, into: y.baseAddress!)
            } else {
                let gradients = FourierGradientPointers(constant: da0.baseAddress!, cosine: dalpha.baseAddress!,
                                          sine: dbeta.baseAddress!,
                                          frequencies: kernel.learnableFrequencies ? domega.baseAddress : nil)
                kernel.backpropagate(dy.baseAddress!, x: x.baseAddress!, parameters: parameters,
                                     gradients: gradients, into: dx.baseAddress!)
            }
        }}}}}}}}}}}}
    }
}

/// Pointers to a_0, α, β, ω.
private struct FourierParameterPointers<Scalar> {
    var constant, cosine, sine, frequencies: UnsafePointer<Scalar>
}

/// Pointers to the gradients of a_0, α, β and (when learnable) ω.
private struct FourierGradientPointers<Scalar> {
    var constant, cosine, sine: UnsafeMutablePointer<Scalar>
    var frequencies: UnsafeMutablePointer<Scalar>?
}

/// The elementwise loops of `FourierActivation`.
private struct FourierKernel {
    /// Columns set·group ..< (set + 1)·group use coefficient set `set`.
    var rows, columns, degree, stride, constantStride, group: Int
    var learnableFrequencies: Bool

    /// y = F(x) elementwise.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func evaluate<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, parameters p: FourierParameterPointers<Scalar>,
                                      into y: UnsafeMutablePointer<Scalar>) {
        for row in 0 ..< rows {
            for set in 0 ..< columns / group {
                for column in set * group ..< (set + 1) * group {
                    let index = row * columns + column
                    let (offset, value) = (set * stride, x[index])
                    let (alpha, beta, omega) = (p.cosine + offset, p.sine + offset, p.frequencies + offset)
                    var harmonics = Harmonics(value, learnable: learnableFrequencies)
                    var total = p.constant[set * constantStride], scale: Scalar = 1
                    for k in 1 ... degree {
                        scale /= Scalar(k)
                        let (c, s) = harmonics.next(frequency: omega[k - 1])
                        total += (alpha[k - 1] * c + beta[k - 1] * s) * scale
                    }
                    y[index] = total
                }
            }
        }
    }

    /// Writes ∂loss/∂x = ∂loss/∂y·F′(x) and adds the parameter gradients:
    /// ∂F/∂a_0 = 1, ∂F/∂α_k = cos(ω_k x)/k!, ∂F/∂β_k = sin(ω_k x)/k!,
    /// ∂F/∂ω_k = x·D_k and F′ = Σ ω_k·D_k with D_k = (β_k·cos(ω_k x) − α_k·sin(ω_k x))/k!.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backpropagate<Scalar: BLASScalar>(_ dy: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>,
                                           parameters p: FourierParameterPointers<Scalar>, gradients d: FourierGradientPointers<Scalar>,
                                           into dx: UnsafeMutablePointer<Scalar>) {
        for row in 0 ..< rows {
            for set in 0 ..< columns / group {
                for column in set * group ..< (set + 1) * group {
                    let index = row * columns + column
                    let (offset, value, g) = (set * stride, x[index], dy[index])
                    let (alpha, beta, omega) = (p.cosine + offset, p.sine + offset, p.frequencies + offset)
                    let (dalpha, dbeta) = (d.cosine + offset, d.sine + offset)
                    var harmonics = Harmonics(value, learnable: learnableFrequencies)
                    var slope: Scalar = 0, scale: Scalar = 1
                    d.constant[set * constantStride] += g
                    for k in 1 ... degree {
                        scale /= Scalar(k)
                        let (c, s) = harmonics.next(frequency: omega[k - 1])
                        dalpha[k - 1] += g * c * scale
                        dbeta[k - 1] += g * s * scale
                        let derivative = (beta[k - 1] * c - alpha[k - 1] * s) * scale
                        slope += omega[k - 1] * derivative
                        if let domega = d.frequencies { domega[offset + k - 1] += g * value * derivative }
                    }
                    dx[index] = g * slope
                }
            }
        }
    }
}

/// cos(ω_k·x), sin(ω_k·x) for k = 1, 2, …: directly when the frequencies are learnable,
/// otherwise for ω_k = k by angle addition from one sine and cosine (the error grows like
/// k·ε, negligible for the degrees used).
private struct Harmonics<Scalar: BLASScalar> {
    let x: Scalar
    let learnable: Bool
    let (cos1, sin1): (Scalar, Scalar)
    var (cos, sin): (Scalar, Scalar) = (1, 0)

    init(_ x: Scalar, learnable: Bool) {
        self.x = x
        self.learnable = learnable
        (cos1, sin1) = learnable ? (1, 0) : (Scalar.cos(x), Scalar.sin(x))
    }

    @inline(__always)
    mutating func next(frequency: Scalar) -> (Scalar, Scalar) {
        if learnable { return (Scalar.cos(frequency * x), Scalar.sin(frequency * x)) }
        (cos, sin) = (cos * cos1 - sin * sin1, sin * cos1 + cos * sin1)
        return (cos, sin)
    }
}
