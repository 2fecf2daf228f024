// The Polynomials module: see README "Architecture".
