#!/usr/bin/env python3
"""Independent bounds on best weighted uniform polynomial errors for UnionMinimaxTests.

For each case (f, weight w, degree n, union of intervals) this computes, without any code from
PolyNet, an interval [L, U] that contains the best error E* = min_p max_union |w·(f − p)|:

1. p in the Chebyshev basis on the hull (only odd terms for sign, which is odd on a symmetric
   union: an odd f has an odd best approximation, so restricting to odd terms changes nothing).
2. A linear program (scipy's HiGHS): minimize E subject to |w_i·(f_i − p(x_i))| ≤ E on a finite
   set X. The optimum E_X is a lower bound on E* for any X (fewer constraints), so L = E_X.
   To make X fit the extrema, it starts as 4000 Chebyshev points per piece and, three times,
   gains the local maxima of |w·(f − p_X)| of the current solution (each bracketed on a
   20000-point grid per piece and refined by scipy's bounded Brent search).
3. U = the max of |w·(f − p_X)| over those refined maxima and a 200001-point grid per piece,
   with f evaluated in mpmath at 30 digits (any polynomial's max error bounds E* from above).
   U is a located maximum, so it is an upper bound up to the refinement accuracy (~1e-12·U).

The LP works on the residual after a least-squares fit, scaled to unit size, so HiGHS's
absolute tolerances (set to 1e-10) are relative to E*, not to max |f|.

The LP's data are Double values of w·(f − p), so its bracket is only as good as their rounding
relative to E*: fine for sign (E* ≥ 0.2), not for exp on [-8, 0] (E* ≈ 1.5e-10 against
|f| ≤ 1, where one unit in the last place is 7.6e-7 of E*; its bracket missed E* by 5e-7).
The smooth one-interval cases (exp, 1/sqrt(x)) are in remez_mpmath.py, in 50-digit arithmetic.

Prints one line per case: name, n, L, U, (U − L)/U. Run:
    python3 scripts/reference/union_minimax.py           # about a minute
    python3 scripts/reference/union_minimax.py --check   # also asserts U − L ≤ 1e-7·U
"""
import sys

import mpmath
import numpy as np
from numpy.polynomial import chebyshev as C
from scipy.optimize import linprog, minimize_scalar

mpmath.mp.dps = 30


def sign(x):
    return np.where(np.asarray(x) > 0, 1.0, -1.0)


def sign_mp(x):
    return mpmath.mpf(1) if x > 0 else mpmath.mpf(-1)


CASES = [
    # (name, f (NumPy), f (mpmath), weight, degree, pieces, odd terms only)
    ("sign", sign, sign_mp, lambda x: np.ones_like(x), 7, [(-1.0, -2.0**-6), (2.0**-6, 1.0)], True),
    ("sign", sign, sign_mp, lambda x: np.ones_like(x), 15, [(-1.0, -2.0**-6), (2.0**-6, 1.0)], True),
    ("sign", sign, sign_mp, lambda x: np.ones_like(x), 31, [(-1.0, -2.0**-6), (2.0**-6, 1.0)], True),
    ("sign", sign, sign_mp, lambda x: np.ones_like(x), 63, [(-1.0, -2.0**-6), (2.0**-6, 1.0)], True),
]


def chebyshev_grid(a, b, count):
    k = np.arange(count)
    return (a + b) / 2 - (b - a) / 2 * np.cos(np.pi * k / (count - 1))


def design(x, hull, degree, odd):
    t = (2 * x - hull[0] - hull[1]) / (hull[1] - hull[0])
    columns = [k for k in range(degree + 1) if (k % 2 == 1 or not odd)]
    return C.chebvander(t, degree)[:, columns], columns


def solve_lp(x, f, w, hull, degree, odd):
    A, columns = design(x, hull, degree, odd)
    # Residual after weighted least squares, scaled to unit size.
    base, *_ = np.linalg.lstsq(A * w[:, None], f * w, rcond=None)
    r = w * (f - A @ base)
    scale = np.max(np.abs(r))
    WA = A * w[:, None] / scale
    rs = r / scale
    m = A.shape[1]
    # variables: delta (m), E; minimize E; rs − WA·delta ≤ E, −(rs − WA·delta) ≤ E
    cost = np.zeros(m + 1)
    cost[-1] = 1
    ones = np.ones((len(x), 1))
    A_ub = np.vstack([np.hstack([-WA, -ones]), np.hstack([WA, -ones])])
    b_ub = np.concatenate([-rs, rs])
    bounds = [(None, None)] * m + [(0, None)]
    result = linprog(cost, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs",
                     options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    assert result.status == 0, result.message
    coefficients = base + result.x[:m]
    return result.x[-1] * scale, coefficients, columns


def local_maxima(error, pieces, count):
    points = []
    for a, b in pieces:
        grid = chebyshev_grid(a, b, count)
        values = np.abs(error(grid))
        for i in range(len(grid)):
            left = i == 0 or values[i] >= values[i - 1]
            right = i == len(grid) - 1 or values[i] >= values[i + 1]
            if left and right:
                lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
                best = minimize_scalar(lambda s: -abs(error(np.array([s]))[0]), bounds=(lo, hi),
                                       method="bounded", options={"xatol": 1e-14 * max(1.0, abs(hi))})
                points.extend([grid[i], best.x])
    return np.array(points)


def bounds(f, f_mp, weight, degree, pieces, odd):
    hull = (pieces[0][0], pieces[-1][1])
    x = np.concatenate([chebyshev_grid(a, b, 4000) for a, b in pieces])
    for _ in range(4):
        lower, coefficients, columns = solve_lp(x, f(x), weight(x), hull, degree, odd)
        full = np.zeros(degree + 1)
        full[columns] = coefficients

        def error(s, full=full):
            t = (2 * s - hull[0] - hull[1]) / (hull[1] - hull[0])
            return weight(s) * (f(s) - C.chebval(t, full))

        maxima = local_maxima(error, pieces, 20000)
        x = np.unique(np.concatenate([x, maxima]))
    # Upper bound: the last LP polynomial's max error, f in 30-digit mpmath.
    dense = np.concatenate([chebyshev_grid(a, b, 200001) for a, b in pieces] + [maxima])
    t = (2 * dense - hull[0] - hull[1]) / (hull[1] - hull[0])
    p = C.chebval(t, full)
    candidates = np.argsort(-np.abs(error(dense)))[:200]
    upper = max(float(abs(mpmath.mpf(weight(np.array([s]))[0]) * (f_mp(mpmath.mpf(s)) - mpmath.mpf(p[i]))))
                for i, s in ((i, dense[i]) for i in candidates))
    return lower, upper


def main():
    check = "--check" in sys.argv
    for name, f, f_mp, weight, degree, pieces, odd in CASES:
        lower, upper = bounds(f, f_mp, weight, degree, pieces, odd)
        gap = (upper - lower) / upper
        print(f"{name:15s} n={degree:3d}  L={lower:.15e}  U={upper:.15e}  gap={gap:.1e}")
        if check:
            assert gap <= 1e-7, f"{name} degree {degree}: bracket too wide ({gap})"


if __name__ == "__main__":
    main()
