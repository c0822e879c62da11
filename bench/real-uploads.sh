#!/usr/bin/env bash
# Recognition of generated canvas drawings and noisy JPEG photos of MNIST test digits, against the
# same digits as clean MNIST input in the same run. Usage: bench/real-uploads.sh [MODELS_DIR] [N]
exec "$(dirname "$0")/java-main" 2g io.digitflow.train.RealUploadBenchmark "$@"
