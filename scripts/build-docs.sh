#!/usr/bin/env bash
# Builds PolyNet's documentation with swift-docc-plugin: one DocC archive per library module plus
# the PolyNet catalog (landing page, module map and the workflow articles), combined into one
# archive so that pages link across modules. Not part of CI (a few minutes on two cores).
#
#   bash scripts/build-docs.sh            # → .build/docs/PolyNet.doccarchive (open with `docc preview` or Xcode)
#   bash scripts/build-docs.sh --static   # → .build/docs-static, a static website
#                                         #   (--transform-for-static-hosting; serve the folder, e.g.
#                                         #   python3 -m http.server -d .build/docs-static 8000, and open
#                                         #   http://localhost:8000/documentation/polynet/)
#   HOSTING_BASE_PATH=PolyNet bash scripts/build-docs.sh --static   # for https://host/PolyNet/…
#
# Exits non-zero when DocC reports any warning; then prints the public symbols without a summary
# counted from the symbol graphs (scripts/count-doc-summaries.py).
set -euo pipefail
cd "$(dirname "$0")/.."

modules=(LinearAlgebra Polynomials Activations NeuralNetworks Training PolynomialConversion Polynomialization
         Interpretability Datasets Interop Plotting FileSystem PolyNet)
targets=()
for module in "${modules[@]}"; do targets+=(--target "$module"); done

options=()
output=.build/docs
if [[ "${1:-}" == "--static" ]]; then
    output=.build/docs-static
    options+=(--transform-for-static-hosting)
    if [[ -n "${HOSTING_BASE_PATH:-}" ]]; then options+=(--hosting-base-path "$HOSTING_BASE_PATH"); fi
fi
rm -rf "$output"
mkdir -p "$output"
log=.build/docs-build.log

start=$(date +%s)
swift package --disable-sandbox --allow-writing-to-directory "$output" generate-documentation \
    --enable-experimental-combined-documentation "${targets[@]}" \
    --output-path "$output" "${options[@]}" 2>&1 | tee "$log" | grep -E "^(warning|error)|Finished building|Generated" || true
status=${PIPESTATUS[0]}
seconds=$(( $(date +%s) - start ))

warnings=$(grep -c "^warning:" "$log" || true)
echo "documentation built in ${seconds}s into $output with $warnings warnings (full log: $log)"
python3 scripts/count-doc-summaries.py || echo "(public symbols without a summary: run scripts/count-doc-summaries.py --list)"
if [[ $status -ne 0 || $warnings -ne 0 ]]; then exit 1; fi
