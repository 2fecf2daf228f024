import Interop
import LinearAlgebra

extension PolynomialApproximant {
    /// The approximant as named F64 tensors, loadable in PyTorch with `safetensors.torch.load_file`.
    ///
    /// Factorized form: `input.weight` [n, d], `input.bias` [n], `hermite.mean` [n] (mₙ),
    /// `hermite.scale` [n] (sₙ), `hermite.coefficients` [n, k+1], `output.weight` [o, n],
    /// `output.bias` [o], evaluated as
    /// p(x) = output.bias + output.weight · (Σⱼ coefficients[:, j]·Heⱼ((input.weight·x + input.bias − mean)/scale))
    /// (a degenerate unit has scale 0 and uses u = 0). A GLU adds `linear.weight`, `linear.bias`,
    /// `linear.mean`, `linear.slope` and `linear.coefficients` [n, k]: unit n gains
    /// (linear.weight·x + linear.bias − linear.mean − linear.slope·u)·Σⱼ linear.coefficients[n, j]·Heⱼ(u).
    /// With `explicit`, also `explicit.constant` [o], `explicit.linear` [o, d] and
    /// `explicit.quadratic` [o, d, d] (p(x) = constant + linear·x + xᵀQx).
    public func safeTensors(explicit: ExplicitPolynomial? = nil) -> SafeTensors {
        var file = SafeTensors(metadata: [
            "polynet.approximant.degree": String(degree),
            "polynet.approximant.activation": block.activation.name,
            "polynet.approximant.form": block.isGated ? "glu-hermite" : "mlp-hermite",
        ])
        let (n, o) = (block.hiddenCount, block.outputCount)
        file.insert(block.inputWeight, named: "input.weight")
        file.insert(block.inputBias, named: "input.bias", shape: [n])
        file.insert(preactivationMean, named: "hermite.mean", shape: [n])
        file.insert(preactivationStandardDeviation, named: "hermite.scale", shape: [n])
        file.insert(coefficients, named: "hermite.coefficients")
        if let branch = block.linearBranch, let linearBranchCoefficients {
            file.insert(branch.weight, named: "linear.weight")
            file.insert(branch.bias, named: "linear.bias", shape: [n])
            file.insert(linearBranchMean, named: "linear.mean", shape: [n])
            file.insert(linearBranchSlope, named: "linear.slope", shape: [n])
            file.insert(linearBranchCoefficients, named: "linear.coefficients")
        }
        file.insert(block.outputWeight, named: "output.weight")
        file.insert(block.outputBias, named: "output.bias", shape: [o])
        if let explicit {
            let d = block.inputDimension
            file.insert(explicit.constant, named: "explicit.constant", shape: [o])
            file.insert(explicit.linear, named: "explicit.linear")
            if !explicit.quadratic.isEmpty {
                file.insert(explicit.quadratic.flatMap { $0.elements }, named: "explicit.quadratic", shape: [o, d, d])
            }
        }
        return file
    }
}
