import RealModule

/// A small, fast, seedable random number generator (SplitMix64).
///
/// Every random choice in PolyNet — initialization, shuffling, Monte-Carlo tests — takes a
/// generator as an argument, so one `--seed` reproduces a run exactly.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The whole internal state: `SeededGenerator(seed: g.state)` continues `g`'s stream
    /// exactly, so a saved state resumes a shuffle where it stopped.
    public private(set) var state: UInt64

    /// A generator whose stream is fixed by `seed` (equally, one restored from a saved `state`).
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension BLASScalar {
    /// A standard normal sample by the Box–Muller transform.
    @inlinable
    public static func standardNormal<G: RandomNumberGenerator>(using generator: inout G) -> Self {
        let u1 = Double.random(in: Double.leastNonzeroMagnitude ..< 1, using: &generator)
        let u2 = Double.random(in: 0 ..< 1, using: &generator)
        return Self((-2 * Double.log(u1)).squareRoot() * Double.cos(2 * .pi * u2))
    }
}

extension Matrix {
    /// A matrix of independent N(mean, std²) samples.
    @inlinable
    public static func randomNormal<G: RandomNumberGenerator>(
        rows: Int, columns: Int, mean: Scalar = 0, standardDeviation: Scalar = 1, using generator: inout G
    ) -> Matrix {
        Matrix(rows: rows, columns: columns,
               elements: (0 ..< rows * columns).map { _ in
                   mean + standardDeviation * Scalar.standardNormal(using: &generator)
               })
    }

    /// A matrix of independent samples uniform on `range`.
    @inlinable
    public static func randomUniform<G: RandomNumberGenerator>(
        rows: Int, columns: Int, in range: ClosedRange<Scalar>, using generator: inout G
    ) -> Matrix {
        Matrix(rows: rows, columns: columns,
               elements: (0 ..< rows * columns).map { _ in Scalar.random(in: range, using: &generator) })
    }
}
