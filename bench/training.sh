#!/usr/bin/env bash
# Training benchmarks (docs/benchmarks.md): accuracy and wall time of each architecture, and the
# data-parallel speed-up of local[2] over a single JVM, both trained in one JVM interleaved round by
# round so a noisy machine slows both alike.
# Usage: bench/training.sh [full|speedup|softmax|seed|all]   (models go to var/bench-models)
# Run it on a quiet machine and do not rebuild the project meanwhile: the JVM loads classes from
# target/classes, and a rebuild under a running job breaks it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DIGITFLOW_MODELS="${DIGITFLOW_MODELS:-var/bench-models}"
out="var/bench/training-$(date -u +%Y%m%d-%H%M%S).log"
mkdir -p var/bench
what="${1:-all}"

run() { # LABEL ARGS...
  local label=$1; shift
  local start=$SECONDS
  echo "== $label: bin/digitflow train $*" | tee -a "$out"
  # The full output goes to the log (errors included); the progress lines also to the terminal.
  bin/digitflow train "$@" 2>&1 | tee -a "$out.full" | grep --line-buffered -E "^(epoch|trained|published|error)" | tee -a "$out"
  echo "== $label wall: $((SECONDS - start)) s" | tee -a "$out"
}

case "$what" in full|all) run full-cnn --architecture cnn --epochs 8 --master 'local[2]' --workers 2 ;; esac
case "$what" in speedup|all)
  echo "== speedup: bench/java-main 4g io.digitflow.train.SpeedupBenchmark 1 2" | tee -a "$out"
  bench/java-main 4g io.digitflow.train.SpeedupBenchmark 1 2 2>&1 | tee -a "$out.full" \
    | grep --line-buffered -E "^(\[|cnn|single|local|speed-up|Exception|error)" | tee -a "$out" ;;
esac
case "$what" in softmax|all) run softmax --architecture softmax --epochs 3 --master 'local[2]' --workers 2 ;; esac
case "$what" in seed|all) run seed-cnn --architecture seed-cnn --epochs 1 --master 'local[2]' --workers 2 ;; esac
echo "log: $out"
