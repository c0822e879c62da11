#!/usr/bin/env bash
# Pipeline benchmarks (docs/benchmarks.md), all against baselines measured in the same run:
#   ceiling   one JVM reads, decodes, preprocesses and scores N MNIST test digits written as PNGs
#             (the project's Preprocessor and DigitClassifier, the pipeline's batch size, warmed up)
#   baseline  the same, plus the same rows written with the plain driver at the same consistency:
#             the program a user would write instead of the pipeline (BaselineBenchmark)
#   batch     bin/digitflow score DIR on the same files, Cassandra writes included
#   warm      the same job run again in a warm JVM (WarmBatchBenchmark), which splits what a fresh
#             JVM costs from what the pipeline costs
#   stream    the N files renamed into the inbox of a running bin/digitflow stream warmed until its
#             JIT settles, first rename to last row written; then single drops to readable rows
#             (p50/p95), and the stream's RSS
# Usage: bench/pipeline.sh [N] [LATENCY_SAMPLES]      (defaults 10000 and 100)
# BENCH_REPEATS (default 3): runs of each ceiling configuration and of the batch score; medians count.
# BENCH_PHASES="baseline batch warm stream" (the default) picks what runs; the ceiling always runs.
# Every measured run (baseline, score, stream) starts on emptied prediction tables, after its
# warm-up (EmptyTables): the same node state for each.
# Cassandra: a fresh node of its own under var/bench/pipeline/cassandra on BENCH_CASSANDRA_PORT /
# BENCH_CASSANDRA_STORAGE_PORT (defaults 9542/7500), or the cluster DIGITFLOW_CASSANDRA names.
# The model is the store's LATEST (DIGITFLOW_MODELS, default models). Logs: var/bench/pipeline/.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
SAMPLES="${2:-100}"
WORK="var/bench/pipeline"
MODELS="${DIGITFLOW_MODELS:-models}"
[[ -f "$MODELS/LATEST" ]] || { echo "no model in $MODELS: train one first (bin/digitflow train --quick)" >&2; exit 1; }
# Built now, so that no timed bin/digitflow command starts with a rebuild (it rebuilds when any
# source is newer than the last build).
bin/digitflow build >&2
rm -rf "$WORK/inbox" "$WORK/staging" "$WORK/checkpoint" "$WORK/quarantine"
mkdir -p "$WORK"
LOG="$WORK/run-$(date -u +%Y%m%d-%H%M%S).log"
say() { printf '== %s\n' "$*" | tee -a "$LOG" >&2; }

median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

bench_java() { # CLASS ARGS...  (the benchmark's own JVM, small heap)
  bench/java-main 1g "io.digitflow.bench.$1" "${@:2}"
}

STREAM_PID=""
cleanup() {
  if [[ -n "$STREAM_PID" ]] && kill -0 "$STREAM_PID" 2>/dev/null; then
    kill -TERM "$STREAM_PID"; wait "$STREAM_PID" 2>/dev/null || true
  fi
  [[ -n "${OWN_NODE:-}" ]] && CASSANDRA_DIR="$OWN_NODE" bin/lib/cassandra-node stop >&2 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rm -rf "$WORK/digits" "$WORK/score.out" # exactly N files, and no earlier run's figures in the summary
bench_java DigitFiles "$WORK/digits" 0 "$N" 2>&1 | tee -a "$LOG" >&2

if [[ -z "${DIGITFLOW_CASSANDRA:-}" ]]; then
  OWN_NODE="$PWD/$WORK/cassandra"
  rm -rf "$OWN_NODE"
  CASSANDRA_DIR="$OWN_NODE" CASSANDRA_PORT="${BENCH_CASSANDRA_PORT:-9542}" \
    CASSANDRA_STORAGE_PORT="${BENCH_CASSANDRA_STORAGE_PORT:-7500}" bin/lib/cassandra-node start 2>&1 | tee -a "$LOG" >&2
  export DIGITFLOW_CASSANDRA="127.0.0.1:${BENCH_CASSANDRA_PORT:-9542}"
  export BENCH_CASSANDRA_PID; BENCH_CASSANDRA_PID=$(cat "$OWN_NODE/node.pid") # the benchmarks report its CPU
fi

REPEATS="${BENCH_REPEATS:-3}"
say "ceiling: single JVM with the scoring JVMs' options; scoring x native threads 2x1, 2x2, 1x2, each $REPEATS times interleaved"
JVM_OPTIONS_FILE=conf/scoring-jvm.options bench_java CeilingBenchmark "$WORK/digits" "$MODELS" "$REPEATS" 2:1 2:2 1:2 | tee -a "$LOG"
ceiling=$(sed -n 's/^ceiling config=.* rate=\([0-9]*\).*/\1/p' "$LOG" | tail -1)

phases="${BENCH_PHASES:-baseline batch warm stream}"
baseline=""
if [[ " $phases " == *" baseline "* ]]; then
  say "baseline: one JVM scoring and writing the same rows with the plain driver, $REPEATS times"
  JVM_OPTIONS_FILE=conf/scoring-jvm.options bench_java BaselineBenchmark "$WORK/digits" "$MODELS" "$REPEATS" 2 | tee -a "$LOG"
  baseline=$(sed -n 's/^baseline rate=\([0-9]*\).*/\1/p' "$LOG" | tail -1)
fi
wall="" in_job="" warm_in_job="" stream_rate=""
if [[ " $phases " == *" batch "* ]]; then
  say "batch: bin/digitflow score $WORK/digits, $REPEATS times, each on emptied tables"
  walls=() in_jobs=()
  for _ in $(seq 1 "$REPEATS"); do
    bench_java EmptyTables | tee -a "$LOG"
    start=$(date +%s.%N)
    bin/digitflow score "$WORK/digits" > "$WORK/score.out" 2> "$WORK/score.err" &
    score_pid=$!
    # where the command's CPU went (compilers, tasks, driver) and the node's, read until it exits
    bench_java ProcessCpu "$score_pid" "batch score" > "$WORK/score.cpu" &
    watch_pid=$!
    wait "$score_pid" || { tail -30 "$WORK/score.err" >&2; exit 1; }
    walls+=("$(echo "$(date +%s.%N) - $start" | bc)")
    wait "$watch_pid" || true
    in_jobs+=("$(sed -n 's/^scored [0-9,]* files in \([0-9.]*\) s.*/\1/p' "$WORK/score.out")")
    tee -a "$LOG" < "$WORK/score.out"
    tee -a "$LOG" < "$WORK/score.cpu"
  done
  wall=$(median "${walls[@]}")
  in_job=$(median "${in_jobs[@]}")
fi
if [[ " $phases " == *" warm "* ]]; then
  say "batch, warm JVM: the same job $((REPEATS + 1)) times in one JVM (WarmBatchBenchmark); runs 2.. count"
  JVM_OPTIONS_FILE=conf/scoring-jvm.options \
    JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.maxbytes=512m -Dorg.bytedeco.javacpp.maxphysicalbytes=3500m" \
    bench/java-main 1536m io.digitflow.bench.WarmBatchBenchmark "$WORK/digits" $((REPEATS + 1)) \
    > "$WORK/score-warm.out" 2> "$WORK/score-warm.err" || { tail -30 "$WORK/score-warm.err" >&2; exit 1; }
  tee -a "$LOG" < "$WORK/score-warm.out"
  mapfile -t warm_jobs < <(sed -n 's/^scored [0-9,]* files in \([0-9.]*\) s.*/\1/p' "$WORK/score-warm.out" | tail -n +2)
  warm_in_job=$(median "${warm_jobs[@]}")
fi

if [[ " $phases " == *" stream "* ]]; then
  say "stream: bin/digitflow stream, $N files then $SAMPLES single drops"
  mkdir -p "$WORK/inbox"
  bin/digitflow stream --inbox "$WORK/inbox" --checkpoint "$WORK/checkpoint" --quarantine "$WORK/quarantine" \
    --delete-processed > "$WORK/stream.out" 2> "$WORK/stream.err" &
  STREAM_PID=$!
  for _ in $(seq 1 180); do grep -q 'stream: watching' "$WORK/stream.err" && break; sleep 1; done
  grep -q 'stream: watching' "$WORK/stream.err" || { tail -30 "$WORK/stream.err" >&2; exit 1; }
  bench_java StreamBenchmark "$WORK/digits" "$WORK/staging" "$WORK/inbox" "$STREAM_PID" "$SAMPLES" | tee -a "$LOG"
fi

field() { grep "^$1" "$LOG" | tail -1 | sed "s/.* $2=\([0-9.]*\).*/\1/"; }
ratio_line() { # LABEL SECONDS_OR_EMPTY
  [[ -n "$2" ]] || return 0
  local rate; rate=$(echo "$N / $2" | bc -l)
  if [[ -n "$baseline" ]]; then
    printf '%-44s %10.0f %8.2f %10.2f\n' "$1" "$rate" "$(echo "$rate / $ceiling" | bc -l)" "$(echo "$rate / $baseline" | bc -l)"
  else
    printf '%-44s %10.0f %8.2f\n' "$1" "$rate" "$(echo "$rate / $ceiling" | bc -l)"
  fi
}
[[ " $phases " == *" stream "* ]] && stream_seconds=$(field "stream files" seconds) || stream_seconds=""
{
  echo
  echo "files: $N MNIST test digits as 28x28 PNG; model $(cat "$MODELS/LATEST"); load now: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-44s %10s %8s %10s\n' "measure" "files/s" "/ceiling" "/baseline"
  printf '%-44s %10s %8s\n' "ceiling (best config's median of $REPEATS)" "$ceiling" "1.00"
  [[ -n "$baseline" ]] && printf '%-44s %10s %8.2f %10s\n' "baseline: one JVM + plain driver (median of $REPEATS)" "$baseline" "$(echo "$baseline / $ceiling" | bc -l)" "1.00"
  ratio_line "batch score, in job (median of $REPEATS)" "$in_job"
  ratio_line "batch score, whole command (median of $REPEATS)" "$wall"
  ratio_line "batch score, in job, warm JVM (median of $REPEATS)" "$warm_in_job"
  ratio_line "stream, first rename to last row written" "$stream_seconds"
  grep -o '(tasks waited.*)' "$WORK/score.out" 2>/dev/null | sed 's/^/batch score: /' || true
  if [[ -n "$stream_seconds" ]]; then
    echo "drop-to-row latency: p50 $(field latency p50_ms) ms, p95 $(field latency p95_ms) ms, max $(field latency max_ms) ms ($SAMPLES drops after $N files)"
    echo "stream RSS: streaming mean $(field 'rss phase=streaming' mean_mb) MB / max $(field 'rss phase=streaming' max_mb) MB, idle $(field 'rss phase=idle' mean_mb) MB"
  fi
  echo "log: $LOG"
} | tee -a "$LOG"
