#!/usr/bin/env bash
# How reliably and how fast the notebooks' Java kernel answers its first request: starts the kernel
# N times through Jupyter's own client (as nbconvert does) and times each start to its kernel_info
# reply, optionally while K busy loops load the cores (docs/benchmarks.md, "Notebooks").
# usage: bench/kernel-start.sh [N] [K]      (defaults: 10 starts, no load; 120 s allowed per start)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10}"
LOAD="${2:-0}"
bin/digitflow build >&2
bin/lib/prerequisites.d/jupyter >&2
burners=()
cleanup() { ((${#burners[@]})) && kill "${burners[@]}" 2>/dev/null; true; }
trap cleanup EXIT
for ((i = 0; i < LOAD; i++)); do (while :; do :; done) & burners+=($!); done
JUPYTER_PATH="$PWD/var/jupyter" DIGITFLOW_NOTEBOOK_HEAP=1g /usr/bin/python3 - "$N" "$LOAD" <<'PY'
import statistics, sys, time
from jupyter_client.manager import KernelManager

n, load = int(sys.argv[1]), int(sys.argv[2])
times, silent = [], 0
for i in range(1, n + 1):
    km = KernelManager(kernel_name="digitflow-java")
    start = time.monotonic()
    km.start_kernel()
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        times.append(time.monotonic() - start)
        print(f"start {i}: answered after {times[-1]:.1f} s", flush=True)
    except RuntimeError as e:
        silent += 1
        print(f"start {i}: no answer within 120 s ({e})", flush=True)
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
print(f"kernel starts with {load} busy loops: {len(times)} of {n} answered"
      + (f", median {statistics.median(times):.1f} s, slowest {max(times):.1f} s" if times else "")
      + f"; {silent} silent")
PY
