// Products with a sparse input, for one scalar type: included through Instantiate.h by
// SparseKernels.c, once for float and once for double. See CKernels.h.
//
// The input is kept as its nonzero entries row by row (compressed sparse rows) and column by
// column (compressed sparse columns). Every sum runs in the order of its entries, one product
// and one addition each, both rounded (no fused multiply-add): every clone, and the AVX-512 path
// that builds the rows, give the same bits.

#if POLYNET_RUNTIME_AVX512
#include <immintrin.h>
#endif

#if POLYNET_RUNTIME_AVX512 && POLYNET_SCALAR_IS_FLOAT
/// The rows of a float input through AVX-512's compress: sixteen entries at a time, the nonzero
/// ones packed to the front of a vector and stored whole (the caller leaves room past the end).
/// The same entries in the same order as the portable loop below.
__attribute__((target("avx512f"))) static long polynet_sparse_rows_avx512(const float *restrict x, long rows,
                                                                         long columns, long capacity,
                                                                         int *restrict rowStarts,
                                                                         int *restrict columnIndices,
                                                                         float *restrict values) {
    long count = 0;
    rowStarts[0] = 0;
    for (long r = 0; r < rows; r++) {
        const float *row = x + r * columns;
        __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        long start = 0;
        for (; start + 16 <= columns; start += 16) {
            const __m512 value = _mm512_loadu_ps(row + start);
            // Unordered not-equal: a NaN is not zero; −0 is.
            const __mmask16 nonzero = _mm512_cmp_ps_mask(value, _mm512_setzero_ps(), _CMP_NEQ_UQ);
            if (nonzero != 0) {
                _mm512_storeu_ps(values + count, _mm512_maskz_compress_ps(nonzero, value));
                _mm512_storeu_si512(columnIndices + count, _mm512_maskz_compress_epi32(nonzero, index));
                count += __builtin_popcount(nonzero);
            }
            index = _mm512_add_epi32(index, _mm512_set1_epi32(16));
        }
        for (long j = start; j < columns; j++) {
            columnIndices[count] = (int)j;
            values[count] = row[j];
            count += row[j] != 0;
        }
        rowStarts[r + 1] = (int)count;
        if (count > capacity) return -1;
    }
    return count;
}
#endif

POLYNET_CLONES
long NAME(polynet_sparse_rows)(const SCALAR *restrict x, long rows, long columns, long capacity,
                               int *restrict rowStarts, int *restrict columnIndices, SCALAR *restrict values,
                               int *restrict columnStarts) {
    long count = -2;
#if POLYNET_RUNTIME_AVX512 && POLYNET_SCALAR_IS_FLOAT
    if (__builtin_cpu_supports("avx512f"))
        count = polynet_sparse_rows_avx512(x, rows, columns, capacity, rowStarts, columnIndices, values);
#endif
    if (count == -2) {
        // Every entry is stored, and the next one overwrites it unless it was nonzero.
        count = 0;
        rowStarts[0] = 0;
        for (long r = 0; r < rows && count >= 0; r++) {
            const SCALAR *row = x + r * columns;
            for (long j = 0; j < columns; j++) {
                const SCALAR value = row[j];
                columnIndices[count] = (int)j;
                values[count] = value;
                count += value != 0;  // a NaN is not zero; −0 is
            }
            rowStarts[r + 1] = (int)count;
            if (count > capacity) count = -1;
        }
    }
    if (count < 0) return -1;
    // Each column's entries counted at columnStarts[j + 1], then summed into starts.
    for (long j = 0; j <= columns; j++) columnStarts[j] = 0;
    for (long p = 0; p < count; p++) columnStarts[columnIndices[p] + 1]++;
    for (long j = 0; j < columns; j++) columnStarts[j + 1] += columnStarts[j];
    return count;
}

POLYNET_CLONES
void NAME(polynet_sparse_columns)(const int *restrict rowStarts, const int *restrict columnIndices,
                                  const SCALAR *restrict values, long rows, long columns,
                                  const int *restrict columnStarts, int *restrict cursors,
                                  int *restrict rowIndices, SCALAR *restrict columnValues) {
    for (long j = 0; j < columns; j++) cursors[j] = columnStarts[j];
    for (long r = 0; r < rows; r++) {
        for (long p = rowStarts[r]; p < rowStarts[r + 1]; p++) {
            const long place = cursors[columnIndices[p]]++;
            rowIndices[place] = (int)r;
            columnValues[place] = values[p];
        }
    }
}

/// The widest block of sums kept in registers: 512 bytes.
#define POLYNET_SPARSE_MAX_BLOCK ((long)(512 / sizeof(SCALAR)))

/// sums[k] (k < width ≤ block) = (0 when `fromZero`, else sums[k]) + Σ_p values[p]·
/// rows[indices[p]·stride + k] over first ≤ p < last, in order: `block` is a constant after
/// inlining, so the sums stay in registers.
static inline __attribute__((always_inline)) void NAME(polynet_sparse_block_sum)(
    SCALAR *restrict sums, long block, long width, int fromZero, const int *restrict indices,
    const SCALAR *restrict values, long first, long last, const SCALAR *restrict rows, long stride) {
#pragma clang fp contract(off)
    SCALAR sum[POLYNET_SPARSE_MAX_BLOCK];
    if (width == block) {
        for (long k = 0; k < block; k++) sum[k] = fromZero ? 0 : sums[k];
        for (long p = first; p < last; p++) {
            const SCALAR value = values[p];
            const SCALAR *row = rows + (long)indices[p] * stride;
            for (long k = 0; k < block; k++) sum[k] += value * row[k];
        }
        for (long k = 0; k < block; k++) sums[k] = sum[k];
    } else {
        if (fromZero)
            for (long k = 0; k < width; k++) sums[k] = 0;
        for (long p = first; p < last; p++) {
            const SCALAR value = values[p];
            const SCALAR *row = rows + (long)indices[p] * stride;
            for (long k = 0; k < width; k++) sums[k] += value * row[k];
        }
    }
}

#if POLYNET_SCALAR_IS_FLOAT
/// Whether the CPU keeps 512 bytes of sums in registers (8 vectors of AVX-512); else 256.
static inline int polynet_sparse_wide_blocks(void) {
#if POLYNET_RUNTIME_AVX512
    return __builtin_cpu_supports("avx512f");
#else
    return 0;
#endif
}
#endif

/// sums[k] for k < width: the block sums over one row's or column's entries, in blocks of 512
/// bytes (when `wide`), then 256, then what is left.
static inline __attribute__((always_inline)) void NAME(polynet_sparse_sums)(
    SCALAR *restrict sums, long width, int wide, int fromZero, const int *restrict indices,
    const SCALAR *restrict values, long first, long last, const SCALAR *restrict rows, long stride) {
    enum { large = POLYNET_SPARSE_MAX_BLOCK, small = POLYNET_SPARSE_MAX_BLOCK / 2 };
    long start = 0;
    for (; wide && width - start >= large; start += large)
        NAME(polynet_sparse_block_sum)(sums + start, large, large, fromZero, indices, values, first, last, rows + start,
                                       stride);
    for (; width - start >= small; start += small)
        NAME(polynet_sparse_block_sum)(sums + start, small, small, fromZero, indices, values, first, last, rows + start,
                                       stride);
    if (start < width)
        NAME(polynet_sparse_block_sum)(sums + start, small, width - start, fromZero, indices, values, first, last,
                                       rows + start, stride);
}

/// The scratch rows of the products: 64-byte aligned, their length rounded up to 64 bytes, so
/// that a vector load never spans two cache lines (a split load costs two).
#define POLYNET_SPARSE_LINE ((long)(64 / sizeof(SCALAR)))

static inline SCALAR *NAME(polynet_sparse_aligned)(SCALAR *scratch) {
    const unsigned long address = (unsigned long)scratch;
    return (SCALAR *)((address + 63) & ~63ul);
}

static inline long NAME(polynet_sparse_stride)(long outputs) {
    return (outputs + POLYNET_SPARSE_LINE - 1) / POLYNET_SPARSE_LINE * POLYNET_SPARSE_LINE;
}

/// target[j·stride + n] = matrix[n·columns + j] (matrix outputs × columns) for the columns j with
/// entries, sixteen rows of the matrix at a time: their lines stay cached while j advances.
static inline void NAME(polynet_sparse_transpose)(const SCALAR *restrict matrix, long outputs, long columns,
                                                  const int *restrict columnStarts, SCALAR *restrict target,
                                                  long stride) {
    for (long start = 0; start < outputs; start += 16) {
        const long end = outputs - start < 16 ? outputs : start + 16;
        for (long j = 0; j < columns; j++) {
            if (columnStarts[j] == columnStarts[j + 1]) continue;
            for (long n = start; n < end; n++) target[j * stride + n] = matrix[n * columns + j];
        }
    }
}

POLYNET_CLONES
void NAME(polynet_sparse_rows_product)(const int *restrict rowStarts, const int *restrict columnIndices,
                                       const SCALAR *restrict values, long rows, long columns,
                                       const int *restrict columnStarts, const SCALAR *restrict weight, long outputs,
                                       SCALAR *restrict scratch, SCALAR *restrict output) {
    const int wide = polynet_sparse_wide_blocks();
    const long stride = NAME(polynet_sparse_stride)(outputs);
    SCALAR *transposed = NAME(polynet_sparse_aligned)(scratch);
    NAME(polynet_sparse_transpose)(weight, outputs, columns, columnStarts, transposed, stride);
    for (long r = 0; r < rows; r++)
        NAME(polynet_sparse_sums)(output + r * outputs, outputs, wide, 1, columnIndices, values, rowStarts[r],
                                  rowStarts[r + 1], transposed, stride);
}

POLYNET_CLONES
void NAME(polynet_sparse_columns_gradient)(const int *restrict columnStarts, const int *restrict rowIndices,
                                           const SCALAR *restrict values, long rows, long columns,
                                           const SCALAR *restrict gradient, long outputs, SCALAR *restrict scratch,
                                           SCALAR *restrict weightGradient) {
    const int wide = polynet_sparse_wide_blocks();
    const long stride = NAME(polynet_sparse_stride)(outputs);
    // The output gradient's rows are copied to aligned rows, and the used columns of the weight
    // gradient are summed as contiguous rows (a column of it touches a page per entry or two),
    // moved there and back sixteen rows at a time. Each sum starts from the gradient's own
    // entry: one sum in order.
    SCALAR *aligned = NAME(polynet_sparse_aligned)(scratch);
    SCALAR *transposed = aligned + rows * stride;
    for (long r = 0; r < rows; r++)
        for (long n = 0; n < outputs; n++) aligned[r * stride + n] = gradient[r * outputs + n];
    NAME(polynet_sparse_transpose)(weightGradient, outputs, columns, columnStarts, transposed, stride);
    for (long j = 0; j < columns; j++) {
        if (columnStarts[j] == columnStarts[j + 1]) continue;
        NAME(polynet_sparse_sums)(transposed + j * stride, outputs, wide, 0, rowIndices, values, columnStarts[j],
                                  columnStarts[j + 1], aligned, stride);
    }
    for (long start = 0; start < outputs; start += 16) {
        const long end = outputs - start < 16 ? outputs : start + 16;
        for (long j = 0; j < columns; j++) {
            if (columnStarts[j] == columnStarts[j + 1]) continue;
            for (long n = start; n < end; n++) weightGradient[n * columns + j] = transposed[j * stride + n];
        }
    }
}

#undef POLYNET_SPARSE_MAX_BLOCK
#undef POLYNET_SPARSE_LINE
