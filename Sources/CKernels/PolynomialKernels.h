// The polynomial layer's weight repacking for one scalar type: included through Instantiate.h
// by PolynomialKernels.c, once for float and once for double. See CKernels.h.
//
// The stored weight is out × in × (d + 1) (PyTorch's order, coefficient k of input i at
// i·(d + 1) + k); the products want it power-major, out × d × in. Each row is one pass in
// storage order, and the `switch` gives the degrees networks use a constant stride, which the
// compiler turns into vector shuffles rather than one scalar move per coefficient.

static inline __attribute__((always_inline)) void NAME(packRow)(const SCALAR *row, long inputs, const long stride,
                                                                SCALAR *target, SCALAR *bias) {
    SCALAR partial[POLYNET_PLANE_LANES] = {0};
    long i = 0;
    for (; i + POLYNET_PLANE_LANES <= inputs; i += POLYNET_PLANE_LANES)
        for (int lane = 0; lane < POLYNET_PLANE_LANES; lane++) partial[lane] += row[(i + lane) * stride];
    SCALAR total = 0;
    for (int lane = 0; lane < POLYNET_PLANE_LANES; lane++) total += partial[lane];
    for (; i < inputs; i++) total += row[i * stride];
    *bias = total;
    for (i = 0; i < inputs; i++)
        for (long k = 1; k < stride; k++) target[(k - 1) * inputs + i] = row[i * stride + k];
}

POLYNET_CLONES
void NAME(polynet_pack_polynomial_weight)(const SCALAR *weight, long outputs, long inputs, long degree, SCALAR *packed,
                                          SCALAR *bias) {
    const long stride = degree + 1;
    for (long j = 0; j < outputs; j++) {
        const SCALAR *row = weight + j * inputs * stride;
        SCALAR *target = packed + j * inputs * degree;
        switch (stride) {
            case 2: NAME(packRow)(row, inputs, 2, target, bias + j); break;
            case 3: NAME(packRow)(row, inputs, 3, target, bias + j); break;
            case 4: NAME(packRow)(row, inputs, 4, target, bias + j); break;
            case 5: NAME(packRow)(row, inputs, 5, target, bias + j); break;
            default: NAME(packRow)(row, inputs, stride, target, bias + j); break;
        }
    }
}

static inline __attribute__((always_inline)) void NAME(accumulateRow)(const SCALAR *packed, SCALAR constant, long inputs,
                                                                      const long stride, SCALAR *row) {
    for (long i = 0; i < inputs; i++) {
        row[i * stride] += constant;
        for (long k = 1; k < stride; k++) row[i * stride + k] += packed[(k - 1) * inputs + i];
    }
}

POLYNET_CLONES
void NAME(polynet_accumulate_polynomial_gradient)(const SCALAR *packed, const SCALAR *constant, long outputs, long inputs,
                                                  long degree, SCALAR *gradient) {
    const long stride = degree + 1;
    for (long j = 0; j < outputs; j++) {
        const SCALAR *source = packed + j * inputs * degree;
        SCALAR *row = gradient + j * inputs * stride;
        switch (stride) {
            case 2: NAME(accumulateRow)(source, constant[j], inputs, 2, row); break;
            case 3: NAME(accumulateRow)(source, constant[j], inputs, 3, row); break;
            case 4: NAME(accumulateRow)(source, constant[j], inputs, 4, row); break;
            case 5: NAME(accumulateRow)(source, constant[j], inputs, 5, row); break;
            default: NAME(accumulateRow)(source, constant[j], inputs, stride, row); break;
        }
    }
}
