#include "CKernels.h"
#include "Clones.h"

#define POLYNET_TEMPLATE "ColumnKernels.h"
#include "Instantiate.h"
