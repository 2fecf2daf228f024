#!/usr/bin/env bash
# Times the sparse-input products of a dense layer (Sources/CKernels/SparseKernels.h, built with
# their target clones as the package builds them) against OpenBLAS's full products on one
# thread, on MNIST rows and on random inputs a quarter nonzero (the most the layer sends to
# them): one JSON line per case, medians of 31 repetitions (scripts/c-kernels/bench-sparse.c).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/c-kernels/build-setup.sh
"$cc" -O2 -ISources/CKernels/include -ISources/CKernels Sources/CKernels/SparseKernels.c \
    scripts/c-kernels/bench-sparse.c -lopenblas -lz -o "$work/bench-sparse"
grep -m1 "model name" /proc/cpuinfo
for outputs in 32 64 128; do
    for rows in 64 256 1024; do
        OPENBLAS_NUM_THREADS=1 "$work/bench-sparse" Data/mnist/train-images-idx3-ubyte.gz "$rows" "$outputs" 0
    done
done
OPENBLAS_NUM_THREADS=1 "$work/bench-sparse" Data/mnist/train-images-idx3-ubyte.gz 256 128 0.25
