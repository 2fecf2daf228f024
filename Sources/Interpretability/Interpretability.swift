// The Interpretability module: see README "Architecture".
