#!/usr/bin/env bash
# Runs one of the web benchmarks (web-ingest's test sources) with the built classes; used by
# bench/web-latency.sh and bench/web-load.sh. Usage: bench/web-bench.sh MAIN_CLASS [ARGS...]
# The whole output is also kept in var/bench/<main>-<time>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d web-ingest/target/test-classes/io/digitflow/ingest && -f pipeline/target/runtime-classpath.txt ]] \
  || { echo "build first: bin/digitflow build" >&2; exit 1; }
# A fresh node's first start took over 60 s (the node script's default) on a box shared with other builds.
export CASSANDRA_START_TIMEOUT="${CASSANDRA_START_TIMEOUT:-180}"
main="$1"; shift
mkdir -p var/bench
log="var/bench/${main##*.}-$(date +%Y%m%d-%H%M%S).log"
cp="web-ingest/target/test-classes:web-ingest/target/classes:core/target/test-classes:$(cat web-ingest/target/runtime-classpath.txt)"
# shellcheck disable=SC2046
java -Xmx512m $(cat core/target/classes/digitflow/jvm.flags) -Ddigitflow.home="$PWD" \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" -cp "$cp" "$main" "$@" 2>&1 | tee "$log"
exit "${PIPESTATUS[0]}"
