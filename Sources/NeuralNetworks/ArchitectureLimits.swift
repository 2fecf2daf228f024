/// Bounds on what an architecture text may ask for, checked before any parameter is allocated.
///
/// - `maximumDegree` (32, fixed) bounds every degree argument: `poly(…,deg=)`, `hermite`,
///   `fourier`, `tropical` and `tropical-rational`. Hermite and Fourier terms are scaled by
///   1/k!, and 34! ≈ 3.0·10³⁸ exceeds Float's largest value, so terms past k ≈ 33 cannot change
///   a Float output; a monomial xᵏ of `poly` has lost every significant digit long before
///   (for |x| = 2, 2³² already needs all of Float's 24 bits to hold its leading part). The cost
///   of every such layer grows linearly in the degree, so the cap also bounds its time.
/// - `maximumParameters` (100 million by default, `--max-parameters`) bounds the total count.
///   Training keeps four Float copies of every parameter (values, gradients, Adam's two
///   moments), so 10⁸ parameters take 1.6 GB before activations and checkpoint buffers: the
///   most a laptop-class machine trains at all, and 100× the largest MNIST model in this
///   project.
/// - `maximumActivationElements` (2²⁸ ≈ 268 million, 1 GiB in Float) bounds one activation
///   matrix, batch rows × the widest layer output, the largest buffer a forward pass makes.
///
/// Sizes are computed with overflow checks, so `dense(784,9223372036854775807)` is refused as
/// too large instead of trapping.
public struct ArchitectureLimits: Sendable, Equatable {
    /// The highest degree any layer argument may ask for.
    public static let maximumDegree = 32
    /// The default bound on a model's parameter count.
    public static let defaultMaximumParameters = 100_000_000
    /// The default bound on the elements of one activation matrix (1 GiB in Float).
    public static let defaultMaximumActivationElements = 1 << 28

    /// The most parameters a model may have.
    public var maximumParameters: Int
    /// The most elements one activation matrix (batch × width) may have.
    public var maximumActivationElements: Int

    /// Limits; see the properties.
    public init(maximumParameters: Int = defaultMaximumParameters,
                maximumActivationElements: Int = defaultMaximumActivationElements) {
        self.maximumParameters = maximumParameters
        self.maximumActivationElements = maximumActivationElements
    }

    /// The default limits.
    public static let standard = ArchitectureLimits()
    /// No bound on the parameter count (for models read from a file, whose tensors already
    /// bound it).
    public static let unboundedParameters = ArchitectureLimits(maximumParameters: .max)

    /// Checks that `rows` × `columns` elements fit `maximumActivationElements`.
    ///
    /// - Throws: `ModelError.activationsTooLarge`.
    public func checkActivation(rows: Int, columns: Int) throws(ModelError) {
        let (elements, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, elements <= maximumActivationElements else {
            throw .activationsTooLarge(rows: rows, columns: columns, limit: maximumActivationElements)
        }
    }
}
