import LinearAlgebra

/// One max-plus polynomial max_i (slope_i·x + intercept_i) per coefficient set: pointers to its
/// parameters and gradients, coefficient set j starting at offset j·stride.
struct MaxPlusPointers<Scalar> {
    /// The slopes, or nil for the fixed slopes 0, 1, …, count − 1.
    var slopes: UnsafePointer<Scalar>?
    var intercepts: UnsafePointer<Scalar>
    var slopeGradient: UnsafeMutablePointer<Scalar>?
    var interceptGradient: UnsafeMutablePointer<Scalar>?

    init(slopes: UnsafePointer<Scalar>? = nil, intercepts: UnsafePointer<Scalar>,
         slopeGradient: UnsafeMutablePointer<Scalar>? = nil, interceptGradient: UnsafeMutablePointer<Scalar>? = nil) {
        self.slopes = slopes
        self.intercepts = intercepts
        self.slopeGradient = slopeGradient
        self.interceptGradient = interceptGradient
    }
}

/// The elementwise loops of the tropical activations: F(x) = scale·(P(x) − Q(x)) with P and Q
/// max-plus polynomials of `count` pieces (Q absent for a tropical polynomial).
struct TropicalKernel {
    /// Columns set·group ..< (set + 1)·group use coefficient set `set` (at offset set·stride).
    var rows, columns, count, stride, group: Int
    var scale: Double

    /// y = F(x) elementwise.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func evaluate<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, numerator p: MaxPlusPointers<Scalar>,
                                      denominator q: MaxPlusPointers<Scalar>?, into y: UnsafeMutablePointer<Scalar>) {
        let scale = Scalar(self.scale)
        for row in 0 ..< rows {
            for set in 0 ..< columns / group {
                for column in set * group ..< (set + 1) * group {
                    let (index, offset) = (row * columns + column, set * stride)
                    var value = Self.maxPlus(x[index], p, offset: offset, count: count).value
                    if let q { value -= Self.maxPlus(x[index], q, offset: offset, count: count).value }
                    y[index] = scale * value
                }
            }
        }
    }

    /// Writes ∂loss/∂x and adds the gradients of the maximizing pieces i* of P and j* of Q:
    /// ∂F/∂x = scale·(slope_{i*} − slope_{j*}), ∂F/∂intercept = ±scale, ∂F/∂slope = ±scale·x.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backpropagate<Scalar: BLASScalar>(_ dy: UnsafePointer<Scalar>, x: UnsafePointer<Scalar>,
                                           numerator p: MaxPlusPointers<Scalar>, denominator q: MaxPlusPointers<Scalar>?,
                                           into dx: UnsafeMutablePointer<Scalar>) {
        let scale = Scalar(self.scale)
        for row in 0 ..< rows {
            for set in 0 ..< columns / group {
                for column in set * group ..< (set + 1) * group {
                    let (index, offset) = (row * columns + column, set * stride)
                    let (value, g) = (x[index], scale * dy[index])
                    var slope = Self.accumulate(value, g, p, offset: offset, count: count)
                    if let q { slope -= Self.accumulate(value, -g, q, offset: offset, count: count) }
                    dx[index] = g * slope
                }
            }
        }
    }

    /// Adds `g` times the gradient of the maximizing piece of `polynomial` and returns its slope.
    @inline(__always)
    private static func accumulate<Scalar: BLASScalar>(_ x: Scalar, _ g: Scalar, _ polynomial: MaxPlusPointers<Scalar>,
                                                       offset: Int, count: Int) -> Scalar {
        let piece = offset + maxPlus(x, polynomial, offset: offset, count: count).index
        polynomial.interceptGradient?[piece] += g
        polynomial.slopeGradient?[piece] += g * x
        return polynomial.slopes?[piece] ?? Scalar(piece - offset)
    }

    /// max_i (slope_i·x + intercept_i) over the set at `offset` and the first index attaining it
    /// (ties go to the lowest index, which then receives the gradient).
    @inline(__always)
    private static func maxPlus<Scalar: BLASScalar>(_ x: Scalar, _ polynomial: MaxPlusPointers<Scalar>,
                                                    offset: Int, count: Int) -> (value: Scalar, index: Int) {
        var best = -Scalar.infinity, bestIndex = 0
        for i in 0 ..< count {
            let candidate = (polynomial.slopes?[offset + i] ?? Scalar(i)) * x + polynomial.intercepts[offset + i]
            if candidate > best {
                best = candidate
                bestIndex = i
            }
        }
        return (best, bestIndex)
    }
}
