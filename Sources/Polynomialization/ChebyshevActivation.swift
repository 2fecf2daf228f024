import LinearAlgebra
import NeuralNetworks
import Polynomials

/// A fixed polynomial applied to every element: the add/multiply-only replacement of a
/// nonlinearity, a Chebyshev series on the interval its inputs were measured on.
///
/// Evaluated in Double by Clenshaw's recurrence (backward stable in the Chebyshev basis);
/// outside its interval the polynomial is evaluated as it is, which is what an encrypted
/// evaluation would compute too.
public struct ChebyshevActivation<Scalar: BLASScalar>: Layer {
    /// The polynomial, in the Chebyshev basis on ``interval``.
    public let polynomial: Polynomial
    private let derivative: Polynomial

    /// A layer computing `polynomial` elementwise.
    public init(_ polynomial: Polynomial) {
        self.polynomial = polynomial
        derivative = polynomial.derivative()
    }

    /// The interval the polynomial was fitted on.
    public var interval: ClosedRange<Double> { polynomial.basis.interval }

    public var inputWidth: Int? { nil }
    public func outputWidth(forInputWidth width: Int) -> Int { width }
    public var specification: String { "chebyshev(deg=\(polynomial.degree))" }
    public var parameterInfo: [ParameterInfo] { [] }

    public mutating func forward(_ input: Matrix<Scalar>, into output: inout Matrix<Scalar>, training: Bool) {
        output.ensureShape(rows: input.rows, columns: input.columns)
        let p = polynomial
        input.elements.withUnsafeBufferPointer { x in
            output.withUnsafeMutableElements { y in p.evaluate(x, into: y) }
        }
    }

    public mutating func backward(_ outputGradient: Matrix<Scalar>, input: Matrix<Scalar>, output: Matrix<Scalar>,
                                  inputGradient: inout Matrix<Scalar>, needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        inputGradient.ensureShape(rows: input.rows, columns: input.columns)
        let slope = derivative
        input.elements.withUnsafeBufferPointer { x in
            inputGradient.withUnsafeMutableElements { dx in slope.evaluate(x, into: dx) }
        }
        outputGradient.elements.withUnsafeBufferPointer { dy in
            inputGradient.withUnsafeMutableElements { dx in
                for i in dx.indices { dx[i] *= dy[i] }
            }
        }
    }

    public mutating func visitParameters(_ body: (inout Matrix<Scalar>, inout Matrix<Scalar>) -> Void) {}
}
