#!/usr/bin/env bash
# Recognition of generated canvas drawings and noisy JPEG photos of MNIST test digits, against the
# same digits as clean MNIST input in the same run. Usage: bench/real-uploads.sh [MODELS_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d model-training/target/test-classes/io/digitflow/train ]] || { echo "build first: bin/digitflow build" >&2; exit 1; }
cp="model-training/target/test-classes:model-training/target/classes:core/target/test-classes:$(cat model-training/target/runtime-classpath.txt)"
# shellcheck disable=SC2046
exec java -Xmx2g $(cat core/target/classes/digitflow/jvm.flags) -Ddigitflow.home="$PWD" \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" -cp "$cp" io.digitflow.train.RealUploadBenchmark "$@"
