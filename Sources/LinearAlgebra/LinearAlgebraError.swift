/// A LAPACK routine reported that it could not finish on this input.
///
/// These depend on the data (a matrix that is not positive definite, a singular system, an
/// iteration that did not converge), so they are thrown rather than trapped.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An iterative decomposition did not converge (`info > 0` from `?syevd` / `?gesdd` / `?gelsd`).
    case notConverged(routine: String, info: Int)
    /// Cholesky found a leading minor that is not positive.
    case notPositiveDefinite(order: Int)
    /// LU found an exactly zero pivot: the system is singular.
    case singular(pivot: Int)
    /// LAPACK rejected an argument (`info < 0`); a bug in the caller's shapes.
    case illegalArgument(routine: String, position: Int)
    /// The input holds NaN or infinity, which LAPACK would turn into garbage.
    case nonFiniteInput(routine: String)

    public var description: String {
        switch self {
        case let .notConverged(routine, info):
            return "\(routine) did not converge (\(info) off-diagonal elements did not reach zero); the matrix may be badly scaled"
        case let .notPositiveDefinite(order):
            return "the matrix is not positive definite (leading minor of order \(order) is not positive); regularize it, e.g. add a multiple of the identity"
        case let .singular(pivot):
            return "the matrix is singular (pivot \(pivot) is exactly zero); use least squares instead"
        case let .illegalArgument(routine, position):
            return "\(routine) rejected argument \(position)"
        case let .nonFiniteInput(routine):
            return "\(routine) was given NaN or infinite values"
        }
    }
}

/// Maps a LAPACKE status to a thrown error.
func checkLAPACK(_ info: Int32, routine: String, onPositive: (Int) -> LinearAlgebraError) throws {
    if info < 0 { throw LinearAlgebraError.illegalArgument(routine: routine, position: Int(-info)) }
    if info > 0 { throw onPositive(Int(info)) }
}
