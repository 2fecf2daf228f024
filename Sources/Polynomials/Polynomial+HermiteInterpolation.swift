import LinearAlgebra
import RealModule

extension Polynomial {
    /// The polynomial matching f and f′ at the nodes (Hermite interpolation), in the Chebyshev
    /// basis on `interval`.
    ///
    /// With m nodes the degree is 2m − 1. When `nodes` is `nil`, m = ⌈(degree + 1)/2⌉ Chebyshev
    /// points of the first kind are used; for an even degree the value at the right end of
    /// the interval is matched too. The confluent Chebyshev–Vandermonde system is solved with
    /// LAPACK (`Matrix.solve`).
    ///
    /// ```swift
    /// let p = try Polynomial.hermiteInterpolant(of: gelu, derivative: geluPrime, degree: 7, on: -4 ... 4)
    /// ```
    /// - Throws: ``PolynomialError`` for a bad degree, interval or nodes, or a singular system.
    public static func hermiteInterpolant(of f: (Double) -> Double, derivative: (Double) -> Double,
                                          degree: Int, on interval: ClosedRange<Double>,
                                          nodes: [Double]? = nil) throws -> Polynomial {
        try validate(degree: degree, maximum: 200, interval: interval)
        let basis = Basis.chebyshev(on: interval)
        let chosen: [Double]
        var matchEnd = false
        if let nodes {
            guard !nodes.isEmpty, Set(nodes).count == nodes.count,
                  nodes.allSatisfy({ $0.isFinite && interval.contains($0) }) else {
                throw PolynomialError.invalidNodes("need distinct finite nodes inside \(interval), got \(nodes)")
            }
            guard 2 * nodes.count - 1 == degree else {
                throw PolynomialError.invalidNodes("\(nodes.count) nodes give degree \(2 * nodes.count - 1), not \(degree)")
            }
            chosen = nodes
        } else {
            let m = (degree + 2) / 2
            matchEnd = degree % 2 == 0
            let count = matchEnd ? degree / 2 : m
            chosen = (0 ..< count).map { i in
                let t = Double.cos(Double.pi * (2 * Double(i) + 1) / (2 * Double(count)))
                return (t - basis.offset) / basis.scale
            }
        }
        let size = degree + 1
        var system = Matrix<Double>(rows: size, columns: size)
        var rhs = Matrix<Double>(rows: size, columns: 1)
        for (i, x) in chosen.enumerated() {
            let (values, derivatives) = basis.family.valuesAndDerivatives(at: basis.standardized(x), count: size)
            for k in 0 ..< size {
                system[2 * i, k] = values[k]
                system[2 * i + 1, k] = derivatives[k] * basis.scale
            }
            rhs[2 * i, 0] = try finiteValue(f, x)
            rhs[2 * i + 1, 0] = try finiteValue(derivative, x)
        }
        if matchEnd {
            let values = basis.family.valuesAndDerivatives(at: 1, count: size).values
            for k in 0 ..< size { system[size - 1, k] = values[k] }
            rhs[size - 1, 0] = try finiteValue(f, interval.upperBound)
        }
        do {
            let solution = try system.solve(rhs)
            return Polynomial(coefficients: Array(solution.elements), basis: basis)
        } catch {
            throw PolynomialError.singularSystem("Hermite interpolation at \(chosen)")
        }
    }
}
