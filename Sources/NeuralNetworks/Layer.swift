import LinearAlgebra

/// A differentiable map from a batch of inputs (one example per row) to a batch of outputs,
/// with named, learnable parameters.
///
/// A layer computes `forward` into a caller-owned output matrix and keeps whatever its
/// backward pass needs (for example the powers of its input); `backward` then receives the
/// same input and output again together with ∂loss/∂output, writes ∂loss/∂input and **adds**
/// ∂loss/∂parameter to the layer's gradient buffers. Buffers are reused from step to step, so
/// a training step in the steady state allocates nothing.
///
/// Rows are independent examples: a layer's output row depends only on the same input row and
/// the parameters (no batch statistics, so a layer normalization works per row), and its
/// parameter gradients are sums over rows. Training relies on this to split a batch across
/// threads (the `Training` module's `StepParallelism`); the passes only read the parameters.
///
/// Parameters have PyTorch-style names (`weight`, `bias`) that `Sequential` prefixes with the
/// layer's index (`0.weight`), so checkpoints match `torch.nn.Sequential` state dicts.
///
/// Writing a new layer: conform a `struct` generic over `Scalar: BLASScalar` (so its backward
/// can be checked against finite differences in `Double`), implement the two passes with
/// BLAS products and buffer-pointer loops (mark the loops' generic helpers
/// `@_specialize(where Scalar == Float)`), list the parameters in `parameterInfo` in the order
/// `visitParameters` visits them, and register a `LayerKind` so the architecture language can
/// build it.
///
/// ```swift
/// var model = Sequential<Float>([Dense(inputWidth: 784, outputWidth: 10, using: &generator)])
/// let logits = model(images)          // inference
/// ```
public protocol Layer<Scalar> {
    /// The element type: `Float` for training, `Double` for checking gradients and for conversion.
    associatedtype Scalar: BLASScalar

    /// The number of input columns the layer requires, or nil when it accepts any width.
    var inputWidth: Int? { get }

    /// The number of output columns for an input of `width` columns.
    func outputWidth(forInputWidth width: Int) -> Int

    /// The image shape of the output when the input rows are images of shape `input` (nil when
    /// unknown), or nil when the output rows are not images. The architecture builder passes
    /// it on so that `conv2d` and `avgpool` know their input's channels and size.
    ///
    /// By default a layer that takes any width and keeps it (an elementwise activation) keeps
    /// the image shape and every other layer drops it; convolutions, pooling and `flatten`
    /// say their own.
    func outputImageShape(for input: ImageShape?) -> ImageShape?

    /// The columns per example of the largest buffer the layer keeps besides its output (the
    /// patch matrix of a convolution), 0 for most layers; batch rows × this is checked against
    /// ``ArchitectureLimits/maximumActivationElements`` like the activations.
    var workspaceWidth: Int { get }

    /// The layer in the architecture language, e.g. `poly(784,20,deg=3)` or `relu`.
    var specification: String { get }

    /// The parameters' names and PyTorch shapes, in the order `visitParameters` visits them.
    var parameterInfo: [ParameterInfo] { get }

    /// Computes the layer on `input` (batch × inputWidth) into `output`, reallocating
    /// `output` only when its shape does not fit, and caches what `backward` needs.
    mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool)

    /// Back-propagates through the most recent `forward`.
    ///
    /// - Parameters:
    ///   - outputGradient: ∂loss/∂output, the shape of `output`.
    ///   - input: The input of the most recent `forward`.
    ///   - output: The output of the most recent `forward`.
    ///   - inputGradient: Receives ∂loss/∂input (reallocated only when its shape does not fit).
    ///   - needsInputGradient: When false (the first layer of a model) the layer may skip
    ///     computing `inputGradient`.
    /// Parameter gradients are **added** to the gradient buffers; `zeroGradients()` clears them.
    mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                           inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool)

    /// Checks constraints on the parameters' values that their shapes cannot express (an
    /// interval that must increase, say); checkpoints call it after loading. Most layers have
    /// none (the default).
    ///
    /// - Throws: `LayerError.invalidParameter`.
    func checkParameters() throws

    /// Calls `body(&parameter, &gradient)` for every parameter, in `parameterInfo` order.
    ///
    /// Optimizers update parameters in place through this, without allocating.
    mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void)
}

/// The name and PyTorch shape of one parameter (a `Matrix` may hold a tensor of higher rank
/// flattened row-major, e.g. a `[out, in, degree + 1]` polynomial weight as out × in·(degree + 1)).
public struct ParameterInfo: Sendable, Equatable, CustomStringConvertible {
    /// The dotted name, e.g. `weight` in a layer or `0.weight` in a `Sequential`.
    public var name: String
    /// The tensor shape stored in checkpoints.
    public var shape: [Int]

    /// A parameter's name and shape.
    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    /// The number of scalars.
    public var count: Int { shape.reduce(1, *) }

    public var description: String { "\(name) \(shape)" }
}

extension Layer {
    /// Parameterless layers accept any width by default.
    public var inputWidth: Int? { nil }

    /// Parameterless layers keep the width by default.
    public func outputWidth(forInputWidth width: Int) -> Int { width }

    /// Elementwise layers (any width in, the same width out) keep the image shape; others drop it.
    public func outputImageShape(for input: ImageShape?) -> ImageShape? {
        guard let input, inputWidth == nil, outputWidth(forInputWidth: input.count) == input.count else { return nil }
        return input
    }

    /// No workspace by default.
    public var workspaceWidth: Int { 0 }

    /// No parameters by default.
    public var parameterInfo: [ParameterInfo] { [] }

    /// No parameters by default.
    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {}

    /// The layer applied for inference (`training: false`).
    public func callAsFunction(_ input: Matrix<Scalar>) -> Matrix<Scalar> {
        var copy = self
        var output = Matrix<Scalar>(rows: 0, columns: 0)
        copy.forward(input, into: &output, training: false)
        return output
    }

    /// The total number of learnable scalars.
    public var parameterCount: Int { parameterInfo.reduce(0) { $0 + $1.count } }

    /// Sets every parameter gradient to zero.
    public mutating func zeroGradients() {
        visitParameters { _, gradient in gradient.setZero() }
    }
}
