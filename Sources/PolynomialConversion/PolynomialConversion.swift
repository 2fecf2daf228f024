// The PolynomialConversion module: see README "Architecture".
