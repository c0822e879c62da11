#!/usr/bin/env bash
# A/B of two versions of the code in one run: an older commit (A) against the working tree (B),
# measured alternately A, B, A, B... so that whatever else the machine does hits both alike.
#   bench/ab.sh REV stream [ROUNDS] [N]   the stream's warm throughput and drop latency
#                                         (bench/pipeline.sh's stream phase: N files, 100 drops)
#   bench/ab.sh REV train  [ROUNDS]       bin/digitflow train --quick: wall time and test accuracy
#   bench/ab.sh REV ceiling [ROUNDS] [N]  one JVM decoding and scoring N MNIST PNGs (CeilingBenchmark,
#                                         2 threads x 1 native thread, 3 runs per round: median)
#   bench/ab.sh REV first-upload [ROUNDS] bench/first-upload.sh: a fresh stream's first upload and
#                                         its warm drops, 3 fresh streams per round
#   bench/ab.sh REV score [ROUNDS] [N]    bin/digitflow score of N MNIST PNGs: whole command (JVM
#                                         start included) and in job, both trees on one Cassandra node,
#                                         its tables emptied before each run
# A is checked out with git worktree under var/bench/ab/<commit> and built there. Both trees score
# with the model store's LATEST (DIGITFLOW_MODELS, default models) for the stream measure.
# Run it on a quiet machine; logs under var/bench/ab/.
set -euo pipefail
cd "$(dirname "$0")/.."
USAGE="usage: bench/ab.sh REV stream|train|ceiling|first-upload|score [ROUNDS] [N]"
REV="${1:?$USAGE}"
MEASURE="${2:?$USAGE}"
ROUNDS="${3:-2}"
N="${4:-10000}"
B="$PWD"
commit=$(git rev-parse --short "$REV")
A="$B/var/bench/ab/$commit"
LOG="$B/var/bench/ab/$MEASURE-$commit-$(date -u +%Y%m%d-%H%M%S).log"
mkdir -p "$(dirname "$LOG")"
say() { printf '== %s\n' "$*" | tee -a "$LOG" >&2; }

if [[ ! -d "$A" ]]; then
  git worktree add --detach "$A" "$commit" >&2
fi
mkdir -p "$A/var"
[[ -e "$A/var/mnist" ]] || ln -s "$B/var/mnist" "$A/var/mnist"
say "building A ($commit) and B (working tree)"
"$A/bin/digitflow" build >&2
"$B/bin/digitflow" build >&2
MODELS="$(realpath "${DIGITFLOW_MODELS:-models}")"

run_stream() { # TREE LABEL
  DIGITFLOW_MODELS="$MODELS" BENCH_PHASES=stream BENCH_REPEATS=1 "$1/bench/pipeline.sh" "$N" 100 2>>"$LOG.err" \
    | grep -E '^(stream, first|drop-to-row|stream RSS|ceiling \()' | sed "s/^/$2 /" | tee -a "$LOG"
}

run_ceiling() { # TREE LABEL
  local digits="$B/var/bench/ab/digits-$N"
  [[ -d "$digits" ]] || "$B/bench/java-main" 1g io.digitflow.bench.DigitFiles "$digits" 0 "$N" >&2
  (cd "$1" && JVM_OPTIONS_FILE=conf/scoring-jvm.options bench/java-main 1g io.digitflow.bench.CeilingBenchmark \
    "$digits" "$MODELS" 3 2:1 2>>"$LOG.err") | grep '^ceiling' | sed "s/^/$2 /" | tee -a "$LOG"
}

run_first_upload() { # TREE LABEL
  (cd "$1" && DIGITFLOW_MODELS="$MODELS" bench/first-upload.sh 3 10 2>>"$LOG.err") | grep -E '^(round|first upload)' \
    | sed "s/^/$2 /" | tee -a "$LOG"
}

run_score() { # TREE LABEL
  local digits="$B/var/bench/ab/digits-$N" start out
  [[ -d "$digits" ]] || "$B/bench/java-main" 1g io.digitflow.bench.DigitFiles "$digits" 0 "$N" >&2
  if [[ -z "${DIGITFLOW_CASSANDRA:-}" ]]; then
    (cd "$B" && source bench/lib/own-cassandra.sh && rm -rf var/bench/ab/cassandra && own_cassandra var/bench/ab/cassandra)
    export DIGITFLOW_CASSANDRA="127.0.0.1:${BENCH_CASSANDRA_PORT:-9542}" SCORE_NODE="$B/var/bench/ab/cassandra"
  fi
  "$B/bench/java-main" 1g io.digitflow.bench.EmptyTables >>"$LOG.err" # each run on empty tables (EmptyTables)
  start=$(date +%s.%N)
  out=$(cd "$1" && DIGITFLOW_MODELS="$MODELS" bin/digitflow score "$digits" 2>>"$LOG.err" | grep '^scored')
  echo "$2 wall_s=$(echo "$(date +%s.%N) - $start" | bc) $out" | tee -a "$LOG"
}
trap '[[ -z "${SCORE_NODE:-}" ]] || CASSANDRA_DIR="$SCORE_NODE" "$B/bin/lib/cassandra-node" stop >&2 || true' EXIT

run_train() { # TREE LABEL
  local models out start
  models=$(mktemp -d "$B/var/bench/ab/models-XXXX")
  start=$SECONDS
  out=$(DIGITFLOW_MODELS="$models" "$1/bin/digitflow" train --quick 2>>"$LOG.err" | grep '^trained')
  echo "$2 $out (wall $((SECONDS - start)) s)" | tee -a "$LOG"
  rm -rf "$models"
}

say "A = $commit, B = working tree ($(git rev-parse --short HEAD) + changes); $MEASURE, $ROUNDS rounds; load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    tree=$A; [[ $side == B ]] && tree=$B
    say "round $round, $side"
    case "$MEASURE" in
      stream) run_stream "$tree" "$side" ;;
      train) run_train "$tree" "$side" ;;
      ceiling) run_ceiling "$tree" "$side" ;;
      first-upload) run_first_upload "$tree" "$side" ;;
      score) run_score "$tree" "$side" ;;
      *) echo "unknown measure $MEASURE (stream, train, ceiling, first-upload, score)" >&2; exit 2 ;;
    esac
  done
done
say "done; log $LOG"
