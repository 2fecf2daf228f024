#include "CKernels.h"
#include "Clones.h"

#define POLYNET_TEMPLATE "GatherKernels.h"
#include "Instantiate.h"
