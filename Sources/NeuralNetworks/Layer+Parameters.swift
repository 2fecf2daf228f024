import LinearAlgebra

extension Layer {
    /// No constraints beyond shapes.
    public func checkParameters() throws {}

    /// The parameters with their dotted names, in `parameterInfo` order (copies share storage).
    public var parameters: [(name: String, value: Matrix<Scalar>)] {
        var copy = self
        var values = [Matrix<Scalar>]()
        copy.visitParameters { parameter, _ in values.append(parameter) }
        return zip(parameterInfo, values).map { (name: $0.name, value: $1) }
    }

    /// The parameter gradients with their dotted names, in `parameterInfo` order.
    public var parameterGradients: [(name: String, value: Matrix<Scalar>)] {
        var copy = self
        var values = [Matrix<Scalar>]()
        copy.visitParameters { _, gradient in values.append(gradient) }
        return zip(parameterInfo, values).map { (name: $0.name, value: $1) }
    }

    /// Replaces every parameter by the matrix of the same name in `values`.
    ///
    /// - Throws: `LayerError.missingParameter` when a name is absent and
    ///   `LayerError.parameterShape` when a matrix has the wrong number of rows or columns;
    ///   the layer is unchanged then.
    public mutating func setParameters(_ values: [String: Matrix<Scalar>]) throws {
        var replacements = [Matrix<Scalar>]()
        for (info, current) in zip(parameterInfo, parameters.map(\.value)) {
            guard let value = values[info.name] else {
                throw LayerError.missingParameter(info.name, available: values.keys.sorted())
            }
            guard value.rows == current.rows, value.columns == current.columns else {
                throw LayerError.parameterShape(name: info.name, expected: info.shape,
                                                found: [value.rows, value.columns])
            }
            replacements.append(value)
        }
        var index = 0
        visitParameters { parameter, _ in
            parameter = replacements[index]
            index += 1
        }
    }
}
