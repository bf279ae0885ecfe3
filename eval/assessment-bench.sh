#!/usr/bin/env bash
# A month's assessment of all grids over a 1,000,000-ticket store (issue 5: target ≤ 1 s): fills a throwaway store
# with the tickets bench's filler (or reuses DIR when it holds one), then times AssessmentService.ComputeMonthAsync and its
# parts, median of RUNS. Prints the machine and the load average (the machine is shared).
# Usage: eval/assessment-bench.sh [count=1000000] [month=2026-10] [runs=5] [dir]   (a dir is kept; without one a
# temporary store is filled and removed)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}; month=${2:-2026-10}; runs=${3:-5}; dir=${4:-}
if [ -z "$dir" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; dir="$tmp/store"
fi
dotnet build -c Release bench/CommunityBot.Bench -v q -nologo >/dev/null
dotnet bench/CommunityBot.Bench/bin/Release/net10.0/CommunityBot.Bench.dll assessment \
  --count "$count" --month "$month" --runs "$runs" --dir "$dir"
