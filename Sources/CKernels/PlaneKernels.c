#include "CKernels.h"

#include "Clones.h"

// Register blocking: outputs per convolution block, and outputs × offsets per weight-gradient
// block (4 × 2 accumulators plus 2 + 1 loaded vectors fit the 16 ymm registers of AVX2 for
// Float and the 32 zmm registers of AVX-512 for Double).
#define POLYNET_OUTPUT_BLOCK 6
#define POLYNET_GRADIENT_OUTPUTS 4
#define POLYNET_GRADIENT_OFFSETS 2

// Unaligned vector loads and stores (memcpy compiles to one instruction), as macros: a function
// returning a wide vector would change the calling convention between the clones.
#define POLYNET_LOAD(pointer) ({ NAME(Vector) vector_; __builtin_memcpy(&vector_, (pointer), sizeof vector_); vector_; })
#define POLYNET_STORE(pointer, value) do { NAME(Vector) vector_ = (value); __builtin_memcpy((pointer), &vector_, sizeof vector_); } while (0)

#define SCALAR float
#define NAME(x) x##_f
#include "PlaneKernels.h"
#undef SCALAR
#undef NAME

#define SCALAR double
#define NAME(x) x##_d
#include "PlaneKernels.h"
#undef SCALAR
#undef NAME
