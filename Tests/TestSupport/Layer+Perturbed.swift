import NeuralNetworks

/// `layer` with one parameter element moved by `step`.
public func perturbed<L: Layer>(_ layer: L, _ parameterIndex: Int, _ element: Int, by step: L.Scalar) -> L {
    var copy = layer
    var index = 0
    copy.visitParameters { value, _ in
        if index == parameterIndex { value.elements[element] += step }
        index += 1
    }
    return copy
}
