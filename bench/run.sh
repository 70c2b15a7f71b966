#!/usr/bin/env bash
# Runs benchmarks in Release, each measured case in its own process. Usage: bench/run.sh list | NAME... | all [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
export EDGE_TEST_DATA="${EDGE_TEST_DATA:-$(cd .. && pwd)/shared}"
dotnet build bench/Edge.Bench -c Release -nologo -v:quiet >/dev/null
exec dotnet bench/Edge.Bench/bin/Release/net10.0/Edge.Bench.dll "$@"
