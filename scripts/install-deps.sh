#!/usr/bin/env bash
# Installs the C libraries PolyNet links against (OpenBLAS, LAPACKE, zlib) when missing.
# Debian/Ubuntu with apt; Swift itself must already be installed.
set -euo pipefail
missing=()
for package in libopenblas-dev liblapacke-dev zlib1g-dev pkg-config; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
