#include "CKernels.h"
#include "Clones.h"

#define SCALAR float
#define NAME(x) x##_f
#define POLYNET_SQRT __builtin_sqrtf
#include "AdamKernels.h"
#undef SCALAR
#undef NAME
#undef POLYNET_SQRT

#define SCALAR double
#define NAME(x) x##_d
#define POLYNET_SQRT __builtin_sqrt
#include "AdamKernels.h"
#undef SCALAR
#undef NAME
#undef POLYNET_SQRT
