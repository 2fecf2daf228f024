// PolyNet's SIMD kernels in C, for loops that Swift cannot compile for the machine it runs on.
//
// Swift compiles for baseline x86-64 (SSE2, four floats per instruction, no fused multiply-add)
// and has no way to build one function for several instruction sets. These kernels are
// compiled three times through `target_clones` (x86-64-v4 with AVX-512, x86-64-v3 with AVX2
// and FMA, and the baseline), and the dynamic loader picks the best the CPU supports, as
// OpenBLAS does for its own kernels. Each kernel has a Float (`_f`) and a Double (`_d`) body
// from one template (`PlaneKernels.h`, `PolynomialKernels.h`, `HermiteKernels.h`,
// `LayerNormKernels.h`, `AdamKernels.h`, `GatherKernels.h`, `ColumnKernels.h`,
// `SparseKernels.h`); the Swift callers and their documentation are in
// `Sources/NeuralNetworks/PhasePlanes.swift` (the phase-plane convolution),
// `Sources/NeuralNetworks/PolynomialLayer.swift` (the weight repacking),
// `Sources/NeuralNetworks/ZeroColumnSkip.swift` and `SparseInputProducts.swift` (a dense layer
// leaving zero inputs out), `Sources/NeuralNetworks/HermiteActivation.swift`,
// `Sources/NeuralNetworks/LayerNorm.swift`, `Sources/Training/Adam.swift` and
// `Sources/Training/BatchSource.swift` (batches gathered from pixels kept as bytes). A kernel may
// also carry a path written with AVX-512 intrinsics that it takes when the CPU has AVX-512
// (`POLYNET_RUNTIME_AVX512` in Clones.h): the sparse rows' compress, and the sparse products'
// 512-byte blocks of sums.
#ifndef POLYNET_CKERNELS_H
#define POLYNET_CKERNELS_H

/// The lanes of one vector of partial sums in the phase-plane kernels (16, for Float and Double).
#define POLYNET_PLANE_LANES 16

/// One image's phase-plane layout (see `PhasePlanes.swift`): plane (c, a, b), a and b below
/// `phases`, row y < planeHeight samples input row y·stride + a − padding when
/// rowRanges[2a] ≤ y < rowRanges[2a + 1] (zeros otherwise), and column x < planeWidth samples
/// input column x·stride + b − padding when columnRanges[2b] ≤ x < columnRanges[2b + 1]; the
/// planes take `count` values in all (zeros past the last plane).
typedef struct {
    long channels, height, width, stride, padding, phases, planeHeight, planeWidth, count;
    const long *rowRanges;
    const long *columnRanges;
} PolynetPlaneLayout;

/// Writes one image's planes (`count` values) from its C·H·W pixels.
void polynet_plane_split_f(const float *image, const PolynetPlaneLayout *layout, float *planes);
void polynet_plane_split_d(const double *image, const PolynetPlaneLayout *layout, double *planes);

/// The adjoint of the split: sets the C·H·W pixels to the plane elements that copied them
/// (0 for pixels no plane samples); padding elements are dropped.
void polynet_plane_merge_f(const float *planes, const PolynetPlaneLayout *layout, float *image);
void polynet_plane_merge_d(const double *planes, const PolynetPlaneLayout *layout, double *image);

/// wide[o·wideCount + q] = bias[o] + Σ_r weight[o·patchWidth + r] · planes[offsets[r] + q],
/// for o < outputs and q < wideCount (a multiple of POLYNET_PLANE_LANES).
void polynet_plane_convolution_f(const float *planes, const long *offsets, long patchWidth, long wideCount,
                                 const float *weight, const float *bias, long outputs, float *wide);
void polynet_plane_convolution_d(const double *planes, const long *offsets, long patchWidth, long wideCount,
                                 const double *weight, const double *bias, long outputs, double *wide);

/// Lane l of lanes[(o·patchWidth + r)·POLYNET_PLANE_LANES ...] += Σ over q ≡ l (mod lanes) of
/// gradient[o·wideCount + q] · planes[offsets[r] + q].
void polynet_plane_weight_gradient_f(const float *gradient, const float *planes, const long *offsets, long patchWidth,
                                     long wideCount, long outputs, float *lanes);
void polynet_plane_weight_gradient_d(const double *gradient, const double *planes, const long *offsets, long patchWidth,
                                     long wideCount, long outputs, double *lanes);

/// planeGradient (count values) = 0, then planeGradient[offsets[r] + q] +=
/// Σ_o weight[o·patchWidth + r] · gradient[o·wideCount + q] for r in order.
void polynet_plane_input_gradient_f(const float *gradient, const float *weight, const long *offsets, long patchWidth,
                                    long wideCount, long outputs, float *planeGradient, long count);
void polynet_plane_input_gradient_d(const double *gradient, const double *weight, const long *offsets, long patchWidth,
                                    long wideCount, long outputs, double *planeGradient, long count);

/// Repacks a polynomial layer's out × in·(d+1) weight (coefficient k of input i at column
/// i·(d+1) + k) into the out × in·d power-major `packed` (column (k−1)·in + i, k ≥ 1) and sums
/// each output's constant terms into bias[o] (16 lane sums over i ≡ l mod 16, then the lanes in
/// order, then the inputs past the last whole 16, the same order on every build).
void polynet_pack_polynomial_weight_f(const float *weight, long outputs, long inputs, long degree, float *packed,
                                      float *bias);
void polynet_pack_polynomial_weight_d(const double *weight, long outputs, long inputs, long degree, double *packed,
                                      double *bias);

/// The adjoint of the packing: adds the power-major gradient `packed` (out × in·d) and the
/// constant terms' gradient (constant[o] for every input) into the stored-order `gradient`.
void polynet_accumulate_polynomial_gradient_f(const float *packed, const float *constant, long outputs, long inputs,
                                              long degree, float *gradient);
void polynet_accumulate_polynomial_gradient_d(const double *packed, const double *constant, long outputs, long inputs,
                                              long degree, double *gradient);

/// The learnable Hermite activation y = Σ_k c_k·φ_k(x), φ_0 = 1, φ_1 = x,
/// φ_k = (x·φ_{k−1} − φ_{k−2})/k (He_k/k!), on a rows × columns x: columns
/// set·group ..< (set + 1)·group of every row use coefficients[set·stride ... set·stride + degree].
void polynet_hermite_forward_f(const float *x, long rows, long columns, const float *coefficients, long stride,
                               long group, long degree, float *y);
void polynet_hermite_forward_d(const double *x, long rows, long columns, const double *coefficients, long stride,
                               long group, long degree, double *y);

/// Its backward pass: dx = dy · Σ_{k≥1} c_k·φ_{k−1}(x), and coefficientGradient[set·stride + k]
/// += Σ dy·φ_k(x) over the set's elements. `partial` is scratch for (degree + 1) ·
/// POLYNET_PLANE_LANES values.
void polynet_hermite_backward_f(const float *dy, const float *x, long rows, long columns, const float *coefficients,
                                long stride, long group, long degree, float *coefficientGradient, float *partial,
                                float *dx);
void polynet_hermite_backward_d(const double *dy, const double *x, long rows, long columns,
                                const double *coefficients, long stride, long group, long degree,
                                double *coefficientGradient, double *partial, double *dx);

/// Layer normalization of each row of the rows × width x: mean μ and variance σ² (sums in column
/// order, then divided by width), inverse[r] = 1/√(σ² + epsilon), xHat = (x − μ)·inverse[r] and
/// y = xHat·gamma[j] + beta[j], each operation rounded as written.
void polynet_layer_norm_forward_f(const float *x, float *xHat, float *inverse, float *y, const float *gamma,
                                  const float *beta, long rows, long width, float epsilon);
void polynet_layer_norm_forward_d(const double *x, double *xHat, double *inverse, double *y, const double *gamma,
                                  const double *beta, long rows, long width, double epsilon);

/// Its backward pass: dGamma[j] += Σ_r dy·xHat and dBeta[j] += Σ_r dy (rows in order), and when
/// dx is not null dx = inverse[r]·(dy·gamma[j] − m − xHat·p), with m and p the row means of
/// dy·gamma and dy·gamma·xHat (sums in column order).
void polynet_layer_norm_backward_f(const float *dy, const float *xHat, const float *inverse, const float *gamma,
                                   float *dGamma, float *dBeta, float *dx, long rows, long width);
void polynet_layer_norm_backward_d(const double *dy, const double *xHat, const double *inverse, const double *gamma,
                                   double *dGamma, double *dBeta, double *dx, long rows, long width);

/// Writes the byte k nearest 255·values[i] for each of the `count` values and returns 1 when
/// every value is exactly k/255 (same bits: −0 and NaN are not), else 0 (the bytes are then
/// partly written and mean nothing).
int polynet_scaled_bytes_f(const float *values, long count, unsigned char *bytes);
int polynet_scaled_bytes_d(const double *values, long count, unsigned char *bytes);

/// Row r of the count × width `target` = the byte row rows[r] of `bytes` (width bytes a row),
/// each byte k as k/255.
void polynet_gather_scaled_bytes_f(const unsigned char *bytes, long width, const long *rows, long count,
                                   float *target);
void polynet_gather_scaled_bytes_d(const unsigned char *bytes, long width, const long *rows, long count,
                                   double *target);

/// Sets nonzero[j] to 1 when some row of the rows × columns x has a nonzero (or NaN) in column
/// j, else 0; writes those columns as runs of adjacent columns, (first column, length) pairs in
/// increasing order, to `runs` (room for columns + 1 values), their total length to `kept`, and
/// returns the number of runs.
long polynet_nonzero_column_runs_f(const float *x, long rows, long columns, unsigned char *nonzero, long *runs,
                                   long *kept);
long polynet_nonzero_column_runs_d(const double *x, long rows, long columns, unsigned char *nonzero, long *runs,
                                   long *kept);

/// target (rows × kept) = the columns of the runs of the rows × columns x, in order.
void polynet_gather_column_runs_f(const float *x, long rows, long columns, const long *runs, long runCount, long kept,
                                  float *target);
void polynet_gather_column_runs_d(const double *x, long rows, long columns, const long *runs, long runCount, long kept,
                                  double *target);

/// The adjoint: the columns of the runs of the rows × columns target += the rows × kept source.
void polynet_scatter_add_column_runs_f(const float *source, long rows, long kept, const long *runs, long runCount,
                                       long columns, float *target);
void polynet_scatter_add_column_runs_d(const double *source, long rows, long kept, const long *runs, long runCount,
                                       long columns, double *target);

/// The nonzero entries of the rows × columns x, row by row (a NaN is not zero, −0 is): row r's
/// are columnIndices[p] and values[p] for rowStarts[r] ≤ p < rowStarts[r + 1], in increasing
/// column order; column j has columnStarts[j + 1] − columnStarts[j] of them (columns + 1
/// starts, from 0). Returns their number, or −1 as soon as more than `capacity` are found (then
/// rowStarts, columnIndices and values are partly written). columnIndices and values need room
/// for capacity + columns + 16 entries.
long polynet_sparse_rows_f(const float *x, long rows, long columns, long capacity, int *rowStarts, int *columnIndices,
                           float *values, int *columnStarts);
long polynet_sparse_rows_d(const double *x, long rows, long columns, long capacity, int *rowStarts, int *columnIndices,
                           double *values, int *columnStarts);

/// The same entries column by column: column j's are rowIndices[p] and columnValues[p] for
/// columnStarts[j] ≤ p < columnStarts[j + 1], in increasing row order. `cursors` (columns) is
/// scratch.
void polynet_sparse_columns_f(const int *rowStarts, const int *columnIndices, const float *values, long rows,
                              long columns, const int *columnStarts, int *cursors, int *rowIndices,
                              float *columnValues);
void polynet_sparse_columns_d(const int *rowStarts, const int *columnIndices, const double *values, long rows,
                              long columns, const int *columnStarts, int *cursors, int *rowIndices,
                              double *columnValues);

/// output (rows × outputs) = x·weightᵀ for x in sparse rows and weight outputs × columns:
/// output[r·outputs + n] = Σ_p values[p]·weight[n·columns + columnIndices[p]] over row r's
/// entries, in order from 0. `scratch` holds the used columns of the weight as aligned rows:
/// room for columns · (outputs rounded up to 64 bytes) + 64 bytes.
void polynet_sparse_rows_product_f(const int *rowStarts, const int *columnIndices, const float *values, long rows,
                                   long columns, const int *columnStarts, const float *weight, long outputs,
                                   float *scratch, float *output);
void polynet_sparse_rows_product_d(const int *rowStarts, const int *columnIndices, const double *values, long rows,
                                   long columns, const int *columnStarts, const double *weight, long outputs,
                                   double *scratch, double *output);

/// weightGradient (outputs × columns) += gradientᵀ·x for x in sparse columns and gradient rows ×
/// outputs: weightGradient[n·columns + j] + Σ_p values[p]·gradient[rowIndices[p]·outputs + n] over
/// column j's entries, one sum in order; columns without entries are left as they are.
/// `scratch` holds aligned copies: room for (rows + columns) · (outputs rounded up to 64 bytes) +
/// 64 bytes.
void polynet_sparse_columns_gradient_f(const int *columnStarts, const int *rowIndices, const float *values, long rows,
                                       long columns, const float *gradient, long outputs, float *scratch,
                                       float *weightGradient);
void polynet_sparse_columns_gradient_d(const int *columnStarts, const int *rowIndices, const double *values,
                                       long rows, long columns, const double *gradient, long outputs,
                                       double *scratch, double *weightGradient);

/// A hint to the CPU inside a spin-wait loop (`pause` on x86), so that the waiting thread
/// yields pipeline resources; nothing elsewhere.
static inline void polynet_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/// The per-step constants of one Adam update (see `Sources/Training/Adam.swift`).
typedef struct {
    float beta1, beta2, epsilon, stepSize, inverseRootCorrection2, l2, shrink;
} PolynetAdamConstants_f;
typedef struct {
    double beta1, beta2, epsilon, stepSize, inverseRootCorrection2, l2, shrink;
} PolynetAdamConstants_d;

/// One Adam step over `count` parameters, in place:
/// g' = g + l2·p, m ← β₁m + (1−β₁)g', v ← β₂v + (1−β₂)g'g',
/// p ← p·shrink − stepSize·m / (√v·inverseRootCorrection2 + ε).
void polynet_adam_step_f(float *parameter, const float *gradient, float *first, float *second, long count,
                         const PolynetAdamConstants_f *constants);
void polynet_adam_step_d(double *parameter, const double *gradient, double *first, double *second, long count,
                         const PolynetAdamConstants_d *constants);

#endif
