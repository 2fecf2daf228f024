// The Adam update for one scalar type: included through Instantiate.h by AdamKernels.c, once
// for float and once for double. See CKernels.h.
//
// Floating-point contraction is off, so each operation rounds once as written and every clone
// (and the Swift reference in the tests) gives the same bits; the clones differ only in vector
// width. The square root's argument goes through `v < 0 ? 0 : v`, which never changes it (v is
// a sum of non-negative terms, or NaN, which passes unchanged) and lets the compiler use the
// vector square root without a libm call that would set errno.

POLYNET_CLONES
void NAME(polynet_adam_step)(SCALAR *restrict parameter, const SCALAR *restrict gradient, SCALAR *restrict first,
                             SCALAR *restrict second, long count, const NAME(PolynetAdamConstants) *constants) {
#pragma clang fp contract(off)
    const NAME(PolynetAdamConstants) c = *constants;
    const SCALAR keep1 = 1 - c.beta1, keep2 = 1 - c.beta2;
    for (long i = 0; i < count; i++) {
        const SCALAR g = gradient[i] + c.l2 * parameter[i];
        const SCALAR m = c.beta1 * first[i] + keep1 * g;
        const SCALAR v = c.beta2 * second[i] + keep2 * g * g;
        const SCALAR denominator = POLYNET_SQRT(v < 0 ? 0 : v) * c.inverseRootCorrection2 + c.epsilon;
        first[i] = m;
        second[i] = v;
        parameter[i] = parameter[i] * c.shrink - c.stepSize * m / denominator;
    }
}
