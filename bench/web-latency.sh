#!/usr/bin/env bash
# Upload → result visible through GET /api/predictions/{id} with the stream running (sequential,
# after a warm-up), against the same images written straight into the inbox in the same run.
# Starts its own Cassandra node (127.0.0.1:${DIGITFLOW_BENCH_CASSANDRA_PORT:-9442}, unless
# DIGITFLOW_CASSANDRA names one), the stream and the web server (port ${DIGITFLOW_BENCH_WEB_PORT:-5400}),
# and stops them at the end. Usage: bench/web-latency.sh [N=200] [WARMUP=20] [MODELS_DIR=models]
# A fresh node's first start took over 60 s (the node script's default) on a box shared with other builds.
export CASSANDRA_START_TIMEOUT="${CASSANDRA_START_TIMEOUT:-180}"
exec "$(dirname "$0")/java-main" 512m io.digitflow.ingest.WebLatencyBenchmark "$@"
