// Includes the kernel template named by POLYNET_TEMPLATE twice: once for float (SCALAR = float,
// NAME(x) = x##_f, POLYNET_SQRT = __builtin_sqrtf) and once for double (_d, __builtin_sqrt).
#define SCALAR float
#define NAME(x) x##_f
#define POLYNET_SQRT __builtin_sqrtf
#include POLYNET_TEMPLATE
#undef SCALAR
#undef NAME
#undef POLYNET_SQRT

#define SCALAR double
#define NAME(x) x##_d
#define POLYNET_SQRT __builtin_sqrt
#include POLYNET_TEMPLATE
#undef SCALAR
#undef NAME
#undef POLYNET_SQRT
