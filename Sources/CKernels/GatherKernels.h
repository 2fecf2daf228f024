// Pixels kept as bytes, for one scalar type: included through Instantiate.h by GatherKernels.c,
// once for float and once for double. See CKernels.h.
//
// A byte k stands for the pixel k/255, one division rounded once (IEEE 754): every clone, and
// Swift's `SCALAR(k) / 255` that loads MNIST, give the same bits.

POLYNET_CLONES
int NAME(polynet_scaled_bytes)(const SCALAR *restrict values, long count, unsigned char *restrict bytes) {
#pragma clang fp contract(off)
    // In blocks, so that data that is not bytes is refused after a few thousand values.
    for (long start = 0; start < count; start += 4096) {
        const long end = count - start < 4096 ? count : start + 4096;
        long misses = 0;
        for (long i = start; i < end; i++) {
            const SCALAR value = values[i];
            // Outside [0, 1] (NaN included) the byte is 0, whose pixel +0 differs from the value
            // unless the value is −0, which the sign test refuses.
            const SCALAR inside = value >= 0 && value <= 1 ? value : 0;
            const int k = (int)(inside * 255 + (SCALAR)0.5);
            misses += ((SCALAR)k / 255 != value) | (__builtin_signbit(value) != 0);
            bytes[i] = (unsigned char)k;
        }
        if (misses != 0) return 0;
    }
    return 1;
}

POLYNET_CLONES
void NAME(polynet_gather_scaled_bytes)(const unsigned char *restrict bytes, long width, const long *restrict rows,
                                       long count, SCALAR *restrict target) {
#pragma clang fp contract(off)
    // Rows are far apart in memory: fetching the one four rows ahead while decoding this one
    // keeps several misses in flight (see `BatchSource.swift` for what it gains in training).
    enum { ahead = 4, line = 64 };
    for (long r = 0; r < count; r++) {
        if (r + ahead < count) {
            const unsigned char *next = bytes + rows[r + ahead] * width;
            for (long offset = 0; offset < width + line - 1; offset += line)
                __builtin_prefetch(next + (offset < width ? offset : width - 1));
        }
        const unsigned char *source = bytes + rows[r] * width;
        SCALAR *row = target + r * width;
        for (long k = 0; k < width; k++) row[k] = (SCALAR)source[k] / 255;
    }
}
