import Foundation
import Interop
import LinearAlgebra
import NeuralNetworks
import Testing
import Training
@testable import Polynomialization

/// The repository root, for the script under test.
private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// True when `python3` with numpy runs here (the test is skipped otherwise).
private let pythonWithNumpy: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import numpy"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

@Suite("The exported network in numpy")
struct NumpyScriptTests {
    /// scripts/polynomial_network.py (numpy, + and × only) computes what the add/multiply-only
    /// evaluator computes from the same manifest and weights: both in float64, the same
    /// products in another order (sums of ≤ 48 terms, Clenshaw against
    /// Paterson–Stockmeyer), so 1e-9 of the outputs' size covers their rounding. The composite
    /// ReLU's stages have slopes up to 1/ε ≈ 10² on these inputs, which the same bound covers.
    @Test(.enabled(if: pythonWithNumpy),
          arguments: [("dense(6,12) silu dense(12,3)", false), ("glu(6,12,5,act=silu) bilinear(5,4,3)", false),
                      ("conv2d(1,3,k=3,stride=1,pad=1,size=8) relu avgpool(2) square flatten dense(48,3)", true), (nil, false)])
    func scriptMatchesTheEvaluator(architecture: String?, perChannel: Bool) throws {
        let model: Sequential<Float>, inputs: Matrix<Float>, fits: [ActivationFit]
        if let architecture {
            var generator = SeededGenerator(seed: 31)
            model = try Architecture(parsing: architecture).makeModel(as: Float.self, using: &generator)
            inputs = gaussianInputs(rows: 40, columns: model.inputWidth ?? 6, seed: 32)
            fits = try RangeProfile.measureAll(model, on: inputs, perChannel: perChannel).activations.map {
                perChannel ? try ActivationFit.fitPerChannel($0, interval: IntervalRule(), degree: .degree(11))
                    : try ActivationFit.fit($0, interval: IntervalRule(), degree: .degree(11))
            }
        } else {
            // The composite ReLU network of its own suite (its degree search is done once).
            let shared = try CompositeReLUTests.fitted()
            (model, inputs, fits) = (shared.model, shared.inputs, [shared.fit])
        }
        let network = try PolynomialNetwork(replacingIn: model, with: fits)
        let manifest = PolynomialNetworkManifest(network, original: model)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("polynet-numpy-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try manifest.encoded().write(to: folder.appendingPathComponent("manifest.json"))
        let tensors = doubleTensors(of: model)
        try Checkpoint(model: model).write(to: folder.appendingPathComponent("weights.safetensors"))
        var input = SafeTensors()
        input.insert(inputs.converted(to: Double.self), named: "inputs")
        try input.write(to: folder.appendingPathComponent("inputs.safetensors"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/polynomial_network.py").path, folder.path,
                             "--inputs", folder.appendingPathComponent("inputs.safetensors").path,
                             "--outputs", folder.appendingPathComponent("outputs.safetensors").path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let fromScript = try SafeTensors(contentsOf: folder.appendingPathComponent("outputs.safetensors"))
            .matrix(named: "outputs", as: Double.self)
        let reference = try AddMultiplyEvaluator.evaluate(manifest, tensors: tensors, inputs: inputs.converted(to: Double.self)).outputs
        let scale = reference.elements.reduce(0) { max($0, abs($1)) }
        #expect(fromScript.rows == inputs.rows && fromScript.columns == 3 && scale > 0)
        for (a, b) in zip(fromScript.elements, reference.elements) { #expect(abs(a - b) <= 1e-9 * scale) }
    }
}

/// The parameters of `model` in Double by their checkpoint names (`0.weight`, …), as the
/// add/multiply-only evaluator takes them.
func doubleTensors(of model: Sequential<Float>) -> [String: Matrix<Double>] {
    var values = [Matrix<Double>]()
    var copy = model
    copy.visitParameters { value, _ in values.append(value.converted(to: Double.self)) }
    return Dictionary(uniqueKeysWithValues: zip(model.parameterInfo.map(\.name), values))
}
