#!/usr/bin/env bash
# How many threads the embedded node should apply writes with (docs/cassandra.md): for each value
# of concurrent_writes, a fresh node with group commit-log sync takes ROWS predictions (inputs
# included) from two writer threads, 64 requests in flight each, as the stream's two tasks send
# them (WriteBenchmark, ROUNDS rounds, median). The values run in turn, PASSES times, and each is
# reported against the first value of its own pass, so a ratio never spans two passes.
# Usage: bench/cassandra-writes.sh [ROWS] [ROUNDS] [PASSES] [VALUES...]   (defaults 20000 3 2 16 64 128 256)
# Ports: BENCH_CASSANDRA_PORT / BENCH_CASSANDRA_STORAGE_PORT (defaults 9542/7500). Logs: var/bench/writes/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-20000}"
ROUNDS="${2:-3}"
PASSES="${3:-2}"
shift $(( $# < 3 ? $# : 3 ))
read -r -a VALUES <<<"${*:-16 64 128 256}"
WORK="var/bench/writes"
PORT="${BENCH_CASSANDRA_PORT:-9542}"
mkdir -p "$WORK"
LOG="$WORK/run-$(date -u +%Y%m%d-%H%M%S).log"
NODE=""
stop_node() { [[ -z "$NODE" ]] || CASSANDRA_DIR="$NODE" bin/lib/cassandra-node stop >/dev/null 2>&1 || true; NODE=""; }
trap stop_node EXIT
bin/digitflow build >&2
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $ROWS rows x $ROUNDS rounds per value" | tee "$LOG"
for pass in $(seq 1 "$PASSES"); do
  base=""
  for value in "${VALUES[@]}"; do
    NODE="$PWD/$WORK/node"
    rm -rf "$NODE"
    CASSANDRA_DIR="$NODE" CASSANDRA_PORT="$PORT" CASSANDRA_STORAGE_PORT="${BENCH_CASSANDRA_STORAGE_PORT:-7500}" \
      CASSANDRA_CONCURRENT_WRITES="$value" bin/lib/cassandra-node start >/dev/null 2>&1
    out=$(DIGITFLOW_CASSANDRA="127.0.0.1:$PORT" bench/java-main 1g io.digitflow.bench.WriteBenchmark "$ROWS" "$ROUNDS" \
      "$(cat "$NODE/node.pid")" 2)
    stop_node
    printf '%s\n' "$out" | sed "s/^/pass=$pass concurrent_writes=$value /" >>"$LOG"
    rate=$(printf '%s\n' "$out" | sed -n 's/^writes rate=\([0-9]*\)$/\1/p')
    base=${base:-$rate}
    printf 'pass %d  concurrent_writes %4d  %6d rows/s  %5.2f x concurrent_writes %d\n' "$pass" "$value" "$rate" \
      "$(echo "$rate / $base" | bc -l)" "${VALUES[0]}" | tee -a "$LOG"
  done
done
echo "log: $LOG"
