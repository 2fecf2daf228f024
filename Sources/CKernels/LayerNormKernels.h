// Layer normalization for one scalar type: included through Instantiate.h by
// LayerNormKernels.c, once for float and once for double. See CKernels.h.
//
// Each row's mean and variance are sums in column order, one rounding per operation as written
// (contraction off), so every build gives the same bits. Written one row at a time, each sum
// is a chain of dependent additions; here POLYNET_PLANE_LANES rows advance together, so the
// chains overlap (the row loops stay scalar: the columns of 16 rows are 16 strided loads,
// which vector gathers do more slowly), and the per-element loops run along the row in vectors.

static inline __attribute__((always_inline)) void NAME(layerNormForwardRows)(
    const SCALAR *x, SCALAR *xHat, SCALAR *inverse, SCALAR *y, const SCALAR *gamma, const SCALAR *beta, long width,
    SCALAR epsilon, const long n) {
#pragma clang fp contract(off)
    SCALAR mean[POLYNET_PLANE_LANES], squares[POLYNET_PLANE_LANES];
#pragma clang loop vectorize(disable)
    for (long l = 0; l < n; l++) mean[l] = 0;
    for (long j = 0; j < width; j++)
#pragma clang loop vectorize(disable)
        for (long l = 0; l < n; l++) mean[l] += x[l * width + j];
#pragma clang loop vectorize(disable)
    for (long l = 0; l < n; l++) {
        mean[l] = mean[l] / (SCALAR)width;
        squares[l] = 0;
    }
    for (long j = 0; j < width; j++)
#pragma clang loop vectorize(disable)
        for (long l = 0; l < n; l++) {
            const SCALAR centered = x[l * width + j] - mean[l];
            squares[l] += centered * centered;
        }
    for (long l = 0; l < n; l++) {
        const SCALAR scale = 1 / POLYNET_SQRT(squares[l] / (SCALAR)width + epsilon);
        inverse[l] = scale;
        const SCALAR *row = x + l * width;
        SCALAR *normal = xHat + l * width, *out = y + l * width;
        for (long j = 0; j < width; j++) {
            const SCALAR value = (row[j] - mean[l]) * scale;
            normal[j] = value;
            out[j] = value * gamma[j] + beta[j];
        }
    }
}

POLYNET_CLONES
void NAME(polynet_layer_norm_forward)(const SCALAR *restrict x, SCALAR *restrict xHat, SCALAR *restrict inverse,
                                      SCALAR *restrict y, const SCALAR *restrict gamma, const SCALAR *restrict beta,
                                      long rows, long width, SCALAR epsilon) {
    long r = 0;
    for (; r + POLYNET_PLANE_LANES <= rows; r += POLYNET_PLANE_LANES)
        NAME(layerNormForwardRows)(x + r * width, xHat + r * width, inverse + r, y + r * width, gamma, beta, width,
                                   epsilon, POLYNET_PLANE_LANES);
    if (r < rows)
        NAME(layerNormForwardRows)(x + r * width, xHat + r * width, inverse + r, y + r * width, gamma, beta, width,
                                   epsilon, rows - r);
}

static inline __attribute__((always_inline)) void NAME(layerNormBackwardRows)(
    const SCALAR *dy, const SCALAR *xHat, const SCALAR *inverse, const SCALAR *gamma, SCALAR *dGamma, SCALAR *dBeta,
    SCALAR *dx, long width, const long n) {
#pragma clang fp contract(off)
    SCALAR meanGradient[POLYNET_PLANE_LANES], meanProjection[POLYNET_PLANE_LANES];
    for (long l = 0; l < n; l++) {
        const SCALAR *g = dy + l * width, *normal = xHat + l * width;
        for (long j = 0; j < width; j++) {
            dGamma[j] += g[j] * normal[j];
            dBeta[j] += g[j];
        }
    }
    if (!dx) return;
#pragma clang loop vectorize(disable)
    for (long l = 0; l < n; l++) meanGradient[l] = meanProjection[l] = 0;
    for (long j = 0; j < width; j++)
#pragma clang loop vectorize(disable)
        for (long l = 0; l < n; l++) {
            const SCALAR dxHat = dy[l * width + j] * gamma[j];
            meanGradient[l] += dxHat;
            meanProjection[l] += dxHat * xHat[l * width + j];
        }
    for (long l = 0; l < n; l++) {
        const SCALAR mg = meanGradient[l] / (SCALAR)width, mp = meanProjection[l] / (SCALAR)width;
        const SCALAR *g = dy + l * width, *normal = xHat + l * width;
        SCALAR *out = dx + l * width;
        for (long j = 0; j < width; j++) out[j] = inverse[l] * (g[j] * gamma[j] - mg - normal[j] * mp);
    }
}

POLYNET_CLONES
void NAME(polynet_layer_norm_backward)(const SCALAR *restrict dy, const SCALAR *restrict xHat,
                                       const SCALAR *restrict inverse, const SCALAR *restrict gamma,
                                       SCALAR *restrict dGamma, SCALAR *restrict dBeta, SCALAR *restrict dx, long rows,
                                       long width) {
    long r = 0;
    for (; r + POLYNET_PLANE_LANES <= rows; r += POLYNET_PLANE_LANES)
        NAME(layerNormBackwardRows)(dy + r * width, xHat + r * width, inverse + r, gamma, dGamma, dBeta,
                                    dx ? dx + r * width : 0, width, POLYNET_PLANE_LANES);
    if (r < rows)
        NAME(layerNormBackwardRows)(dy + r * width, xHat + r * width, inverse + r, gamma, dGamma, dBeta,
                                    dx ? dx + r * width : 0, width, rows - r);
}
