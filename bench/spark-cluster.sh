#!/usr/bin/env bash
# A real Spark standalone cluster from the project's own jars (no Spark install, no Docker): one
# master and two workers (1 core, 2g each) on 127.0.0.1. Submits the training job and then the
# batch-scoring job with `bin/digitflow submit --master spark://…`, shows from the event logs and
# the workers' JSON which executor on which worker ran how many tasks, checks the rows in
# Cassandra (one node of its own) and compares the wall time with the same jobs on local[2] in the
# same run. Everything it starts is stopped at the end, also on failure or Ctrl-C.
#
# usage: bench/spark-cluster.sh [--files N] [--limit N] [--no-baseline]
#   --files N      MNIST test digits to score, as PNGs (default 300)
#   --limit N      training images (default 6000; 1 epoch of the cnn, 2 data-parallel workers)
#   --no-baseline  skip the local[2] runs (no ratios then)
# Ports (environment): SPARK_CLUSTER_MASTER_PORT 7177, SPARK_CLUSTER_UI_PORT 8180 (workers' UIs
# on the next two ports), CLUSTER_CQL_PORT 9342, CLUSTER_STORAGE_PORT 7300.
# Work files, logs and event logs: var/spark-cluster/ (cleared at each run).
set -euo pipefail
# shellcheck source=bench/lib/cluster.sh
source "$(dirname "$0")/lib/cluster.sh"

FILES=300
LIMIT=6000
BASELINE=true
while (($#)); do
  case "$1" in
    --files) FILES=$2; shift 2 ;;
    --limit) LIMIT=$2; shift 2 ;;
    --no-baseline) BASELINE=false; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

HOST=127.0.0.1
MASTER_PORT=${SPARK_CLUSTER_MASTER_PORT:-7177}
UI_PORT=${SPARK_CLUSTER_UI_PORT:-8180}
MASTER="spark://$HOST:$MASTER_PORT"
WORKERS=2
WORKER_MEMORY=2g      # what a worker offers its executors
EXECUTOR_MEMORY=1200m # one executor per worker, one core each
DRIVER_HEAP=1500m
WORK="$ROOT/var/spark-cluster"

export CASSANDRA_DIR="$WORK/cassandra" CASSANDRA_HOST=$HOST
export CASSANDRA_PORT=${CLUSTER_CQL_PORT:-9342} CASSANDRA_STORAGE_PORT=${CLUSTER_STORAGE_PORT:-7300}
export DIGITFLOW_CASSANDRA="$HOST:$CASSANDRA_PORT"
export DIGITFLOW_MODELS="$WORK/models"

declare -a PIDS=() NAMES=()
cleanup() {
  set +e # stop everything even when one step fails
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}" "${NAMES[i]}"; done
  "$ROOT/bin/lib/cassandra-node" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_daemon() { # NAME MAIN ARGS... — a Spark daemon JVM with Spark's own INFO logging to var/spark-cluster/NAME.log
  local name=$1 main=$2
  shift 2
  # The worker builds each executor's command with Spark's launcher, which insists on a Scala
  # version and a SPARK_HOME with a jars/ folder; the executors' classes come from
  # spark.executor.extraClassPath (bin/digitflow submit), so that folder stays empty.
  # shellcheck disable=SC2046
  SPARK_SCALA_VERSION=2.12 SPARK_HOME="$WORK/spark-home" \
    java -Xmx256m $(jvm_flags) -cp "$(pipeline_classpath)" "$main" "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  NAMES+=("$name")
}

master_json() { curl -fsS -m 5 "http://$HOST:$UI_PORT/json/" 2>/dev/null; }
alive_workers() { master_json | jq -e ".aliveworkers == $WORKERS" >/dev/null; }

# The event log of the application that just finished (Spark names it after the app id).
latest_event_log() { ls -t "$WORK/events"/app-* | grep -v inprogress | head -n 1; }

# Which executor, on which worker (its UI address in the executor's log URL), ran how many tasks.
# Fails unless the tasks ran on $WORKERS different executors.
show_placement() { # EVENT_LOG
  local events=$1 lines
  lines=$(jq -rs '
    (map(select(.Event == "SparkListenerApplicationStart"))[0]) as $app
    | (map(select(.Event == "SparkListenerExecutorAdded")
           | {key: .["Executor ID"], value: (.["Executor Info"]["Log Urls"].stderr | capture("//(?<w>[^/]+)/").w)})
       | from_entries) as $worker
    | map(select(.Event == "SparkListenerTaskEnd")) | group_by(.["Task Info"]["Executor ID"])[]
    | .[0]["Task Info"]["Executor ID"] as $id
    | "  \($app["App Name"]) \($app["App ID"]): executor \($id) on the worker with UI \($worker[$id]) ran \(length) tasks, "
      + "\(map(select(.["Task End Reason"].Reason == "Success")) | length) succeeded, "
      + "\(map(.["Task Info"]["Finish Time"] - .["Task Info"]["Launch Time"]) | add / 1000 | floor) s busy"' "$events")
  printf '%s\n' "$lines"
  local executors
  executors=$(printf '%s\n' "$lines" | grep -c 'succeeded' || true)
  ((executors == WORKERS)) || die "tasks ran on $executors executors, expected $WORKERS (one per worker)"
}

# The workers' own view: the executors each launched, per application.
show_workers() {
  local w
  for ((w = 1; w <= WORKERS; w++)); do
    curl -fsS -m 5 "http://$HOST:$((UI_PORT + w))/json/" | jq -r --arg ui "$HOST:$((UI_PORT + w))" \
      '"  worker \(.id) (UI \($ui)): " + ([.finishedexecutors[], .executors[] | "\(.appid)/\(.id)"] | join(", "))'
  done
}

# ---------------------------------------------------------------- start

ensure_ready
rm -rf "$WORK"
mkdir -p "$WORK/events" "$WORK/spark-home/jars"
log "Cassandra node for the results on $DIGITFLOW_CASSANDRA"
"$ROOT/bin/lib/cassandra-node" start

log "Spark master on $MASTER (UI http://$HOST:$UI_PORT)"
start_daemon master org.apache.spark.deploy.master.Master --host "$HOST" --port "$MASTER_PORT" --webui-port "$UI_PORT"
wait_until 120 master_json >/dev/null || die "the master did not answer (log: $WORK/master.log)"
for ((w = 1; w <= WORKERS; w++)); do
  mkdir -p "$WORK/worker$w"
  start_daemon "worker$w" org.apache.spark.deploy.worker.Worker --host "$HOST" --cores 1 --memory "$WORKER_MEMORY" \
    --webui-port "$((UI_PORT + w))" --work-dir "$WORK/worker$w" "$MASTER"
done
wait_until 180 alive_workers || die "the workers did not register (logs: $WORK/worker*.log)"
master_json | jq -r '.workers[] | select(.state == "ALIVE") | "  worker \(.id): \(.cores) core, \(.memory) MB, UI \(.webuiaddress)"'

submit() { # ARGS... — bin/digitflow submit against the cluster, event log on
  DIGITFLOW_HEAP=$DRIVER_HEAP "$ROOT/bin/digitflow" submit --master "$MASTER" \
    --executor-memory "$EXECUTOR_MEMORY" --total-executor-cores "$WORKERS" \
    --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$WORK/events" "$@"
}

# on_cluster VAR LOG RESULT_LINES SUBMIT_ARGS... — a job on the cluster: its wall time into VAR,
# its result lines (a grep -E pattern) and where its tasks ran.
on_cluster() {
  local var=$1 out=$2 pattern=$3
  shift 3
  timed "$var" "$out" submit "$@"
  grep -E "$pattern" "$out" | sed 's/^/  /'
  show_placement "$(latest_event_log)"
}

# ---------------------------------------------------------------- training

TRAIN_ARGS=(--architecture cnn --epochs 1 --limit "$LIMIT" --workers "$WORKERS" --seed 42)
log "training on the cluster: spark-submit --class io.digitflow.train.TrainJob … ${TRAIN_ARGS[*]}"
on_cluster train_cluster "$WORK/train-cluster.log" '^(epoch|trained|published)' --class io.digitflow.train.TrainJob \
  "$ROOT/model-training/target/digitflow-model-training-0.1.0-SNAPSHOT.jar" "${TRAIN_ARGS[@]}" --master "$MASTER"

if $BASELINE; then
  log "baseline: the same training on local[2] in one JVM"
  timed train_local "$WORK/train-local.log" env DIGITFLOW_HEAP=3g DIGITFLOW_MODELS="$WORK/models-baseline" \
    "$ROOT/bin/digitflow" train "${TRAIN_ARGS[@]}" --master 'local[2]'
  grep -E '^trained' "$WORK/train-local.log" | sed 's/^/  /'
fi

# ---------------------------------------------------------------- scoring

log "writing $FILES MNIST test digits as PNGs"
helper MnistPngs "$WORK/digits" "$FILES"
(cd "$WORK/digits" && ls) >"$WORK/names.txt"

if $BASELINE; then
  log "baseline: scoring them on local[2] (bin/digitflow score) with the model trained on the cluster"
  timed score_local "$WORK/score-local.log" env DIGITFLOW_HEAP=2g \
    "$ROOT/bin/digitflow" score "$WORK/digits" --csv "$WORK/score-local.csv"
fi

log "scoring them on the cluster: bin/digitflow submit --class io.digitflow.pipeline.batch.BatchScoreJob"
on_cluster score_cluster "$WORK/score-cluster.log" '^scored' --class io.digitflow.pipeline.batch.BatchScoreJob \
  "$ROOT/pipeline/target/digitflow-pipeline-0.1.0-SNAPSHOT.jar" "$WORK/digits" --csv "$WORK/score-cluster.csv"
if $BASELINE; then
  cmp -s "$WORK/score-local.csv" "$WORK/score-cluster.csv" \
    || die "the cluster's predictions differ from local[2]'s: diff $WORK/score-local.csv $WORK/score-cluster.csv"
  log "the cluster's CSV is identical to local[2]'s ($FILES files)"
fi

log "executors as the workers report them"
show_workers
log "rows in Cassandra"
helper RowCheck "$WORK/names.txt" | sed 's/^/  /'

# ---------------------------------------------------------------- summary

echo
echo "spark standalone cluster, 2 workers × 1 core (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %-34s %8s s' "train cnn, 1 epoch, $LIMIT images" "$train_cluster"
$BASELINE && printf '   local[2] %8s s   cluster/local %s' "$train_local" "$(ratio "$train_cluster" "$train_local")"
echo
printf '  %-34s %8s s' "score $FILES PNGs into Cassandra" "$score_cluster"
$BASELINE && printf '   local[2] %8s s   cluster/local %s' "$score_local" "$(ratio "$score_cluster" "$score_local")"
echo
echo "  logs, event logs and executor work dirs: ${WORK#"$ROOT"/}/"
