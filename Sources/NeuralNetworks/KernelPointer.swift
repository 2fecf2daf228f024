import LinearAlgebra

// The C kernels (`CKernels`) come in a Float (`_f`) and a Double (`_d`) version; a generic
// caller chooses one by `Scalar.self` and passes its buffers through these, the one place that
// reinterprets them.

/// `pointer` as the C kernel's element type `Target`, which must be `Scalar` itself (the caller
/// chose the Float or the Double kernel by `Scalar.self`; `BLASScalar` has no other types).
@inline(__always)
package func kernelPointer<Scalar: BLASScalar, Target>(_ pointer: UnsafePointer<Scalar>?) -> UnsafePointer<Target>? {
    precondition(Scalar.self == Target.self, "A C kernel for \(Target.self) called on \(Scalar.self)")
    return UnsafeRawPointer(pointer)?.assumingMemoryBound(to: Target.self)
}

/// The same for a mutable buffer.
@inline(__always)
package func kernelPointer<Scalar: BLASScalar, Target>(_ pointer: UnsafeMutablePointer<Scalar>?) -> UnsafeMutablePointer<Target>? {
    precondition(Scalar.self == Target.self, "A C kernel for \(Target.self) called on \(Scalar.self)")
    return UnsafeMutableRawPointer(pointer)?.assumingMemoryBound(to: Target.self)
}
