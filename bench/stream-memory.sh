#!/usr/bin/env bash
# Stream memory under sustained load (docs/benchmarks.md, "Memory"): a running `bin/digitflow stream`
# gets ROUNDS rounds of FILES MNIST test PNGs (renamed into its inbox at once, each round after the
# previous one is scored); after each round it prints the stream's resident memory (VmRSS) and,
# from the stream's own /metrics, the JVM heap in use and the direct buffers.
# Usage: bench/stream-memory.sh [ROUNDS] [FILES]       (defaults 10 and 5000: 50,000 files)
# Cassandra: a fresh node of its own (BENCH_CASSANDRA_PORT, default 9542), or DIGITFLOW_CASSANDRA.
# The model is the store's LATEST (DIGITFLOW_MODELS, default models). Logs: var/bench/stream-memory/.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/own-cassandra.sh
ROUNDS="${1:-10}"
FILES="${2:-5000}"
WORK="var/bench/stream-memory"
PORT="${BENCH_METRICS_PORT:-9474}"
[[ -f "${DIGITFLOW_MODELS:-models}/LATEST" ]] || { echo "no model: bin/digitflow train --quick first" >&2; exit 1; }
rm -rf "$WORK/inbox" "$WORK/staging" "$WORK/checkpoint" "$WORK/quarantine" "$WORK/cassandra"
mkdir -p "$WORK/inbox" "$WORK/staging"
STREAM_PID=""
cleanup() {
  if [[ -n "$STREAM_PID" ]]; then kill -TERM "$STREAM_PID" 2>/dev/null; wait "$STREAM_PID" 2>/dev/null || true; fi
  stop_own_cassandra
}
trap cleanup EXIT
[[ -d "$WORK/digits" ]] || bench/java-main 1g io.digitflow.bench.DigitFiles "$WORK/digits" 0 "$FILES" >&2
own_cassandra "$WORK/cassandra"
DIGITFLOW_STREAM_METRICS_PORT="$PORT" bin/digitflow stream --inbox "$WORK/inbox" --checkpoint "$WORK/checkpoint" \
  --quarantine "$WORK/quarantine" --delete-processed >"$WORK/stream.out" 2>"$WORK/stream.err" &
STREAM_PID=$!
for _ in $(seq 1 300); do grep -q 'stream: watching' "$WORK/stream.err" && break; sleep 0.5; done
grep -q 'stream: watching' "$WORK/stream.err" || { tail -30 "$WORK/stream.err" >&2; exit 1; }

metric() { # NAME LABEL_FILTER -> summed value in MB
  curl -s "http://127.0.0.1:$PORT/metrics" | grep "^$1" | grep -- "$2" | awk '{ s += $2 } END { printf "%.0f", s / 1048576 }'
}
sample() { # LABEL
  printf '%-10s rss_mb=%s heap_used_mb=%s direct_buffers_mb=%s\n' "$1" \
    "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$STREAM_PID/status")" \
    "$(metric jvm_memory_used_bytes 'area="heap"')" "$(metric jvm_buffer_pool_used_bytes 'pool="direct"')"
}
echo "stream memory: $ROUNDS rounds of $FILES files; model $(cat "${DIGITFLOW_MODELS:-models}/LATEST"); load $(cut -d' ' -f1-3 /proc/loadavg)"
sample start
sources=("$WORK"/digits/*.png)
for round in $(seq 1 "$ROUNDS"); do
  for f in "${sources[@]}"; do ln "$f" "$WORK/staging/r$round-${f##*/}"; done
  start=$(date +%s.%N)
  find "$WORK/staging" -name '*.png' -exec mv -t "$WORK/inbox" {} +
  while [[ -n "$(find "$WORK/inbox" -name '*.png' -print -quit)" ]]; do sleep 0.2; done
  rate=$(echo "$FILES / ($(date +%s.%N) - $start)" | bc -l)
  sample "round $round" | sed "s/\$/ files_per_s=$(printf '%.0f' "$rate")/"
done
sleep 30
sample "idle 30 s"
