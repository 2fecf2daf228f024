#!/usr/bin/env bash
# End to end on MNIST: train a 784→256→10 ReLU MLP with log-spaced checkpoints, convert it to
# its linear and quadratic approximants under the data Gaussian, and write an HTML report
# (eigen-features, SVD attack with random control, eigen attack, complexity over training).
# Usage: bash examples/mnist-interpretability.sh [OUTPUT_DIR]   (default: runs/interpretability)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/interpretability}
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
swift build -c release --product polynet
polynet=.build/release/polynet
"$polynet" train --arch "dense(784,256) relu dense(256,10)" --epochs 5 --batch-size 64 \
    --optimizer adam --learning-rate 1e-3 --seed 0 \
    --checkpoint-steps 0,1,2,4,8,16,32,64,128,256,512,1024,2048,4096 --out "$out/model"
"$polynet" convert --checkpoint "$out/model" --degree 2 --distribution data
"$polynet" explain report --run "$out/model" --distribution data --out "$out/report"
echo "Open $out/report/index.html in a browser."
