// The learnable Hermite activation's passes for one scalar type: included through
// Instantiate.h by HermiteKernels.c, once for float and once for double. See CKernels.h.
//
// Each element runs the recurrence φ_k = (x·φ_{k−1} − φ_{k−2})/k on its own, so the passes go
// over POLYNET_PLANE_LANES elements at a time with k in the outer loop, which the compiler
// turns into vector instructions. Contraction is off: every element's value and input
// gradient round as written, the same bits on every build. The coefficient gradient sums each
// row's share of a coefficient set in lane partial sums (element i of the set's columns in lane
// i mod POLYNET_PLANE_LANES), adds the lanes in order, then the rows in order: one summation
// order on every build.

static inline __attribute__((always_inline)) void NAME(hermiteForwardTile)(const SCALAR *x, const SCALAR *c,
                                                                           long degree, const long n, SCALAR *y) {
#pragma clang fp contract(off)
    SCALAR previous[POLYNET_PLANE_LANES], current[POLYNET_PLANE_LANES], total[POLYNET_PLANE_LANES];
    for (long i = 0; i < n; i++) {
        previous[i] = 0;
        current[i] = 1;
        total[i] = c[0];
    }
    for (long k = 1; k <= degree; k++) {
        const SCALAR scale = (SCALAR)k, coefficient = c[k];
        for (long i = 0; i < n; i++) {
            const SCALAR next = (x[i] * current[i] - previous[i]) / scale;
            previous[i] = current[i];
            current[i] = next;
            total[i] += coefficient * next;
        }
    }
    for (long i = 0; i < n; i++) y[i] = total[i];
}

POLYNET_CLONES
void NAME(polynet_hermite_forward)(const SCALAR *restrict x, long rows, long columns,
                                   const SCALAR *restrict coefficients, long stride, long group, long degree,
                                   SCALAR *restrict y) {
    const long sets = columns / group;
    for (long row = 0; row < rows; row++)
        for (long set = 0; set < sets; set++) {
            const SCALAR *c = coefficients + set * stride;
            const long begin = row * columns + set * group, end = begin + group;
            long i = begin;
            for (; i + POLYNET_PLANE_LANES <= end; i += POLYNET_PLANE_LANES)
                NAME(hermiteForwardTile)(x + i, c, degree, POLYNET_PLANE_LANES, y + i);
            if (i < end) NAME(hermiteForwardTile)(x + i, c, degree, end - i, y + i);
        }
}

static inline __attribute__((always_inline)) void NAME(hermiteBackwardTile)(const SCALAR *dy, const SCALAR *x,
                                                                            const SCALAR *c, long degree, const long n,
                                                                            SCALAR *partial, SCALAR *dx) {
#pragma clang fp contract(off)
    SCALAR previous[POLYNET_PLANE_LANES], current[POLYNET_PLANE_LANES], slope[POLYNET_PLANE_LANES];
    for (long i = 0; i < n; i++) {
        previous[i] = 0;
        current[i] = 1;
        slope[i] = 0;
        partial[i] += dy[i];
    }
    for (long k = 1; k <= degree; k++) {
        const SCALAR scale = (SCALAR)k, coefficient = c[k];
        SCALAR *lanes = partial + k * POLYNET_PLANE_LANES;
        for (long i = 0; i < n; i++) {
            slope[i] += coefficient * current[i];
            const SCALAR next = (x[i] * current[i] - previous[i]) / scale;
            previous[i] = current[i];
            current[i] = next;
            lanes[i] += dy[i] * next;
        }
    }
    for (long i = 0; i < n; i++) dx[i] = dy[i] * slope[i];
}

POLYNET_CLONES
void NAME(polynet_hermite_backward)(const SCALAR *restrict dy, const SCALAR *restrict x, long rows, long columns,
                                    const SCALAR *restrict coefficients, long stride, long group, long degree,
                                    SCALAR *restrict coefficientGradient, SCALAR *restrict partial,
                                    SCALAR *restrict dx) {
#pragma clang fp contract(off)
    const long sets = columns / group, used = group < POLYNET_PLANE_LANES ? group : POLYNET_PLANE_LANES;
    for (long row = 0; row < rows; row++)
        for (long set = 0; set < sets; set++) {
            const SCALAR *c = coefficients + set * stride;
            const long begin = row * columns + set * group, end = begin + group;
            for (long k = 0; k <= degree; k++)
                for (long l = 0; l < used; l++) partial[k * POLYNET_PLANE_LANES + l] = 0;
            long i = begin;
            for (; i + POLYNET_PLANE_LANES <= end; i += POLYNET_PLANE_LANES)
                NAME(hermiteBackwardTile)(dy + i, x + i, c, degree, POLYNET_PLANE_LANES, partial, dx + i);
            if (i < end) NAME(hermiteBackwardTile)(dy + i, x + i, c, degree, end - i, partial, dx + i);
            SCALAR *dc = coefficientGradient + set * stride;
            for (long k = 0; k <= degree; k++) {
                SCALAR total = 0;
                for (long l = 0; l < used; l++) total += partial[k * POLYNET_PLANE_LANES + l];
                dc[k] += total;
            }
        }
}
