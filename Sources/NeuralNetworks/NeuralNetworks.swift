// The NeuralNetworks module: see README "Architecture".
