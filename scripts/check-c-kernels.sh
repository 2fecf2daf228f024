#!/usr/bin/env bash
# Builds the C kernels (Sources/CKernels) once per instruction set their clones target and
# compares each build with plain loops (scripts/c-kernels/check.c). `swift test` exercises only
# the clone the machine's loader picks; this runs every one the CPU can execute.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/c-kernels/build-setup.sh
for isa in x86-64 x86-64-v3 x86-64-v4; do
    case $isa in
        x86-64-v3) grep -q ' avx2 ' /proc/cpuinfo && grep -q ' fma ' /proc/cpuinfo || { echo "$isa: not supported here, skipped"; continue; } ;;
        x86-64-v4) grep -q ' avx512f ' /proc/cpuinfo && grep -q ' avx512bw ' /proc/cpuinfo || { echo "$isa: not supported here, skipped"; continue; } ;;
    esac
    # The baseline build leaves out the AVX-512 paths taken at run time, so that their portable
    # counterparts are checked too.
    runtime=1
    [ "$isa" = x86-64 ] && runtime=0
    "$cc" -O2 -march="$isa" -ffp-contract=on -DPOLYNET_CLONES= -DPOLYNET_RUNTIME_AVX512=$runtime \
        -ISources/CKernels/include -ISources/CKernels \
        Sources/CKernels/*.c scripts/c-kernels/check.c -lm -o "$work/check-$isa"
    printf '%s: ' "$isa"
    "$work/check-$isa"
done
