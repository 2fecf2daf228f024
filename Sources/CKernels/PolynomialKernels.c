#include "CKernels.h"
#include "Clones.h"

#define SCALAR float
#define NAME(x) x##_f
#include "PolynomialKernels.h"
#undef SCALAR
#undef NAME

#define SCALAR double
#define NAME(x) x##_d
#include "PolynomialKernels.h"
#undef SCALAR
#undef NAME
