#include "CKernels.h"
#include "Clones.h"

#define POLYNET_TEMPLATE "PolynomialKernels.h"
#include "Instantiate.h"
