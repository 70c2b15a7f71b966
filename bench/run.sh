#!/usr/bin/env bash
# Runs benchmarks in Release, each measured case in its own process. Usage: bench/run.sh list | NAME... | all [--quick]
#   bench/run.sh gpu             the GPU check: built with -p:EdgeGpu=true (the CUDA/TensorRT ONNX Runtime package)
#                                for linux-x64 into artifacts/gpu, so the CPU build is untouched; run it on its own.
#   EDGE_BENCH_ORT=1.31.1 bench/run.sh NAME...
#                                the same benchmarks against another ONNX Runtime version (restored from the local
#                                package cache), built into artifacts/ort-VERSION; results go to bench/results/ort-VERSION/.
set -euo pipefail
cd "$(dirname "$0")/.."
export EDGE_TEST_DATA="${EDGE_TEST_DATA:-$(cd .. && pwd)/shared}"

build=(-c Release -nologo -v:quiet)
dll=bench/Edge.Bench/bin/Release/net10.0/Edge.Bench.dll
if printf '%s\n' "$@" | grep -qx gpu; then
  if [ "$(printf '%s\n' "$@" | grep -cvx -e gpu -e --quick)" -ne 0 ]; then
    echo "error: run 'gpu' on its own (it is built against the GPU package): bench/run.sh gpu" >&2
    exit 2
  fi
  build+=(-p:EdgeGpu=true -r linux-x64 --artifacts-path artifacts/gpu)
  dll=artifacts/gpu/bin/Edge.Bench/release_linux-x64/Edge.Bench.dll
elif [ -n "${EDGE_BENCH_ORT:-}" ]; then
  build+=(-p:EdgeOnnxRuntimeVersion="$EDGE_BENCH_ORT" --artifacts-path "artifacts/ort-$EDGE_BENCH_ORT")
  dll="artifacts/ort-$EDGE_BENCH_ORT/bin/Edge.Bench/release/Edge.Bench.dll"
  export EDGE_BENCH_RESULTS="bench/results/ort-$EDGE_BENCH_ORT"
fi

dotnet build bench/Edge.Bench "${build[@]}" >/dev/null
exec dotnet "$dll" "$@"
