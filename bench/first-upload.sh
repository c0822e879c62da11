#!/usr/bin/env bash
# Cold start (docs/benchmarks.md): ROUNDS times, a fresh `bin/digitflow stream` on an empty inbox
# and a fresh checkpoint; once it says it is watching, one page-like drawing is dropped and timed
# to its row, then WARM more, one at a time. Prints each round's first and warm p50, and medians.
# Cassandra: a fresh node of its own (port BENCH_CASSANDRA_PORT, default 9542), or DIGITFLOW_CASSANDRA.
# usage: bench/first-upload.sh [ROUNDS] [WARM]       (defaults 3 and 10)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/own-cassandra.sh
ROUNDS="${1:-3}"
WARM="${2:-10}"
WORK="var/bench/first-upload"
rm -rf "$WORK"; mkdir -p "$WORK"
[[ -f "${DIGITFLOW_MODELS:-models}/LATEST" ]] || { echo "no model: bin/digitflow train --quick first" >&2; exit 1; }
STREAM_PID=""
cleanup() {
  if [[ -n "$STREAM_PID" ]]; then kill -TERM "$STREAM_PID" 2>/dev/null; wait "$STREAM_PID" 2>/dev/null || true; fi
  stop_own_cassandra
}
trap cleanup EXIT
own_cassandra "$WORK/cassandra"
firsts=() warms=()
for round in $(seq 1 "$ROUNDS"); do
  r="$WORK/round-$round"; mkdir -p "$r/inbox"
  DIGITFLOW_STREAM_METRICS_PORT=0 bin/digitflow stream --inbox "$r/inbox" --checkpoint "$r/checkpoint" \
    --archive "$r/archive" --quarantine "$r/quarantine" >"$r/stream.out" 2>"$r/stream.err" &
  STREAM_PID=$!
  for _ in $(seq 1 300); do grep -q 'stream: watching' "$r/stream.err" && break; sleep 0.2; done
  line=$(bench/java-main 512m io.digitflow.bench.FirstUploadBenchmark "$r/staging" "$r/inbox" "$WARM" 2>>"$r/bench.err" | grep '^first_upload')
  # The first batch's own breakdown, as the stream logged it (BatchProgressLog).
  breakdown=$(grep -m1 -o 'batch 0 took .*' "$r/stream.err" || true)
  echo "round $round: $line | $breakdown"
  firsts+=("$(sed 's/.*first_ms=\([0-9]*\).*/\1/' <<<"$line")"); warms+=("$(sed 's/.*warm_p50_ms=\([0-9]*\).*/\1/' <<<"$line")")
  kill -TERM "$STREAM_PID"; wait "$STREAM_PID" 2>/dev/null || true; STREAM_PID=""
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "first upload after 'watching': median $(median "${firsts[@]}") ms; warm drops of the same runs: median p50 $(median "${warms[@]}") ms ($ROUNDS rounds, load $(cut -d' ' -f1-3 /proc/loadavg))"
