// The Activations module: see README "Architecture".
