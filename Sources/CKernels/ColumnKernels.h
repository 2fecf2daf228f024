// The columns of a row-major matrix that are not all zero, as runs of adjacent columns, and
// copies to and from them, for one scalar type: included through Instantiate.h by
// ColumnKernels.c, once for float and once for double. See CKernels.h. Nothing here rounds:
// values are compared, copied, or added once.

POLYNET_CLONES
long NAME(polynet_nonzero_column_runs)(const SCALAR *restrict x, long rows, long columns,
                                       unsigned char *restrict nonzero, long *restrict runs, long *restrict kept) {
    for (long j = 0; j < columns; j++) nonzero[j] = 0;
    for (long r = 0; r < rows; r++) {
        const SCALAR *row = x + r * columns;
        // A NaN is not zero, so its column is kept.
        for (long j = 0; j < columns; j++) nonzero[j] |= row[j] != 0;
    }
    long count = 0, total = 0;
    for (long j = 0; j < columns;) {
        if (!nonzero[j]) { j++; continue; }
        const long start = j;
        while (j < columns && nonzero[j]) j++;
        runs[2 * count] = start;
        runs[2 * count + 1] = j - start;
        total += j - start;
        count++;
    }
    *kept = total;
    return count;
}

POLYNET_CLONES
void NAME(polynet_gather_column_runs)(const SCALAR *restrict x, long rows, long columns, const long *restrict runs,
                                      long runCount, long kept, SCALAR *restrict target) {
    for (long r = 0; r < rows; r++) {
        const SCALAR *row = x + r * columns;
        SCALAR *out = target + r * kept;
        for (long i = 0; i < runCount; i++) {
            const SCALAR *from = row + runs[2 * i];
            const long length = runs[2 * i + 1];
            for (long k = 0; k < length; k++) out[k] = from[k];
            out += length;
        }
    }
}

POLYNET_CLONES
void NAME(polynet_scatter_add_column_runs)(const SCALAR *restrict source, long rows, long kept, const long *restrict runs,
                                           long runCount, long columns, SCALAR *restrict target) {
#pragma clang fp contract(off)
    for (long r = 0; r < rows; r++) {
        const SCALAR *from = source + r * kept;
        SCALAR *row = target + r * columns;
        for (long i = 0; i < runCount; i++) {
            SCALAR *to = row + runs[2 * i];
            const long length = runs[2 * i + 1];
            for (long k = 0; k < length; k++) to[k] += from[k];
            from += length;
        }
    }
}
