#!/usr/bin/env python3
"""Reference values of activations for ActivationTests, to 30 digits with mpmath.

Run: python3 scripts/reference/activation_constants.py
"""
from mpmath import mp, mpf, sqrt, tanh, pi, erfc, log

mp.dps = 40

# PyTorch's approximate="tanh" GELU: ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) at x = 1, with
# 0.044715 as the Double the Swift code uses (its exact binary value).
b = mpf(0.044715)
x = mpf(1)
print("gelu-tanh(1) =", mp.nstr(x / 2 * (1 + tanh(sqrt(2 / pi) * (x + b * x**3))), 30))
# Φ(1) = ½·erfc(−1/√2) (A&S 26.2 tabulates 0.8413447460685429).
print("Phi(1)       =", mp.nstr(erfc(-1 / sqrt(2)) / 2, 30))
print("log(2)       =", mp.nstr(log(2), 30))
