#!/usr/bin/env bash
# N uploads from C concurrent clients on loopback with the stream running: all accepted (no 5xx),
# all scored exactly once; accepted uploads/s and scoring drain time, against the same images
# written straight into the inbox by as many threads in the same run. Starts its own Cassandra node
# (127.0.0.1:${DIGITFLOW_BENCH_CASSANDRA_PORT:-9442}, unless DIGITFLOW_CASSANDRA names one), the
# stream and the web server (port ${DIGITFLOW_BENCH_WEB_PORT:-5400}), and stops them at the end.
# Usage: bench/web-load.sh [N=2000] [CLIENTS=20] [MODELS_DIR=models]
# A fresh node's first start took over 60 s (the node script's default) on a box shared with other builds.
export CASSANDRA_START_TIMEOUT="${CASSANDRA_START_TIMEOUT:-180}"
exec "$(dirname "$0")/java-main" 512m io.digitflow.ingest.WebLoadBenchmark "$@"
