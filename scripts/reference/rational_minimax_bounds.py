#!/usr/bin/env python3
"""Independent bounds on best rational approximation errors for RationalMinimaxTests.

For each case (f, type (n, n), interval) this computes, without any code from PolyNet:

1. A near-best rational r_d = p/q on a fine grid by the Cheney–Loeb differential correction
   algorithm (one linear program per step, scipy's HiGHS):
       minimize z  subject to  |f_i·q_i − p_i| − δ_k·q_i ≤ z·q_k(x_i),  |b_j| ≤ 1,
   with p, q in the Chebyshev basis on the interval and δ_k the grid error of the current r_k.
2. An upper bound U = max |f − r_d| over 2·10⁶ + 1 points of the interval plus the kinks
   (any rational's max error bounds the best one from above; the dense sample misses the true
   maximum by at most E·(ω·h)²/2 with h = width/2e6, far below the printed digits here).
3. A lower bound L (de la Vallée-Poussin): min |f − r_d| over n + n + 2 points where the error
   of r_d alternates in sign (one largest |e| per sign run of the dense sample, reduced to
   n + n + 2 alternating points by dropping the smallest). Any approximation of this type has
   max error ≥ L when its denominator has no zero on the interval.

So E* ∈ [L, U]. Run: python3 scripts/reference/rational_minimax_bounds.py (about a minute).
"""
import numpy as np
from numpy.polynomial import chebyshev as C
from scipy.optimize import linprog
from scipy.special import erfc


def gelu(x):
    return x * 0.5 * erfc(-x / np.sqrt(2.0))


CASES = [
    ("exp", np.exp, 2, (-1.0, 1.0), []),
    ("abs", np.abs, 2, (-1.0, 1.0), [0.0]),
    ("abs", np.abs, 4, (-1.0, 1.0), [0.0]),
    ("gelu", gelu, 4, (-4.0, 4.0), []),
    ("gelu", gelu, 8, (-8.0, 8.0), []),
]


def grid(interval, kinks, count=4000):
    a, b = interval
    t = -np.cos(np.pi * np.arange(count + 1) / count)
    points = [t]
    for kink in kinks:
        s = (2 * kink - a - b) / (b - a)
        distances = 2.0 ** -np.arange(1, 41)
        points += [s - distances, s + distances, np.array([s])]
    t = np.unique(np.clip(np.concatenate(points), -1, 1))
    return t


def evaluate(p, q, t):
    return C.chebval(t, p) / C.chebval(t, q)


def differential_correction(f, n, interval, kinks, steps=60):
    a, b = interval
    t = grid(interval, kinks)
    x = (t * (b - a) + a + b) / 2
    fx = f(x)
    T = C.chebvander(t, n)               # columns T_0..T_n
    p = np.zeros(n + 1)
    q = np.zeros(n + 1); q[0] = 1.0
    # Start from the polynomial least-squares fit of degree n (q = 1).
    p = np.linalg.lstsq(T, fx, rcond=None)[0]
    delta = np.max(np.abs(fx - T @ p))
    for _ in range(steps):
        qk = T @ q
        # Variables: p (n+1), q (n+1), z.  Constraints:
        #  (f·q − p) − δ·q − z·qk ≤ 0  and  −(f·q − p) − δ·q − z·qk ≤ 0.
        Fq = fx[:, None] * T
        upper = np.hstack([-T, Fq - delta * T, -qk[:, None]])
        lower = np.hstack([T, -Fq - delta * T, -qk[:, None]])
        A = np.vstack([upper, lower])
        rhs = np.zeros(A.shape[0])
        cost = np.zeros(2 * n + 3); cost[-1] = 1
        bounds = [(None, None)] * (n + 1) + [(-1, 1)] * (n + 1) + [(None, None)]
        result = linprog(cost, A_ub=A, b_ub=rhs, bounds=bounds, method="highs",
                         options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
        if not result.success or result.x[-1] >= -1e-15:
            break
        pn, qn = result.x[: n + 1], result.x[n + 1 : 2 * n + 2]
        if np.min(T @ qn) <= 0:
            break
        new_delta = np.max(np.abs(fx - (T @ pn) / (T @ qn)))
        if new_delta >= delta:
            break
        p, q, delta = pn, qn, new_delta
    return p, q


def bounds(f, n, interval, kinks, p, q):
    a, b = interval
    count = 2_000_000
    t = np.unique(np.concatenate([np.linspace(-1, 1, count + 1),
                                  [(2 * k - a - b) / (b - a) for k in kinks]]))
    x = (t * (b - a) + a + b) / 2
    assert np.min(C.chebval(t, q)) > 0, "the reference rational has a pole on the interval"
    e = f(x) - evaluate(p, q, t)
    upper = np.max(np.abs(e))
    # One largest |e| per run of constant sign, then reduce to 2n + 2 alternating points.
    runs = []
    for value in e:
        if value == 0:
            continue
        sign = value > 0
        if runs and runs[-1][0] == sign:
            runs[-1][1] = max(runs[-1][1], abs(value))
        else:
            runs.append([sign, abs(value)])
    values = [r[1] for r in runs]
    count = 2 * n + 2
    while len(values) > count:
        i = int(np.argmin(values))
        if i == 0 or i == len(values) - 1:
            del values[i]
        elif len(values) - count == 1:
            del values[0 if values[0] < values[-1] else -1]
        else:
            j = i - 1 if values[i - 1] < values[i + 1] else i + 1
            for k in sorted([i, j], reverse=True):
                del values[k]
    lower = min(values) if len(values) == count else 0.0
    return lower, upper


if __name__ == "__main__":
    for name, f, n, interval, kinks in CASES:
        p, q = differential_correction(f, n, interval, kinks)
        lower, upper = bounds(f, n, interval, kinks, p, q)
        print(f"{name} ({n}, {n}) on {interval}: L = {lower:.12e}, U = {upper:.12e}, (U − L)/U = {(upper - lower) / upper:.1e}")
