# Sourced by the benchmarks that need one Cassandra node of their own.
#   own_cassandra DIR     starts a fresh node with its data under DIR (relative to the repository) on
#                         BENCH_CASSANDRA_PORT / BENCH_CASSANDRA_STORAGE_PORT (defaults 9542/7500) and
#                         exports DIGITFLOW_CASSANDRA; does nothing when DIGITFLOW_CASSANDRA names a cluster
#   stop_own_cassandra    stops that node, if one was started
own_cassandra() {
  [[ -z "${DIGITFLOW_CASSANDRA:-}" ]] || return 0
  OWN_NODE="$PWD/$1"
  CASSANDRA_DIR="$OWN_NODE" CASSANDRA_PORT="${BENCH_CASSANDRA_PORT:-9542}" \
    CASSANDRA_STORAGE_PORT="${BENCH_CASSANDRA_STORAGE_PORT:-7500}" bin/lib/cassandra-node start >&2
  export DIGITFLOW_CASSANDRA="127.0.0.1:${BENCH_CASSANDRA_PORT:-9542}"
}

stop_own_cassandra() {
  [[ -z "${OWN_NODE:-}" ]] || CASSANDRA_DIR="$OWN_NODE" bin/lib/cassandra-node stop >&2 || true
}
