// The sparse-input products (Sources/CKernels/SparseKernels.h) against OpenBLAS's two full
// products in the same process: a dense layer's forward product x·Wᵀ and weight gradient
// Dᵀ·x for `rows` inputs of 784 values and `outputs` outputs, in Float on one thread. Inputs
// are MNIST training images (the bundled file, rows drawn at random) or, with a density,
// random entries at that rate. Prints medians over 31 repetitions, µs per input row, and the
// ratio. Built and run by scripts/bench-sparse-kernels.sh.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include "CKernels.h"

enum { columns = 784, repetitions = 31 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int ascending(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values) {
    qsort(values, repetitions, sizeof *values, ascending);
    return values[repetitions / 2];
}

static unsigned long long state = 88172645463325252ULL;
static double uniform(void) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return (double)(state >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: bench-sparse MNIST-IMAGES.gz ROWS OUTPUTS DENSITY (0 for MNIST rows)\n");
        return 2;
    }
    const long rows = atol(argv[2]), outputs = atol(argv[3]);
    const double density = atof(argv[4]);
    if (rows < 1 || rows > 60000 || outputs < 1 || outputs > 4096 || !(density >= 0 && density <= 1)) {
        fprintf(stderr, "ROWS in 1...60000, OUTPUTS in 1...4096, DENSITY in [0, 1]\n");
        return 2;
    }
    float *x = calloc(rows * columns, sizeof(float));
    if (density == 0) {
        gzFile file = gzopen(argv[1], "rb");
        static unsigned char images[16 + 60000 * columns];
        if (!file || gzread(file, images, sizeof images) != (int)sizeof images) {
            fprintf(stderr, "cannot read %s\n", argv[1]);
            return 1;
        }
        gzclose(file);
        for (long r = 0; r < rows; r++) {
            const long image = (long)(uniform() * 60000);
            for (long j = 0; j < columns; j++) x[r * columns + j] = images[16 + image * columns + j] / 255.0f;
        }
    } else {
        for (long i = 0; i < rows * columns; i++) x[i] = uniform() < density ? (float)uniform() : 0;
    }
    float *weight = malloc(outputs * columns * sizeof(float)), *gradient = malloc(rows * outputs * sizeof(float));
    for (long i = 0; i < outputs * columns; i++) weight[i] = (float)uniform() - 0.5f;
    for (long i = 0; i < rows * outputs; i++) gradient[i] = (float)uniform() - 0.5f;
    float *output = malloc(rows * outputs * sizeof(float)), *weightGradient = calloc(outputs * columns, sizeof(float));
    const long capacity = rows * columns / 4 + columns + 16, line = 16;
    int *rowStarts = malloc((rows + 1) * sizeof(int)), *indices = malloc(capacity * sizeof(int));
    int *columnStarts = malloc((columns + 1) * sizeof(int)), *cursors = malloc(columns * sizeof(int));
    int *rowIndices = malloc(capacity * sizeof(int));
    float *values = malloc(capacity * sizeof(float)), *columnValues = malloc(capacity * sizeof(float));
    float *scratch = malloc(((rows + columns) * (outputs + line) + line) * sizeof(float));
    double full[repetitions], sparse[repetitions];
    long count = 0;
    for (int k = 0; k < repetitions; k++) {
        const double start = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, outputs, columns, 1, x, columns, weight, columns, 0,
                    output, outputs);
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, outputs, columns, rows, 1, gradient, outputs, x, columns, 1,
                    weightGradient, columns);
        const double middle = now();
        count = polynet_sparse_rows_f(x, rows, columns, rows * columns / 4, rowStarts, indices, values, columnStarts);
        if (count < 0) {
            fprintf(stderr, "more than a quarter of the entries are nonzero\n");
            return 1;
        }
        polynet_sparse_rows_product_f(rowStarts, indices, values, rows, columns, columnStarts, weight, outputs, scratch,
                                      output);
        polynet_sparse_columns_f(rowStarts, indices, values, rows, columns, columnStarts, cursors, rowIndices,
                                 columnValues);
        polynet_sparse_columns_gradient_f(columnStarts, rowIndices, columnValues, rows, columns, gradient, outputs, scratch,
                                          weightGradient);
        const double end = now();
        full[k] = (middle - start) / rows * 1e6;
        sparse[k] = (end - middle) / rows * 1e6;
    }
    const double fullMedian = median(full), sparseMedian = median(sparse);
    printf("{\"rows\":%ld,\"outputs\":%ld,\"nonzero_per_row\":%.1f,\"openblas_us_per_row\":%.3f,"
           "\"sparse_us_per_row\":%.3f,\"openblas_over_sparse\":%.2f}\n",
           rows, outputs, (double)count / rows, fullMedian, sparseMedian, fullMedian / sparseMedian);
    return 0;
}
