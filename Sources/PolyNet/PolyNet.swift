// The PolyNet umbrella module: `import PolyNet` brings in the whole library.
@_exported import Activations
@_exported import Datasets
@_exported import FileSystem
@_exported import Interop
@_exported import Interpretability
@_exported import LinearAlgebra
@_exported import NeuralNetworks
@_exported import Plotting
@_exported import PolynomialConversion
@_exported import Polynomialization
@_exported import Polynomials
@_exported import Training
