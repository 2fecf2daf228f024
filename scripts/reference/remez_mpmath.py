#!/usr/bin/env python3
"""Best weighted uniform polynomial errors on one interval, in 50-digit arithmetic.

An independent high-precision evaluation for the smooth cases of UnionMinimaxTests (exp on
[-8, 0] and 1/sqrt(x) on [0.01, 10], absolute and relative error, degree 15). It shares no code
with PolyNet and none of its Double arithmetic: everything below runs in mpmath at 50 digits.

1. p = sum_k c_k T_k(t), t = (2x - a - b)/(b - a); the Remez exchange starts from the n + 2
   extrema of T_{n+1} and solves the levelled system sum_k c_k T_k(t_j) + (-1)^j E / w(x_j) = f(x_j)
   (mpmath's LU solver).
2. Extrema of e = w (f - p): local maxima of |e| on a 4000-point Chebyshev grid, each refined by
   golden-section search in 50 digits to 1e-30 of its bracket; runs of one sign keep their
   largest |e|; the ends are kept when |e| grows towards them.
3. Certificate (de la Vallee-Poussin): e alternates in sign at the n + 2 new reference points,
   so E* >= L = min |e| there; E* <= U = max |e| (a located maximum). Iterates until
   U - L <= 1e-30 U.

Also printed, to show the floor that Double arithmetic sets on any Double solver (see
UnionMinimaxTests): the max error of the best polynomial with its coefficients rounded to
Double (exact evaluation), relative to E*.

Run:  python3 scripts/reference/remez_mpmath.py     # about half a minute
"""
import mpmath
from mpmath import mp, mpf

mp.dps = 50

CASES = [
    # name, f, weight, degree, [a, b]
    ("exp", mpmath.exp, lambda x: mpf(1), 15, (mpf(-8), mpf(0))),
    ("rsqrt", lambda x: 1 / mpmath.sqrt(x), lambda x: mpf(1), 15, (mpf("0.01"), mpf(10))),
    ("rsqrt-relative", lambda x: 1 / mpmath.sqrt(x), mpmath.sqrt, 15, (mpf("0.01"), mpf(10))),
]


def chebyshev_values(t, count):
    values = [mpf(1), t]
    while len(values) < count:
        values.append(2 * t * values[-1] - values[-2])
    return values[:count]


def clenshaw(c, t):
    b1 = b2 = mpf(0)
    for ck in reversed(c[1:]):
        b1, b2 = ck + 2 * t * b1 - b2, b1
    return c[0] + t * b1 - b2


def golden_maximum(g, low, high, tolerance):
    """Maximum of g on [low, high] by golden-section search (g unimodal there)."""
    ratio = (mpmath.sqrt(5) - 1) / 2
    x1, x2 = high - ratio * (high - low), low + ratio * (high - low)
    g1, g2 = g(x1), g(x2)
    while high - low > tolerance:
        if g1 >= g2:
            high, x2, g2 = x2, x1, g1
            x1 = high - ratio * (high - low)
            g1 = g(x1)
        else:
            low, x1, g1 = x1, x2, g2
            x2 = low + ratio * (high - low)
            g2 = g(x2)
    return (x1, g1) if g1 >= g2 else (x2, g2)


def remez(f, w, n, interval):
    a, b = interval
    to_t = lambda x: (2 * x - a - b) / (b - a)
    to_x = lambda t: ((b - a) * t + a + b) / 2
    reference = [to_x(-mpmath.cos(mp.pi * j / (n + 1))) for j in range(n + 2)]
    grid = [to_x(-mpmath.cos(mp.pi * i / 3999)) for i in range(4000)]
    for iteration in range(1, 41):
        matrix = mpmath.matrix(n + 2, n + 2)
        rhs = mpmath.matrix(n + 2, 1)
        for j, x in enumerate(reference):
            for k, value in enumerate(chebyshev_values(to_t(x), n + 1)):
                matrix[j, k] = value
            matrix[j, n + 1] = (-1) ** j / w(x)
            rhs[j] = f(x)
        solution = mpmath.lu_solve(matrix, rhs)
        c = [solution[k] for k in range(n + 1)]
        error = lambda x: w(x) * (f(x) - clenshaw(c, to_t(x)))
        sampled = [error(x) for x in grid]
        points, values = [], []
        for i, v in enumerate(sampled):
            s = 1 if v > 0 else -1
            if (i > 0 and s * v < s * sampled[i - 1]) or (i < len(grid) - 1 and s * v < s * sampled[i + 1]):
                continue
            x, value = grid[i], v
            if 0 < i < len(grid) - 1:
                low, high = grid[i - 1], grid[i + 1]
                x, m = golden_maximum(lambda y: s * error(y), low, high, mpf(10) ** -30 * (high - low))
                value = s * m
            if values and (values[-1] > 0) == (value > 0):
                if abs(value) > abs(values[-1]):
                    points[-1], values[-1] = x, value
            else:
                points.append(x)
                values.append(value)
        while len(points) > n + 2:   # drop the smaller end
            if abs(values[0]) < abs(values[-1]):
                points, values = points[1:], values[1:]
            else:
                points, values = points[:-1], values[:-1]
        assert len(points) == n + 2, f"{len(points)} alternation points, need {n + 2}"
        upper = max(abs(v) for v in values)
        lower = min(abs(v) for v in values)
        if upper - lower <= mpf(10) ** -30 * upper:
            return c, lower, upper, iteration, error
        reference = points
    raise RuntimeError("Remez did not converge in 40 iterations")


def rounded_error(c, f, w, interval):
    """Max |w (f - p)| for p with its coefficients rounded to Double, evaluated exactly."""
    a, b = interval
    rounded = [mpf(float(ck)) for ck in c]
    error = lambda x: abs(w(x) * (f(x) - clenshaw(rounded, (2 * x - a - b) / (b - a))))
    grid = [(a + b) / 2 - (b - a) / 2 * mpmath.cos(mp.pi * i / 19999) for i in range(20000)]
    return max(error(x) for x in grid)


def main():
    for name, f, w, n, interval in CASES:
        c, lower, upper, iterations, _ = remez(f, w, n, interval)
        doubled = rounded_error(c, f, w, interval)
        print(f"{name:15s} n={n}  L={mpmath.nstr(lower, 25)}  U={mpmath.nstr(upper, 25)}  "
              f"iterations={iterations}  Double-coefficient excess={mpmath.nstr((doubled - upper) / upper, 3)}")


if __name__ == "__main__":
    main()
