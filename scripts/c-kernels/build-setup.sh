# Sourced by the scripts that build the C kernels outside Swift (check-c-kernels.sh,
# bench-sparse-kernels.sh), from the repository's root: the compiler in $cc (clang unless CC
# names another, gcc when clang is missing) and a temporary folder in $work, removed on exit.
cc=${CC:-clang}
command -v "$cc" >/dev/null || cc=gcc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
