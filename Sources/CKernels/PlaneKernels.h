// The phase-plane convolution kernels for one scalar type: included through Instantiate.h by
// PlaneKernels.c, once for float and once for double. See CKernels.h for what each computes
// and PhasePlanes.swift for the layout.
//
// Every kernel keeps POLYNET_PLANE_LANES-wide vectors (GCC vector extensions, which the compiler
// maps onto zmm, ymm or xmm registers in each clone) and blocks outputs and offsets so that
// each load feeds several multiply-adds into accumulators held in registers: on Zen 4
// a core loads one 64-byte vector per cycle and issues one 16-wide fused multiply-add, so a
// kernel with as many loads as multiply-adds runs at half speed at best. The block loops run
// to a bound that is a compile-time constant in each `switch` case, so the accumulators stay in
// registers. The block sizes were tuned on AVX-512 (32 registers); with 16 (AVX2, SSE) the
// weight gradient's 15 accumulators spill to the stack, which costs speed there but runs the
// same code path that the tests check on any machine.
// Sums run in the same order as the scalar definition (bias first, then r, or q, ascending).

typedef SCALAR NAME(Vector) __attribute__((vector_size(POLYNET_PLANE_LANES * sizeof(SCALAR))));

/// Outputs o0 ..< o0 + count of the convolution (pointers already offset to row o0): each
/// loaded run of the planes feeds `count` multiply-adds.
static inline __attribute__((always_inline)) void NAME(convolutionRows)(
    const SCALAR *planes, const long *offsets, long patchWidth, long wideCount, const SCALAR *weight,
    const SCALAR *bias, SCALAR *wide, const int count) {
    for (long q = 0; q < wideCount; q += POLYNET_PLANE_LANES) {
        NAME(Vector) total[POLYNET_OUTPUT_BLOCK];
        for (int j = 0; j < count; j++) total[j] = (NAME(Vector)){0} + bias[j];
        for (long r = 0; r < patchWidth; r++) {
            const NAME(Vector) x = POLYNET_LOAD(planes + offsets[r] + q);
            for (int j = 0; j < count; j++) total[j] += weight[j * patchWidth + r] * x;
        }
        for (int j = 0; j < count; j++) POLYNET_STORE(wide + j * wideCount + q, total[j]);
    }
}

POLYNET_CLONES
void NAME(polynet_plane_convolution)(const SCALAR *planes, const long *offsets, long patchWidth, long wideCount,
                                     const SCALAR *weight, const SCALAR *bias, long outputs, SCALAR *wide) {
    for (long o = 0; o < outputs; o += POLYNET_OUTPUT_BLOCK) {
        const long count = outputs - o < POLYNET_OUTPUT_BLOCK ? outputs - o : POLYNET_OUTPUT_BLOCK;
        const SCALAR *rows = weight + o * patchWidth;
        SCALAR *target = wide + o * wideCount;
        switch (count) {
#define POLYNET_CASE(n) case n: NAME(convolutionRows)(planes, offsets, patchWidth, wideCount, rows, bias + o, target, n); break;
            POLYNET_CASE(1) POLYNET_CASE(2) POLYNET_CASE(3) POLYNET_CASE(4) POLYNET_CASE(5) POLYNET_CASE(6)
#undef POLYNET_CASE
        }
    }
}

/// The weight gradient's partial sums for outputs o0 ..< o0 + count and offsets r0 ..< r0 + width
/// (pointers already offset: `gradient` to row o0, `offsets` to r0, `lanes` to (o0, r0)): per
/// step of q, count + width loads feed count × width multiply-adds.
static inline __attribute__((always_inline)) void NAME(weightGradientBlock)(
    const SCALAR *gradient, const SCALAR *planes, const long *offsets, long patchWidth, long wideCount,
    SCALAR *lanes, const int count, const int width) {
    NAME(Vector) total[POLYNET_GRADIENT_OUTPUTS][POLYNET_GRADIENT_OFFSETS];
    for (int j = 0; j < count; j++)
        for (int i = 0; i < width; i++) total[j][i] = POLYNET_LOAD(lanes + (j * patchWidth + i) * POLYNET_PLANE_LANES);
    for (long q = 0; q < wideCount; q += POLYNET_PLANE_LANES) {
        NAME(Vector) x[POLYNET_GRADIENT_OFFSETS];
        for (int i = 0; i < width; i++) x[i] = POLYNET_LOAD(planes + offsets[i] + q);
        for (int j = 0; j < count; j++) {
            const NAME(Vector) g = POLYNET_LOAD(gradient + j * wideCount + q);
            for (int i = 0; i < width; i++) total[j][i] += g * x[i];
        }
    }
    for (int j = 0; j < count; j++)
        for (int i = 0; i < width; i++) POLYNET_STORE(lanes + (j * patchWidth + i) * POLYNET_PLANE_LANES, total[j][i]);
}

POLYNET_CLONES
void NAME(polynet_plane_weight_gradient)(const SCALAR *gradient, const SCALAR *planes, const long *offsets, long patchWidth,
                                         long wideCount, long outputs, SCALAR *lanes) {
    for (long o = 0; o < outputs; o += POLYNET_GRADIENT_OUTPUTS) {
        const long count = outputs - o < POLYNET_GRADIENT_OUTPUTS ? outputs - o : POLYNET_GRADIENT_OUTPUTS;
        for (long r = 0; r < patchWidth; r += POLYNET_GRADIENT_OFFSETS) {
            const long width = patchWidth - r < POLYNET_GRADIENT_OFFSETS ? patchWidth - r : POLYNET_GRADIENT_OFFSETS;
            const SCALAR *rows = gradient + o * wideCount;
            SCALAR *target = lanes + (o * patchWidth + r) * POLYNET_PLANE_LANES;
            switch (count * 8 + width) {
#define POLYNET_CASE(n, m) case n * 8 + m: \
    NAME(weightGradientBlock)(rows, planes, offsets + r, patchWidth, wideCount, target, n, m); break;
#define POLYNET_CASES(n) POLYNET_CASE(n, 1) POLYNET_CASE(n, 2) POLYNET_CASE(n, 3)
                POLYNET_CASES(1) POLYNET_CASES(2) POLYNET_CASES(3) POLYNET_CASES(4) POLYNET_CASES(5)
#undef POLYNET_CASES
#undef POLYNET_CASE
            }
        }
    }
}

POLYNET_CLONES
void NAME(polynet_plane_input_gradient)(const SCALAR *gradient, const SCALAR *weight, const long *offsets, long patchWidth,
                                        long wideCount, long outputs, SCALAR *planeGradient, long count) {
    for (long i = 0; i < count; i++) planeGradient[i] = 0;
    for (long r = 0; r < patchWidth; r++) {
        SCALAR *run = planeGradient + offsets[r];
        for (long q = 0; q < wideCount; q += POLYNET_PLANE_LANES) {
            NAME(Vector) total = POLYNET_LOAD(run + q);
            for (long o = 0; o < outputs; o++) total += weight[o * patchWidth + r] * POLYNET_LOAD(gradient + o * wideCount + q);
            POLYNET_STORE(run + q, total);
        }
    }
}

/// Copies input columns x·stride + shift for x in [first, end) of `line` into `target`. Scalar:
/// a row holds about 15 values, and the vectorizer's gathers ran slower than plain moves.
static inline __attribute__((always_inline)) void NAME(gatherColumns)(SCALAR *target, const SCALAR *line, long first, long end,
                                                                      const long stride, long shift) {
#pragma clang loop vectorize(disable)
    for (long x = first; x < end; x++) target[x] = line[x * stride + shift];
}

POLYNET_CLONES
void NAME(polynet_plane_split)(const SCALAR *image, const PolynetPlaneLayout *layout, SCALAR *planes) {
    const PolynetPlaneLayout g = *layout;
    SCALAR *target = planes;
    for (long channel = 0; channel < g.channels; channel++)
        for (long a = 0; a < g.phases; a++)
            for (long b = 0; b < g.phases; b++) {
                const long first = g.columnRanges[2 * b], end = g.columnRanges[2 * b + 1], shift = b - g.padding;
                for (long y = 0; y < g.planeHeight; y++, target += g.planeWidth) {
                    if (y < g.rowRanges[2 * a] || y >= g.rowRanges[2 * a + 1]) {
                        for (long x = 0; x < g.planeWidth; x++) target[x] = 0;
                        continue;
                    }
                    const SCALAR *line = image + (channel * g.height + y * g.stride + a - g.padding) * g.width;
                    for (long x = 0; x < first; x++) target[x] = 0;
                    switch (g.stride) {
                        case 1: NAME(gatherColumns)(target, line, first, end, 1, shift); break;
                        case 2: NAME(gatherColumns)(target, line, first, end, 2, shift); break;
                        default: NAME(gatherColumns)(target, line, first, end, g.stride, shift); break;
                    }
                    for (long x = end; x < g.planeWidth; x++) target[x] = 0;
                }
            }
    for (SCALAR *last = planes + g.count; target < last; target++) *target = 0;
}

POLYNET_CLONES
void NAME(polynet_plane_merge)(const SCALAR *planes, const PolynetPlaneLayout *layout, SCALAR *image) {
    const PolynetPlaneLayout g = *layout;
    if (g.phases < g.stride)
        for (long i = 0; i < g.channels * g.height * g.width; i++) image[i] = 0;
    const SCALAR *row = planes;
    for (long channel = 0; channel < g.channels; channel++)
        for (long a = 0; a < g.phases; a++)
            for (long b = 0; b < g.phases; b++) {
                const long first = g.columnRanges[2 * b], end = g.columnRanges[2 * b + 1], shift = b - g.padding;
                for (long y = 0; y < g.planeHeight; y++, row += g.planeWidth) {
                    if (y < g.rowRanges[2 * a] || y >= g.rowRanges[2 * a + 1]) continue;
                    SCALAR *line = image + (channel * g.height + y * g.stride + a - g.padding) * g.width;
                    for (long x = first; x < end; x++) line[x * g.stride + shift] = row[x];
                }
            }
}
