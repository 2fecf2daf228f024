#include "CKernels.h"
#include "Clones.h"

#define POLYNET_TEMPLATE "LayerNormKernels.h"
#include "Instantiate.h"
