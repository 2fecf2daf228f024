// Includes the kernel template named by POLYNET_TEMPLATE twice: once for float (SCALAR = float,
// NAME(x) = x##_f, POLYNET_SQRT = __builtin_sqrtf, POLYNET_SCALAR_IS_FLOAT = 1) and once for double
// (_d, __builtin_sqrt, 0).
#define SCALAR float
#define NAME(x) x##_f
#define POLYNET_SQRT __builtin_sqrtf
#define POLYNET_SCALAR_IS_FLOAT 1
#include POLYNET_TEMPLATE
#undef SCALAR
#undef NAME
#undef POLYNET_SQRT
#undef POLYNET_SCALAR_IS_FLOAT

#define SCALAR double
#define NAME(x) x##_d
#define POLYNET_SQRT __builtin_sqrt
#define POLYNET_SCALAR_IS_FLOAT 0
#include POLYNET_TEMPLATE
#undef SCALAR
#undef NAME
#undef POLYNET_SQRT
#undef POLYNET_SCALAR_IS_FLOAT
