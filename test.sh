#!/usr/bin/env bash
# Runs every test in Edge.sln on a fresh machine: installs what the tests need, builds, tests,
# and ends with one line "N passed, N failed, N skipped". Exits non-zero when anything fails.
# Test data comes from $EDGE_TEST_DATA, or ../shared beside the repository.
set -uo pipefail
cd "$(dirname "$0")"

bash eng/install-deps.sh || { echo "error: installing test dependencies failed"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export EDGE_TEST_DATA="${EDGE_TEST_DATA:-$(cd .. && pwd)/shared}"

dotnet build Edge.sln -c Release -nologo -v:minimal "$@" || { echo "0 passed, 1 failed"; echo "error: build failed"; exit 1; }

log=$(mktemp)
dotnet test Edge.sln -c Release --no-build -nologo -v:minimal "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T ..." (or "Failed!  - ...").
summary=$(grep -E '^(Passed|Failed)! +- Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d %d %d", p, f, s}')
read -r passed failed skipped <<<"${summary:-0 0 0}"
# Name the failed tests again at the end, where a reader of the last lines looks first.
# Each is followed by the first line of its error message.
failures=$(awk '/^ +Failed [A-Za-z_][A-Za-z0-9_.]+/ {sub(/^ +Failed /, "  "); print; want=1; next}
  want && /Error Message:/ {getline; sub(/^ +/, "    "); print substr($0, 1, 300); want=0}' "$log")
rm -f "$log"
if [ -n "$failures" ]; then
  echo "failed tests:"
  echo "$failures"
fi

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the test host crashed or an assembly did not report; count it so the line never reads green
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
