#!/usr/bin/env bash
# The fault table of docs/benchmarks.md: the stream's fault tests (StreamFaultsIT: each fault, then
# a normal file that must be scored within 30 s) and the Cassandra outage test, run against a fresh
# node, and their "fault table" lines collected as a Markdown table: fault, entries in, rows out,
# duplicate rows, seconds until the next normal file's row. Faults beyond one machine's suite (two
# of three Cassandra nodes down) are bench/cassandra-cluster.sh --killed 2.
# usage: bench/faults.sh            (about 5 minutes; log in var/bench/faults-<time>.log)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/bench
log="var/bench/faults-$(date -u +%Y%m%d-%H%M%S).log"
status=0
bin/digitflow test -pl pipeline -Dtest='StreamFaultsIT,CassandraOutageIT' >"$log" 2>&1 || status=$?
echo "| fault | entries in | rows out | duplicates | next normal file scored after (s) |"
echo "|---|---|---|---|---|"
sed -n 's/^fault table: //p' "$log"
grep -E 'Tests run: .*(StreamFaultsIT|CassandraOutageIT)' "$log" | sed 's/^\[[A-Z]*\] /  /' >&2
echo "(log: $log; run on $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
exit "$status"
