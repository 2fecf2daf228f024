#!/usr/bin/env python3
"""Taylor coefficients of f(x) = x*sigmoid(1.702*x) at x0 = 0.5 for FunctionExpressionTests, with
the majorants M_k that bound their rounding error in PolyNet's power-series arithmetic.

The coefficients come from mpmath's `taylor` (numerical differentiation at 60 digits). M_k
replays the recurrences PolyNet runs (TaylorSeries.swift: exp by k*y_k = sum j*a_j*y_{k-j}, then
1 + e, the reciprocal 1/(1 + e) by back substitution, and the product with x) on the absolute
values of every term: each computed coefficient is a sum of at most 4(k + 1) rounded products whose
absolute values sum to at most M_k, so its error is at most about 4(k + 1)*eps*M_k.

Run: python3 scripts/reference/expression_taylor.py
"""
from mpmath import mp, mpf, taylor, exp

mp.dps = 60
n = 10
# 1.702 as the Double the Swift code parses (its exact binary value); 0.5 is exact.
s, x0 = mpf(1.702), mpf("0.5")

coefficients = taylor(lambda x: x / (1 + exp(-s * x)), x0, n - 1)

# a = -s*x as a series at x0; y = exp(a) with absolute values; d = 1 + y; r = 1/d; f = x*r.
a = [abs(-s * x0), abs(-s)] + [mpf(0)] * (n - 2)
y = [exp(-s * x0)] + [mpf(0)] * (n - 1)
for k in range(1, n):
    y[k] = sum(j * a[j] * y[k - j] for j in range(1, k + 1)) / k
d = [1 + y[0]] + y[1:]
r = [mpf(0)] * n
for k in range(n):
    r[k] = ((1 if k == 0 else 0) + sum(r[j] * d[k - j] for j in range(k))) / d[0]
xs = [x0, mpf(1)] + [mpf(0)] * (n - 2)
majorant = [sum(xs[i] * r[k - i] for i in range(k + 1)) for k in range(n)]

print("coefficients:", ", ".join(mp.nstr(c, 20) for c in coefficients))
print("majorants:   ", ", ".join(mp.nstr(m, 6) for m in majorant))
