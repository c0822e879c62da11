# Shared by bench/spark-cluster.sh and bench/cassandra-cluster.sh (sourced, not run): the
# project's classpaths and Java 17 flags, the cluster helpers under pipeline's test classes
# (io.digitflow.cluster.MnistPngs, RowCheck), timestamps, waiting and stopping processes.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; } # START → seconds since
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

jvm_flags() { cat "$ROOT/config/target/classes/digitflow/jvm.flags"; }
pipeline_classpath() { printf '%s:%s' "$ROOT/pipeline/target/classes" "$(cat "$ROOT/pipeline/target/runtime-classpath.txt")"; }

# The benchmarks need the build (the helpers live in the bench module) and MNIST.
ensure_ready() {
  command -v jq >/dev/null || die "jq is missing (apt-get install jq)"
  if [[ ! -f "$ROOT/bench/target/classes/io/digitflow/cluster/RowCheck.class" ]]; then
    "$ROOT/bin/digitflow" build
  fi
  "$ROOT/bin/lib/mnist-fetch"
}

# helper MAIN ARGS... — one of the io.digitflow.cluster helpers, with a small heap.
helper() {
  local main=$1
  shift
  "$ROOT/bench/java-main" 256m "io.digitflow.cluster.$main" "$@"
}

# wait_until SECONDS COMMAND... — polls every half second; non-zero when time ran out.
wait_until() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# stop_pid PID NAME — SIGTERM, up to 30 s, then SIGKILL; only the process this script started.
stop_pid() {
  local pid=$1 name=$2
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  wait_until 30 eval "! kill -0 $pid 2>/dev/null" && return 0
  log "$name did not stop in 30 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# timed VAR LOG COMMAND... — runs COMMAND with its output in LOG and sets VAR to its wall time in
# seconds; a failure shows the end of LOG and stops the benchmark.
timed() {
  local var=$1 out=$2 t
  shift 2
  t=$(now)
  "$@" >"$out" 2>&1 || { tail -n 30 "$out" >&2; die "$* (log: $out)"; }
  printf -v "$var" '%s' "$(elapsed "$t")"
}
