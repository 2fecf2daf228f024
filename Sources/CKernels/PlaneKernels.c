#include "CKernels.h"

#include "Clones.h"

// Register blocking (see PlaneKernels.h). The convolution keeps the accumulators of up to 6
// outputs (two 16-lane vectors and six accumulators fit AVX2's 16 registers for Float); the
// weight gradient up to 5 outputs × 3 offsets (tuned with `polynet bench conv` on an AMD EPYC
// Zen 4: batch 64, cryptonets' layer ∂W 70 → 54 µs over 4 × 2 blocks, 78 µs over 6 × 1).
#define POLYNET_OUTPUT_BLOCK 6
#define POLYNET_GRADIENT_OUTPUTS 5
#define POLYNET_GRADIENT_OFFSETS 3

// Unaligned vector loads and stores (memcpy compiles to one instruction), as macros: a function
// returning a wide vector would change the calling convention between the clones.
#define POLYNET_LOAD(pointer) ({ NAME(Vector) vector_; __builtin_memcpy(&vector_, (pointer), sizeof vector_); vector_; })
#define POLYNET_STORE(pointer, value) do { NAME(Vector) vector_ = (value); __builtin_memcpy((pointer), &vector_, sizeof vector_); } while (0)

#define POLYNET_TEMPLATE "PlaneKernels.h"
#include "Instantiate.h"
