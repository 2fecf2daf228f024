#include "CKernels.h"
#include "Clones.h"

#define POLYNET_TEMPLATE "HermiteKernels.h"
#include "Instantiate.h"
