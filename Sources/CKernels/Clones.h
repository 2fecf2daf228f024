// One body per instruction set, chosen by the dynamic loader when the program starts (see
// CKernels.h): AVX-512 (x86-64-v4), AVX2 with FMA (x86-64-v3) and baseline x86-64.
#if defined(POLYNET_CLONES)
// Set by the caller (scripts/check-c-kernels.sh builds one instruction set at a time).
#elif defined(__x86_64__) && defined(__linux__)
#define POLYNET_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define POLYNET_CLONES
#endif
