#include "CKernels.h"
#include "Clones.h"

#define POLYNET_TEMPLATE "AdamKernels.h"
#include "Instantiate.h"
