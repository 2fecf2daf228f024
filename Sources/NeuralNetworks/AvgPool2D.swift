import LinearAlgebra

/// Average pooling over non-overlapping k × k windows of NCHW images, like
/// `torch.nn.AvgPool2d(k)` (stride k, no padding; rows or columns past the last whole window
/// are dropped).
///
/// y[c, i, j] = (1/k²)·Σ_{u, v < k} x[c, i·k + u, j·k + v]. The map is linear, so it costs no
/// multiplicative depth under homomorphic encryption; CryptoNets' "scaled mean pool" is the
/// sum k²·y, which differs by a constant factor the next linear layer absorbs. Backward
/// spreads ∂loss/∂y[c, i, j]/k² over the window.
///
/// ```swift
/// let pool = AvgPool2D<Float>(input: ImageShape(channels: 5, height: 12, width: 12), kernelSize: 2)!  // 5×6×6
/// ```
/// - Complexity: O(C·H·W) per example in each pass.
public struct AvgPool2D<Scalar: BLASScalar>: Layer {
    /// The input image shape.
    public let input: ImageShape
    /// The window side and stride k.
    public let kernelSize: Int

    /// Pooling of `input` images over k × k windows, or nil when a window does not fit
    /// (k larger than the height or width) or k < 1.
    public init?(input: ImageShape, kernelSize: Int) {
        guard kernelSize >= 1, input.channels >= 1, input.height >= kernelSize, input.width >= kernelSize,
              input.checkedCount != nil else { return nil }
        self.input = input
        self.kernelSize = kernelSize
    }

    /// The output image shape C × ⌊H/k⌋ × ⌊W/k⌋.
    public var outputShape: ImageShape {
        ImageShape(channels: input.channels, height: input.height / kernelSize, width: input.width / kernelSize)
    }

    public var inputWidth: Int? { input.count }

    public func outputWidth(forInputWidth width: Int) -> Int { outputShape.count }

    public func outputImageShape(for input: ImageShape?) -> ImageShape? { outputShape }

    public var specification: String { "avgpool(\(kernelSize))" }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        precondition(input.columns == self.input.count, "avgpool(\(kernelSize)) on \(self.input) images got a \(input.rows)×\(input.columns) input")
        output.ensureShape(rows: input.rows, columns: outputShape.count)
        let (shape, k, rows) = (self.input, kernelSize, input.rows)
        input.elements.withUnsafeBufferPointer { x in
            output.withUnsafeMutableElements { y in
                guard let x = x.baseAddress, let y = y.baseAddress else { return }
                averagePool(x, rows: rows, shape: shape, kernelSize: k, into: y)
            }
        }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        inputGradient.ensureShape(rows: input.rows, columns: self.input.count)
        let (shape, k, rows) = (self.input, kernelSize, input.rows)
        outputGradient.elements.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableElements { dx in
                guard let dy = dy.baseAddress, let dx = dx.baseAddress else { return }
                spreadAveragePoolGradient(dy, rows: rows, shape: shape, kernelSize: k, into: dx)
            }
        }
    }
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func averagePool<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, rows: Int, shape: ImageShape, kernelSize k: Int,
                                     into y: UnsafeMutablePointer<Scalar>) {
    let (height, width) = (shape.height / k, shape.width / k)
    let scale = 1 / Scalar(k * k)
    var target = y
    for plane in 0 ..< rows * shape.channels {
        let source = x + plane * shape.planeCount
        for i in 0 ..< height {
            for j in 0 ..< width {
                var total: Scalar = 0
                for u in 0 ..< k {
                    let line = source + (i * k + u) * shape.width + j * k
                    for v in 0 ..< k { total += line[v] }
                }
                target[j] = total * scale
            }
            target += width
        }
    }
}

@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func spreadAveragePoolGradient<Scalar: BLASScalar>(_ dy: UnsafePointer<Scalar>, rows: Int, shape: ImageShape,
                                                   kernelSize k: Int, into dx: UnsafeMutablePointer<Scalar>) {
    let (height, width) = (shape.height / k, shape.width / k)
    let scale = 1 / Scalar(k * k)
    dx.update(repeating: 0, count: rows * shape.count)
    var source = dy
    for plane in 0 ..< rows * shape.channels {
        let target = dx + plane * shape.planeCount
        for i in 0 ..< height {
            for j in 0 ..< width {
                let share = source[j] * scale
                for u in 0 ..< k {
                    let line = target + (i * k + u) * shape.width + j * k
                    for v in 0 ..< k { line[v] = share }
                }
            }
            source += width
        }
    }
}
