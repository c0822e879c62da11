#!/usr/bin/env bash
# Accuracy on the inputs MNIST lacks (docs/benchmarks.md, "Robustness"): low resolution, blur,
# thin and thick strokes, faint ink, slant, each set rendered from MNIST test digits as uploads and
# scored through the real preprocessing, beside clean MNIST in the same run.
# usage: bench/robustness.sh [MODELS_DIR] [N]     (defaults: models, 2000 digits)
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/java-main 2g io.digitflow.train.RobustnessBenchmark "${1:-models}" "${2:-2000}"
