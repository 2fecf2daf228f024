// One body per instruction set, chosen by the dynamic loader when the program starts (see
// CKernels.h): AVX-512 (x86-64-v4), AVX2 with FMA (x86-64-v3) and baseline x86-64.
#if defined(POLYNET_CLONES)
// Set by the caller (scripts/check-c-kernels.sh builds one instruction set at a time).
#elif defined(__x86_64__) && defined(__linux__)
#define POLYNET_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define POLYNET_CLONES
#endif

// POLYNET_RUNTIME_AVX512: whether a kernel may also carry a path written with AVX-512
// intrinsics, taken when the CPU reports AVX-512 (checked at run time, as the clones are). The
// check of every instruction set turns it off for its baseline build, so that it also compares
// the portable path with the plain loops on a CPU that has AVX-512.
#if !defined(POLYNET_RUNTIME_AVX512)
#if defined(__x86_64__) && defined(__linux__)
#define POLYNET_RUNTIME_AVX512 1
#else
#define POLYNET_RUNTIME_AVX512 0
#endif
#endif
