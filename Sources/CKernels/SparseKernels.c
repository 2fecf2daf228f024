#include "CKernels.h"
#include "Clones.h"

#define POLYNET_TEMPLATE "SparseKernels.h"
#include "Instantiate.h"
