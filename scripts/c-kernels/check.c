// Compares PolyNet's C kernels, built for one instruction set (see check-c-kernels.sh), with
// plain loops that follow the definitions in Sources/CKernels/include/CKernels.h.
// The sparse-input kernels are checked for equal bits against sums in their definitions' order
// (in `sparse_reference`, where contraction is off as in the kernels).
//
// Tolerance: every result is a sum of at most n = 200 products of factors in [−1, 1], so any
// two summation orders, with or without fused multiply-adds, agree within 2·n·u·Σ|terms| ≤
// 2·n²·u (u = 2⁻²⁴ for float), far below a misplaced term (≥ 1e-3 here). Adam, the Hermite
// activation and layer normalization are checked for equal bits: contraction is off there, and
// the reference follows the kernels' summation order (for layer normalization, the
// row-at-a-time loops).
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CKernels.h"

static unsigned long long state = 88172645463325252ULL;
static float uniform(void) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return (float)((double)(state >> 11) / 9007199254740992.0 * 2 - 1);
}

static int failures = 0;
static void expect_close(const char *what, const float *a, const float *b, long count, double tolerance) {
    for (long i = 0; i < count; i++)
        if (!(fabs((double)a[i] - b[i]) <= tolerance)) {
            printf("FAIL %s[%ld]: %.9g vs %.9g\n", what, i, a[i], b[i]);
            failures++;
            return;
        }
}

/// The sparse-input products by their definitions: output = x·weightᵀ summing the nonzero
/// entries of each row in column order from 0, and gradient[n][j] += the nonzero entries of
/// column j times the output gradient, in row order, as one sum starting from the old value.
static void sparse_reference(const float *x, long rows, long columns, const float *weight, long outputs,
                             const float *outputGradient, float *output, float *gradient) {
#pragma clang fp contract(off)
    for (long r = 0; r < rows; r++)
        for (long n = 0; n < outputs; n++) {
            float sum = 0;
            for (long j = 0; j < columns; j++)
                if (x[r * columns + j] != 0) sum += x[r * columns + j] * weight[n * columns + j];
            output[r * outputs + n] = sum;
        }
    for (long j = 0; j < columns; j++)
        for (long n = 0; n < outputs; n++) {
            float sum = gradient[n * columns + j];
            for (long r = 0; r < rows; r++)
                if (x[r * columns + j] != 0) sum += x[r * columns + j] * outputGradient[r * outputs + n];
            gradient[n * columns + j] = sum;
        }
}

int main(void) {
    const double tolerance = 2.0 * 200 * 200 * ldexp(1, -24);
    // Phase-plane kernels on a made-up layout: 13 outputs, 27 offsets, a 6-vector wide grid.
    enum { outputs = 13, patch = 27, wide = 6 * POLYNET_PLANE_LANES, count = 400 };
    long offsets[patch];
    for (long r = 0; r < patch; r++) offsets[r] = (r * 37) % (count - wide);
    static float planes[count], weight[outputs * patch], bias[outputs], gradient[outputs * wide];
    for (long i = 0; i < count; i++) planes[i] = uniform();
    for (long i = 0; i < outputs * patch; i++) weight[i] = uniform();
    for (long i = 0; i < outputs; i++) bias[i] = uniform();
    for (long i = 0; i < outputs * wide; i++) gradient[i] = uniform();

    static float y[outputs * wide], yRef[outputs * wide];
    polynet_plane_convolution_f(planes, offsets, patch, wide, weight, bias, outputs, y);
    for (long o = 0; o < outputs; o++)
        for (long q = 0; q < wide; q++) {
            float total = bias[o];
            for (long r = 0; r < patch; r++) total += weight[o * patch + r] * planes[offsets[r] + q];
            yRef[o * wide + q] = total;
        }
    expect_close("convolution", y, yRef, outputs * wide, tolerance);

    static float lanes[outputs * patch * POLYNET_PLANE_LANES], dW[outputs * patch], dWRef[outputs * patch];
    polynet_plane_weight_gradient_f(gradient, planes, offsets, patch, wide, outputs, lanes);
    for (long i = 0; i < outputs * patch; i++) {
        float total = 0;
        for (long l = 0; l < POLYNET_PLANE_LANES; l++) total += lanes[i * POLYNET_PLANE_LANES + l];
        dW[i] = total;
    }
    for (long o = 0; o < outputs; o++)
        for (long r = 0; r < patch; r++) {
            float total = 0;
            for (long q = 0; q < wide; q++) total += gradient[o * wide + q] * planes[offsets[r] + q];
            dWRef[o * patch + r] = total;
        }
    expect_close("weight gradient", dW, dWRef, outputs * patch, tolerance);

    static float dP[count], dPRef[count];
    polynet_plane_input_gradient_f(gradient, weight, offsets, patch, wide, outputs, dP, count);
    memset(dPRef, 0, sizeof dPRef);
    for (long r = 0; r < patch; r++)
        for (long q = 0; q < wide; q++)
            for (long o = 0; o < outputs; o++) dPRef[offsets[r] + q] += weight[o * patch + r] * gradient[o * wide + q];
    expect_close("input gradient", dP, dPRef, count, tolerance);

    // Split and merge: one 2-channel 9×7 image, stride 2, padding 1, 2 phases, planes 5×5.
    // Plane rows y with 2y + a − 1 in [0, 9): [1, 5) for a = 0, [0, 5) for a = 1; columns x with
    // 2x + b − 1 in [0, 7): [1, 4) for b = 0, [0, 4) for b = 1.
    const long rowRanges[] = {1, 5, 0, 5}, columnRanges[] = {1, 4, 0, 4};
    PolynetPlaneLayout layout = {2, 9, 7, 2, 1, 2, 5, 5, 2 * 4 * 25 + 7, rowRanges, columnRanges};
    static float image[2 * 9 * 7], split[2 * 4 * 25 + 7], splitRef[2 * 4 * 25 + 7], merged[2 * 9 * 7];
    for (long i = 0; i < 2 * 9 * 7; i++) image[i] = uniform();
    for (long i = 0; i < layout.count; i++) split[i] = 7;
    polynet_plane_split_f(image, &layout, split);
    memset(splitRef, 0, sizeof splitRef);
    for (long c = 0; c < 2; c++)
        for (long a = 0; a < 2; a++)
            for (long b = 0; b < 2; b++)
                for (long yy = 0; yy < 5; yy++)
                    for (long x = 0; x < 5; x++) {
                        const long row = yy * 2 + a - 1, column = x * 2 + b - 1;
                        if (row >= 0 && row < 9 && column >= 0 && column < 7)
                            splitRef[(((c * 2 + a) * 2 + b) * 5 + yy) * 5 + x] = image[(c * 9 + row) * 7 + column];
                    }
    expect_close("split", split, splitRef, layout.count, 0);
    polynet_plane_merge_f(split, &layout, merged);
    expect_close("merge of split", merged, image, 2 * 9 * 7, 0);

    // Polynomial weight packing and its adjoint, degree 3, 20 inputs (one full 16-lane block).
    enum { outs = 3, ins = 20, degree = 3 };
    static float w[outs * ins * (degree + 1)], packed[outs * ins * degree], packedBias[outs];
    for (long i = 0; i < outs * ins * (degree + 1); i++) w[i] = uniform();
    polynet_pack_polynomial_weight_f(w, outs, ins, degree, packed, packedBias);
    for (long j = 0; j < outs; j++) {
        float constant = 0;
        for (long i = 0; i < ins; i++) {
            constant += w[(j * ins + i) * (degree + 1)];
            for (long k = 1; k <= degree; k++)
                expect_close("packed", &packed[j * ins * degree + (k - 1) * ins + i], &w[(j * ins + i) * (degree + 1) + k], 1, 0);
        }
        expect_close("packed constant", &packedBias[j], &constant, 1, tolerance);
    }
    static float g[outs * ins * (degree + 1)], gRef[outs * ins * (degree + 1)];
    const float constants[outs] = {0.5f, -0.25f, 1};
    polynet_accumulate_polynomial_gradient_f(packed, constants, outs, ins, degree, g);
    for (long j = 0; j < outs; j++)
        for (long i = 0; i < ins; i++)
            for (long k = 0; k <= degree; k++)
                gRef[(j * ins + i) * (degree + 1) + k] = k == 0 ? constants[j] : packed[j * ins * degree + (k - 1) * ins + i];
    expect_close("accumulated gradient", g, gRef, outs * ins * (degree + 1), 0);

    // Adam: equal bits to the scalar definition.
    enum { n = 1000 };
    static float p[n], grad[n], m[n], v[n], pRef[n], mRef[n], vRef[n];
    for (long i = 0; i < n; i++) {
        pRef[i] = p[i] = uniform(); grad[i] = uniform();
        mRef[i] = m[i] = uniform() * 0.1f; vRef[i] = v[i] = fabsf(uniform()) * 0.01f;
    }
    const PolynetAdamConstants_f c = {0.9f, 0.999f, 1e-8f, 1e-3f / 0.1f, 1 / sqrtf(0.001f), 0.01f, 1};
    polynet_adam_step_f(p, grad, m, v, n, &c);
    for (long i = 0; i < n; i++) {
        // Every product in a volatile, so that this reference rounds it even where the compiler
        // would fuse it into the following addition.
        volatile float decay = c.l2 * pRef[i];
        const float gi = grad[i] + decay;
        volatile float m1 = c.beta1 * mRef[i], m2 = (1 - c.beta1) * gi;
        const float mi = m1 + m2;
        volatile float v1 = c.beta2 * vRef[i], v2 = (1 - c.beta2) * gi;
        volatile float v3 = v2 * gi;
        const float vi = v1 + v3;
        volatile float scaled = sqrtf(vi) * c.inverseRootCorrection2;
        const float denominator = scaled + c.epsilon;
        volatile float step = c.stepSize * mi;
        volatile float shrunk = pRef[i] * c.shrink;
        pRef[i] = shrunk - step / denominator; mRef[i] = mi; vRef[i] = vi;
    }
    expect_close("adam parameter", p, pRef, n, 0);
    expect_close("adam first moment", m, mRef, n, 0);
    expect_close("adam second moment", v, vRef, n, 0);

    // Hermite activation: equal bits for y and dx (contraction off, one element at a time), and
    // the coefficient gradient summed in the kernel's order (lanes, then rows). Two sets of 37
    // columns: two whole tiles and a remainder of 5 per row and set.
    enum { hRows = 3, hGroup = 37, hSets = 2, hColumns = hGroup * hSets, hDegree = 4, hStride = hDegree + 1 };
    static float hx[hRows * hColumns], hdy[hRows * hColumns], hc[hSets * hStride], hy[hRows * hColumns],
        hyRef[hRows * hColumns], hdx[hRows * hColumns], hdxRef[hRows * hColumns], hdc[hSets * hStride],
        hdcRef[hSets * hStride], hPartial[hStride * POLYNET_PLANE_LANES];
    for (long i = 0; i < hRows * hColumns; i++) { hx[i] = 3 * uniform(); hdy[i] = uniform(); }
    for (long i = 0; i < hSets * hStride; i++) { hc[i] = uniform(); hdc[i] = hdcRef[i] = uniform(); }
    polynet_hermite_forward_f(hx, hRows, hColumns, hc, hStride, hGroup, hDegree, hy);
    polynet_hermite_backward_f(hdy, hx, hRows, hColumns, hc, hStride, hGroup, hDegree, hdc, hPartial, hdx);
    for (long row = 0; row < hRows; row++)
        for (long set = 0; set < hSets; set++) {
            const float *c = hc + set * hStride;
            float lanes[hStride][POLYNET_PLANE_LANES] = {{0}};
            for (long column = 0; column < hGroup; column++) {
                const long i = row * hColumns + set * hGroup + column, lane = column % POLYNET_PLANE_LANES;
                float previous = 0, current = 1, total = c[0], slope = 0;
                lanes[0][lane] += hdy[i];
                for (long k = 1; k <= hDegree; k++) {
                    volatile float slopeTerm = c[k] * current;
                    slope += slopeTerm;
                    volatile float product = hx[i] * current;
                    const float next = (product - previous) / (float)k;
                    previous = current; current = next;
                    volatile float term = c[k] * next, gradientTerm = hdy[i] * next;
                    total += term;
                    lanes[k][lane] += gradientTerm;
                }
                hyRef[i] = total;
                hdxRef[i] = hdy[i] * slope;
            }
            for (long k = 0; k <= hDegree; k++) {
                float total = 0;
                for (long lane = 0; lane < POLYNET_PLANE_LANES; lane++) total += lanes[k][lane];
                hdcRef[set * hStride + k] += total;
            }
        }
    expect_close("hermite forward", hy, hyRef, hRows * hColumns, 0);
    expect_close("hermite input gradient", hdx, hdxRef, hRows * hColumns, 0);
    expect_close("hermite coefficient gradient", hdc, hdcRef, hSets * hStride, 0);

    // Layer normalization: equal bits to the row-at-a-time definition (the Swift loops it
    // replaced), on 37 rows (two blocks of 16 and a remainder) of 23 columns.
    enum { nRows = 37, nWidth = 23 };
    static float nx[nRows * nWidth], nHat[nRows * nWidth], nHatRef[nRows * nWidth], nInverse[nRows],
        nInverseRef[nRows], ny[nRows * nWidth], nyRef[nRows * nWidth], nGamma[nWidth], nBeta[nWidth],
        ndy[nRows * nWidth], ndx[nRows * nWidth], ndxRef[nRows * nWidth], ndGamma[nWidth], ndGammaRef[nWidth],
        ndBeta[nWidth], ndBetaRef[nWidth];
    for (long i = 0; i < nRows * nWidth; i++) { nx[i] = 2 * uniform(); ndy[i] = uniform(); }
    for (long j = 0; j < nWidth; j++) {
        nGamma[j] = 1 + uniform() / 2; nBeta[j] = uniform();
        ndGamma[j] = ndGammaRef[j] = uniform(); ndBeta[j] = ndBetaRef[j] = uniform();
    }
    polynet_layer_norm_forward_f(nx, nHat, nInverse, ny, nGamma, nBeta, nRows, nWidth, 1e-5f);
    polynet_layer_norm_backward_f(ndy, nHat, nInverse, nGamma, ndGamma, ndBeta, ndx, nRows, nWidth);
    for (long r = 0; r < nRows; r++) {
        const float *row = nx + r * nWidth;
        float sum = 0, squares = 0;
        for (long j = 0; j < nWidth; j++) sum += row[j];
        const float mean = sum / nWidth;
        for (long j = 0; j < nWidth; j++) {
            volatile float square = (row[j] - mean) * (row[j] - mean);
            squares += square;
        }
        const float scale = 1 / sqrtf(squares / nWidth + 1e-5f);
        nInverseRef[r] = scale;
        for (long j = 0; j < nWidth; j++) {
            volatile float value = (row[j] - mean) * scale, scaled = value * nGamma[j];
            nHatRef[r * nWidth + j] = value;
            nyRef[r * nWidth + j] = scaled + nBeta[j];
        }
    }
    for (long r = 0; r < nRows; r++) {
        float meanGradient = 0, meanProjection = 0;
        for (long j = 0; j < nWidth; j++) {
            const float g = ndy[r * nWidth + j], normal = nHatRef[r * nWidth + j];
            volatile float gammaTerm = g * normal, dxHat = g * nGamma[j];
            ndGammaRef[j] += gammaTerm;
            ndBetaRef[j] += g;
            meanGradient += dxHat;
            volatile float projection = dxHat * normal;
            meanProjection += projection;
        }
        meanGradient /= nWidth;
        meanProjection /= nWidth;
        for (long j = 0; j < nWidth; j++) {
            volatile float dxHat = ndy[r * nWidth + j] * nGamma[j], projection = nHatRef[r * nWidth + j] * meanProjection;
            ndxRef[r * nWidth + j] = nInverseRef[r] * (dxHat - meanGradient - projection);
        }
    }
    expect_close("layer norm inverse deviations", nInverse, nInverseRef, nRows, 0);
    expect_close("layer norm normalized", nHat, nHatRef, nRows * nWidth, 0);
    expect_close("layer norm output", ny, nyRef, nRows * nWidth, 0);
    expect_close("layer norm input gradient", ndx, ndxRef, nRows * nWidth, 0);
    expect_close("layer norm gamma gradient", ndGamma, ndGammaRef, nWidth, 0);
    expect_close("layer norm beta gradient", ndBeta, ndBetaRef, nWidth, 0);

    // Pixels as bytes: each byte k gathers as k/255 with the bits of the division written out
    // (float and double), rows in the order given (repeated, past the prefetch distance, the
    // buffer's last row), and the encoder gives the bytes back from those values and refuses a
    // value one ulp off, −0, NaN or values outside [0, 1], also in its second block of 4096.
    enum { pixelRows = 9, pixelWidth = 300, gatheredRows = 8, encoded = 5000 };
    static unsigned char pixelBytes[pixelRows * pixelWidth], back[encoded];
    for (long i = 0; i < pixelRows * pixelWidth; i++) pixelBytes[i] = (unsigned char)(i * 7 % 256);  // every byte
    const long order[gatheredRows] = {8, 0, 3, 3, 7, 1, 8, 2};
    static float gathered[gatheredRows * pixelWidth], gatheredRef[gatheredRows * pixelWidth];
    static double gatheredD[gatheredRows * pixelWidth], gatheredRefD[gatheredRows * pixelWidth];
    polynet_gather_scaled_bytes_f(pixelBytes, pixelWidth, order, gatheredRows, gathered);
    polynet_gather_scaled_bytes_d(pixelBytes, pixelWidth, order, gatheredRows, gatheredD);
    for (long r = 0; r < gatheredRows; r++)
        for (long k = 0; k < pixelWidth; k++) {
            gatheredRef[r * pixelWidth + k] = (float)pixelBytes[order[r] * pixelWidth + k] / 255.0f;
            gatheredRefD[r * pixelWidth + k] = (double)pixelBytes[order[r] * pixelWidth + k] / 255.0;
        }
    if (memcmp(gathered, gatheredRef, sizeof gathered) != 0 || memcmp(gatheredD, gatheredRefD, sizeof gatheredD) != 0) {
        printf("FAIL gathered bytes differ from k/255\n");
        failures++;
    }
    static float values[encoded];
    for (long i = 0; i < encoded; i++) values[i] = (float)(i % 256) / 255.0f;
    if (!polynet_scaled_bytes_f(values, encoded, back)) {
        printf("FAIL exact values k/255 refused as bytes\n");
        failures++;
    }
    for (long i = 0; i < encoded; i++)
        if (back[i] != i % 256) {
            printf("FAIL byte %ld: %d, not %ld\n", i, back[i], i % 256);
            failures++;
            break;
        }
    static double valuesD[encoded];
    for (long i = 0; i < encoded; i++) valuesD[i] = (double)(i % 256) / 255.0;
    if (!polynet_scaled_bytes_d(valuesD, encoded, back)) {
        printf("FAIL exact doubles k/255 refused as bytes\n");
        failures++;
    }
    const float refused[] = {nextafterf(37 / 255.0f, 1), nextafterf(37 / 255.0f, 0), -0.0f, NAN, 1.5f, -1 / 255.0f, INFINITY};
    for (unsigned long b = 0; b < sizeof refused / sizeof refused[0]; b++)
        for (long position = 17; position < encoded; position += 4500) {
            const float kept = values[position];
            values[position] = refused[b];
            if (polynet_scaled_bytes_f(values, encoded, back)) {
                printf("FAIL %.9g at %ld accepted as a byte\n", refused[b], position);
                failures++;
            }
            values[position] = kept;
        }

    // Columns that are zero in every row, as runs: zero columns first, in the middle (single
    // and adjacent), last; −0 counts as zero and NaN does not. Gathering the runs copies, and
    // scattering adds, exactly the plain loops' values (nothing rounds but one addition each).
    enum { zRows = 5, zColumns = 37 };
    static float zx[zRows * zColumns], zGathered[zRows * zColumns], zTarget[zRows * zColumns], zTargetRef[zRows * zColumns];
    static unsigned char zFlags[zColumns];
    static long zRuns[zColumns + 1], zKeptIndex[zColumns];
    const int zeroColumn[zColumns] = {[0] = 1, [1] = 1, [7] = 1, [12] = 1, [13] = 1, [14] = 1, [20] = 1, [36] = 1};
    for (long r = 0; r < zRows; r++)
        for (long j = 0; j < zColumns; j++) zx[r * zColumns + j] = zeroColumn[j] ? (r % 2 ? -0.0f : 0.0f) : uniform();
    zx[3 * zColumns + 20] = NAN;  // column 20 is kept for its NaN
    long zKept = -1;
    const long zRunCount = polynet_nonzero_column_runs_f(zx, zRows, zColumns, zFlags, zRuns, &zKept);
    long expectedKept = 0;
    for (long j = 0; j < zColumns; j++)
        if (!zeroColumn[j] || j == 20) zKeptIndex[expectedKept++] = j;
    long listed = 0, runsOk = zKept == expectedKept;
    for (long i = 0; i < zRunCount && runsOk; i++)
        for (long k = 0; k < zRuns[2 * i + 1]; k++) runsOk = runsOk && zRuns[2 * i] + k == zKeptIndex[listed++];
    if (!runsOk || listed != expectedKept || zRunCount != 3) {
        printf("FAIL nonzero column runs: %ld runs, %ld kept (expected 3, %ld)\n", zRunCount, zKept, expectedKept);
        failures++;
    } else {
        polynet_gather_column_runs_f(zx, zRows, zColumns, zRuns, zRunCount, zKept, zGathered);
        for (long i = 0; i < zRows * zColumns; i++) zTarget[i] = zTargetRef[i] = uniform();
        static float zSource[zRows * zColumns];
        for (long i = 0; i < zRows * zKept; i++) zSource[i] = uniform();
        polynet_scatter_add_column_runs_f(zSource, zRows, zKept, zRuns, zRunCount, zColumns, zTarget);
        int same = 1;
        for (long r = 0; r < zRows; r++)
            for (long k = 0; k < zKept; k++) {
                const float value = zx[r * zColumns + zKeptIndex[k]];
                same &= memcmp(&zGathered[r * zKept + k], &value, sizeof value) == 0;
                zTargetRef[r * zColumns + zKeptIndex[k]] += zSource[r * zKept + k];
            }
        if (!same || memcmp(zTarget, zTargetRef, sizeof zTarget) != 0) {
            printf("FAIL gathered or scattered column runs differ from the plain loops\n");
            failures++;
        }
    }

    // Sparse inputs: 37 rows × 45 columns, about a fifth nonzero (a NaN among them, −0 and +0
    // left out, column 44 and row 36 empty), outputs of every block shape (a 512-byte block of
    // 128, a 256-byte block of 64, and a remainder of 9) and scratch misaligned by one element,
    // against the definitions' sums for equal bits; a capacity one short of the nonzero entries
    // is refused.
    enum { sRows = 37, sColumns = 45, sOutputs = 128 + 64 + 9, sStride = 208 };
    static float sx[sRows * sColumns], sWeight[sOutputs * sColumns], sGradient[sRows * sOutputs];
    static float sOutput[sRows * sOutputs], sOutputRef[sRows * sOutputs];
    static float sWeightGradient[sOutputs * sColumns], sWeightGradientRef[sOutputs * sColumns];
    static float sValues[sRows * sColumns + sColumns + 16], sColumnValues[sRows * sColumns];
    static float sScratch[(sRows + sColumns) * sStride + 16 + 1];
    static int sRowStarts[sRows + 1], sIndices[sRows * sColumns + sColumns + 16], sColumnStarts[sColumns + 1];
    static int sCursors[sColumns], sRowIndices[sRows * sColumns];
    long sNonzero = 0;
    for (long i = 0; i < sRows * sColumns; i++) {
        const float u = uniform();
        const long r = i / sColumns, j = i % sColumns;
        sx[i] = (fabsf(u) < 0.2f && j != 44 && r != 36) ? u / 0.2f : (i % 2 ? -0.0f : 0.0f);
        sNonzero += sx[i] != 0;
    }
    if (sx[3 * sColumns + 7] == 0) sNonzero++;
    sx[3 * sColumns + 7] = NAN;
    for (long i = 0; i < sOutputs * sColumns; i++) sWeight[i] = uniform();
    for (long i = 0; i < sRows * sOutputs; i++) sGradient[i] = uniform();
    for (long i = 0; i < sOutputs * sColumns; i++) sWeightGradient[i] = sWeightGradientRef[i] = uniform();
    const long sCount = polynet_sparse_rows_f(sx, sRows, sColumns, sNonzero, sRowStarts, sIndices, sValues, sColumnStarts);
    const long sRefused = polynet_sparse_rows_f(sx, sRows, sColumns, sNonzero - 1, sRowStarts, sIndices, sValues,
                                                sColumnStarts);
    if (sCount != sNonzero || sRefused != -1) {
        printf("FAIL sparse rows: %ld entries (expected %ld), %ld with one less room (expected -1)\n", sCount, sNonzero,
               sRefused);
        failures++;
    } else {
        polynet_sparse_rows_f(sx, sRows, sColumns, sNonzero, sRowStarts, sIndices, sValues, sColumnStarts);
        polynet_sparse_rows_product_f(sRowStarts, sIndices, sValues, sRows, sColumns, sColumnStarts, sWeight, sOutputs,
                                      sScratch + 1, sOutput);
        polynet_sparse_columns_f(sRowStarts, sIndices, sValues, sRows, sColumns, sColumnStarts, sCursors, sRowIndices,
                                 sColumnValues);
        polynet_sparse_columns_gradient_f(sColumnStarts, sRowIndices, sColumnValues, sRows, sColumns, sGradient, sOutputs,
                                          sScratch + 1, sWeightGradient);
        sparse_reference(sx, sRows, sColumns, sWeight, sOutputs, sGradient, sOutputRef, sWeightGradientRef);
        if (sColumnStarts[sColumns] != sNonzero || sColumnStarts[44] != sColumnStarts[45] ||
            sRowStarts[36] != sRowStarts[37] || memcmp(sOutput, sOutputRef, sizeof sOutput) != 0 ||
            memcmp(sWeightGradient, sWeightGradientRef, sizeof sWeightGradient) != 0) {
            printf("FAIL sparse products differ from the definitions' sums\n");
            failures++;
        }
    }

    if (failures == 0) printf("ok\n");
    return failures == 0 ? 0 : 1;
}
