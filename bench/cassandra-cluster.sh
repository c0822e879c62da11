#!/usr/bin/env bash
# A three-node Cassandra 5 cluster on 127.0.0.1, 127.0.0.2, 127.0.0.3 (loopback aliases, one node
# per address, same ports) from the project's own node script, a keyspace with replication factor
# 3, and the streaming pipeline writing at LOCAL_QUORUM while files are dropped into its inbox at a
# steady rate. Part-way through, one node (or two, --killed 2) is killed with kill -9 and, after a
# while, started again. With one node down a quorum (2 of 3) still acknowledges every write; with
# two down none can, so no file may be scored until they are back. At the end every dropped file
# must have exactly one row (read at consistency ALL) and the inbox must be empty. Prints throughput and backlog before, during and after the outage, and the
# node's restart time. Everything it starts is stopped at the end, also on failure or Ctrl-C.
#
# usage: bench/cassandra-cluster.sh [--rate N] [--seconds N] [--kill-at N] [--down N] [--victim K]
#   --rate N     files dropped per second (default 10)
#   --seconds N  how long files are dropped (default 150)
#   --kill-at N  seconds after the first drop when the node is killed (default 40)
#   --down N     seconds the node stays dead before it is started again (default 30)
#   --victim K   which node (1-3) is killed (default 1, the first contact point and a seed)
#   --killed N   how many nodes die (1 or 2; the second is the victim's next); default 1
# Ports (environment): CLUSTER_CQL_PORT 9342, CLUSTER_STORAGE_PORT 7300 on every address.
# Needs a model in DIGITFLOW_MODELS (default models/); if there is none, a softmax model is trained
# first (~10 s). Node directories, stream state and logs: var/cassandra-cluster/ (cleared at each run).
set -euo pipefail
# shellcheck source=bench/lib/cluster.sh
source "$(dirname "$0")/lib/cluster.sh"

RATE=10
DURATION=150
KILL_AT=40
DOWN=30
VICTIM=1
KILLED=1
while (($#)); do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --seconds) DURATION=$2; shift 2 ;;
    --kill-at) KILL_AT=$2; shift 2 ;;
    --down) DOWN=$2; shift 2 ;;
    --victim) VICTIM=$2; shift 2 ;;
    --killed) KILLED=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
((VICTIM >= 1 && VICTIM <= 3)) || { echo "--victim must be 1, 2 or 3" >&2; exit 2; }
((KILLED == 1 || KILLED == 2)) || { echo "--killed must be 1 or 2" >&2; exit 2; }
((KILL_AT + DOWN < DURATION)) || { echo "--kill-at + --down must end before --seconds" >&2; exit 2; }

NODES=3
CQL_PORT=${CLUSTER_CQL_PORT:-9342}
STORAGE_PORT=${CLUSTER_STORAGE_PORT:-7300}
FILES=$((RATE * DURATION))
WORK="$ROOT/var/cassandra-cluster"
STREAM_HEAP=2g

node_host() { echo "127.0.0.$1"; }
contact_points() { local i s=""; for ((i = 1; i <= NODES; i++)); do s+="${s:+,}$(node_host "$i"):$CQL_PORT"; done; echo "$s"; }

# node K start|stop — the project's node script with node K's address, directory and token.
# Tokens are evenly spaced over Murmur3's range, one per node (num_tokens 1, no bootstrap).
# The start timeout is generous: on a 2-core box under a load average of 30, a restart took
# 102 s once and more than 180 s another time (the JVM alone took 36 s to start).
node() {
  local k=$1 action=$2
  local step=$((9223372036854775807 / NODES * 2))
  CASSANDRA_DIR="$WORK/node$k" CASSANDRA_HOST="$(node_host "$k")" CASSANDRA_PORT=$CQL_PORT \
    CASSANDRA_STORAGE_PORT=$STORAGE_PORT CASSANDRA_SEEDS="$(node_host 1),$(node_host 2)" \
    CASSANDRA_INITIAL_TOKEN=$((-9223372036854775807 - 1 + (k - 1) * step)) CASSANDRA_HEAP=768M \
    CASSANDRA_SCHEMA=no CASSANDRA_START_TIMEOUT=600 "$ROOT/bin/lib/cassandra-node" "$action"
}

# How often node K's log says node J came up (gossip), to wait for the ring and for a restart.
times_seen_up() { grep -c "InetAddress /$(node_host "$2"):$STORAGE_PORT is now UP" "$WORK/node$1/log/system.log" 2>/dev/null || true; }
sees_all_up() { local k j; for ((k = 1; k <= NODES; k++)); do for ((j = 1; j <= NODES; j++)); do
  ((k == j)) || (($(times_seen_up "$k" "$j") > 0)) || return 1; done; done; }

STREAM_PID=""
DROPPER_PID=""
MONITOR_PID=""
cleanup() {
  set +e # stop everything even when one step fails (a background job that already ended, say)
  [[ -n "$DROPPER_PID" ]] && kill "$DROPPER_PID" 2>/dev/null
  [[ -n "$MONITOR_PID" ]] && kill "$MONITOR_PID" 2>/dev/null
  [[ -n "$STREAM_PID" ]] && stop_pid "$STREAM_PID" stream
  local k
  for ((k = NODES; k >= 1; k--)); do node "$k" stop >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- cluster

ensure_ready
export DIGITFLOW_MODELS="${DIGITFLOW_MODELS:-models}"
if [[ ! -f "$DIGITFLOW_MODELS/LATEST" ]]; then
  log "no model in $DIGITFLOW_MODELS: training a softmax model (~10 s)"
  DIGITFLOW_HEAP=2g "$ROOT/bin/digitflow" train --architecture softmax --epochs 1 --local >/dev/null
fi
rm -rf "$WORK"
mkdir -p "$WORK/staging" "$WORK/inbox"
for ((k = 1; k <= NODES; k++)); do
  log "starting node $k on $(node_host "$k"):$CQL_PORT"
  node "$k" start
done
log "waiting until every node sees the other two up (gossip)"
wait_until 180 sees_all_up || die "the ring did not form (logs: $WORK/node*/log/system.log)"

# ---------------------------------------------------------------- stream

export DIGITFLOW_CASSANDRA DIGITFLOW_REPLICATION
DIGITFLOW_CASSANDRA=$(contact_points)
DIGITFLOW_REPLICATION="{'class': 'NetworkTopologyStrategy', 'datacenter1': $NODES}"
log "stream on $DIGITFLOW_CASSANDRA, keyspace replication $DIGITFLOW_REPLICATION, writes at LOCAL_QUORUM"
DIGITFLOW_HEAP=$STREAM_HEAP "$ROOT/bin/digitflow" stream --inbox "$WORK/inbox" --checkpoint "$WORK/checkpoint" \
  --archive "$WORK/archive" --quarantine "$WORK/quarantine" >"$WORK/stream.log" 2>&1 &
STREAM_PID=$!
wait_until 300 grep -q "stream: watching" "$WORK/stream.log" || { tail -n 30 "$WORK/stream.log" >&2; die "the stream did not start"; }

log "writing $((FILES + 1)) MNIST test digits as PNGs (staged beside the inbox, moved in whole)"
helper MnistPngs "$WORK/staging" "$((FILES + 1))"
(cd "$WORK/staging" && ls) >"$WORK/names.txt"

# The first micro-batch of a fresh stream loads the network and connects the writers (tens of
# seconds on a busy box): one file first, so the measured phases see the stream warm.
warmup=$(head -n 1 "$WORK/names.txt")
mv "$WORK/staging/$warmup" "$WORK/inbox/$warmup"
t=$(now)
wait_until 300 test -f "$WORK/archive/$warmup" || die "the warm-up file was not scored in 5 minutes (log: $WORK/stream.log)"
log "stream warm: the first file took $(elapsed "$t") s"

# ---------------------------------------------------------------- drop, kill, restart

count_files() { find "$1" -type f -not -path '*/.*' 2>/dev/null | wc -l; }
scored_now() { echo $(($(count_files "$WORK/archive") - 1)); } # the measured files: all but the warm-up

# One line a second: seconds since the first drop, files dropped, scored (archived), still in the inbox.
monitor() {
  local start=$1
  while true; do
    printf '%s\t%s\t%s\t%s\n' "$(elapsed "$start")" "$((FILES - $(count_files "$WORK/staging")))" \
      "$(scored_now)" "$(count_files "$WORK/inbox")" >>"$WORK/monitor.tsv"
    sleep 1
  done
}

# sleep_until START SECONDS — until SECONDS after the instant START (from now)
sleep_until() { sleep "$(awk -v s="$1" -v t="$2" -v now="$(now)" 'BEGIN { d = s + t - now; print (d > 0 ? d : 0) }')"; }

# RATE files a second, in order, each an atomic rename into the inbox; one mv per second, so the
# rate holds on a busy machine where starting a process takes tens of milliseconds.
dropper() {
  local start=$1 second
  local -a names
  mapfile -t names < <(tail -n +2 "$WORK/names.txt")
  for ((second = 0; second * RATE < FILES; second++)); do
    (cd "$WORK/staging" && mv -t "$WORK/inbox" "${names[@]:second*RATE:RATE}")
    sleep_until "$start" "$((second + 1))" # the next whole second, however long the mv took
  done
}

printf 'seconds\tdropped\tscored\tin_inbox\n' >"$WORK/monitor.tsv"
T0=$(now)
monitor "$T0" &
MONITOR_PID=$!
dropper "$T0" &
DROPPER_PID=$!
log "dropping $RATE files/s for $DURATION s; node $VICTIM dies at ${KILL_AT}s for ${DOWN}s"


sleep_until "$T0" "$KILL_AT"
victims=("$VICTIM"); ((KILLED == 2)) && victims+=($((VICTIM % NODES + 1)))
witness=$(((VICTIM + KILLED - 1) % NODES + 1)) # a node that stays up
seen_before=$(times_seen_up "$witness" "$VICTIM")
t_kill=$(elapsed "$T0"); scored_kill=$(scored_now)
for v in "${victims[@]}"; do
  victim_pid=$(cat "$WORK/node$v/node.pid")
  kill -KILL "$victim_pid"
  log "kill -9 node $v (pid $victim_pid) at ${t_kill}s, $scored_kill files scored so far"
  wait_until 30 eval "! kill -0 $victim_pid 2>/dev/null" || die "node $v survived SIGKILL"
done
if ((KILLED == 2)); then
  # A micro-batch in flight may still finish on the quorum it had; after that nothing may be scored.
  sleep 10
  scored_settled=$(scored_now)
fi

sleep_until "$T0" "$((KILL_AT + DOWN))"
t_restart=$(elapsed "$T0"); scored_restart=$(scored_now)
if ((KILLED == 2)); then
  log "with two of three nodes down, files scored after the first 10 s: $((scored_restart - scored_settled)) (must be 0)"
  ((scored_restart == scored_settled)) || die "files were scored without a quorum: writes below LOCAL_QUORUM"
fi
log "starting node(s) ${victims[*]} again at ${t_restart}s"
restart_start=$(now)
for v in "${victims[@]}"; do node "$v" start; done
restart_cql=$(elapsed "$restart_start")
wait_until 120 eval '(($(times_seen_up "$witness" "$VICTIM") > seen_before))' || die "node $witness never saw node $VICTIM come back"
restart_up=$(elapsed "$restart_start")
t_back=$(elapsed "$T0"); scored_back=$(scored_now)
log "node $VICTIM answers CQL after ${restart_cql}s, node $witness sees it up after ${restart_up}s"

wait "$DROPPER_PID"
DROPPER_PID=""
t_dropped=$(elapsed "$T0"); scored_dropped=$(scored_now)
log "all $FILES files dropped at ${t_dropped}s; waiting for the stream to score the rest"
wait_until 600 eval '(($(scored_now) + $(count_files "$WORK/quarantine") >= FILES))' \
  || die "only $(scored_now) of $FILES files scored after 10 minutes (log: $WORK/stream.log)"
t_end=$(elapsed "$T0"); scored_end=$(scored_now)
kill "$MONITOR_PID"; MONITOR_PID=""
stop_pid "$STREAM_PID" stream
STREAM_PID=""

log "rows in Cassandra (read at consistency ALL: every replica, the restarted one too)"
helper RowCheck "$WORK/names.txt" >"$WORK/rowcheck.txt" || true # judged below, after the figures
sed 's/^/  /' "$WORK/rowcheck.txt"

# ---------------------------------------------------------------- summary

rate_between() { awk -v f0="$1" -v f1="$2" -v t0="$3" -v t1="$4" 'BEGIN { printf "%.1f", (f1 - f0) / (t1 - t0) }'; }
max_backlog() { awk -F'\t' -v a="$1" -v b="$2" 'NR > 1 && $1 >= a && $1 < b && $4 > m { m = $4 } END { print m + 0 }' "$WORK/monitor.tsv"; }
before=$(rate_between 0 "$scored_kill" 0 "$t_kill")
outage=$(rate_between "$scored_kill" "$scored_restart" "$t_kill" "$t_restart")
restart=$(rate_between "$scored_restart" "$scored_back" "$t_restart" "$t_back")
after=$(rate_between "$scored_back" "$scored_dropped" "$t_back" "$t_dropped")
restarts=$(grep -c "stream: query failed" "$WORK/stream.log" || true)
refused=$(grep -c "refused the write" "$WORK/stream.log" || true)

echo
echo "cassandra cluster: $NODES nodes, RF $NODES, LOCAL_QUORUM writes, $KILLED killed; $FILES files dropped at $RATE/s (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %-44s %8s files/s   max files waiting %s\n' "before the kill (0-${t_kill}s)" "$before" "$(max_backlog 0 "$t_kill")"
printf '  %-44s %8s files/s   max files waiting %s   ratio to before %s\n' "node $VICTIM dead (${t_kill}-${t_restart}s)" "$outage" \
  "$(max_backlog "$t_kill" "$t_restart")" "$(ratio "$outage" "$before")"
printf '  %-44s %8s files/s   max files waiting %s   ratio to before %s\n' "node $VICTIM restarting (${t_restart}-${t_back}s)" "$restart" \
  "$(max_backlog "$t_restart" "$t_back")" "$(ratio "$restart" "$before")"
printf '  %-44s %8s files/s   max files waiting %s   ratio to before %s\n' "node $VICTIM back (${t_back}-${t_dropped}s)" "$after" \
  "$(max_backlog "$t_back" "$t_dropped")" "$(ratio "$after" "$before")"
echo "  node restart: CQL after ${restart_cql} s, seen up by node $witness after ${restart_up} s"
echo "  all $scored_end files scored ${t_end}s after the first drop; stream query restarts: $restarts ($refused: Cassandra refused the write)"
echo "  $(head -n 1 "$WORK/rowcheck.txt")"
echo "  per-second samples: ${WORK#"$ROOT"/}/monitor.tsv; logs: ${WORK#"$ROOT"/}/stream.log, node*/log/"
grep -q "nothing lost" "$WORK/rowcheck.txt" || die "rows do not match the dropped files (see above)"
