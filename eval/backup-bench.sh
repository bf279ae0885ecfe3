#!/usr/bin/env bash
# Backup and restore at scale (issue 16): for each COUNT (default 100000 and 1000000) fills a throwaway store with the
# tickets bench's filler, then times the server's backup copy idle and under WRITERS concurrent ticket writers (and the
# write rate before/during it), the CLI's restore into a fresh directory, and the restored store's first open. Prints
# sizes and the load average (the machine is shared). Needs about 3x the store's size free in $TMPDIR (1M tickets: ~2 GB
# store). Usage: eval/backup-bench.sh [counts="100000 1000000"] [writers=8]
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${1:-"100000 1000000"}; writers=${2:-8}
dotnet build -c Release bench/CommunityBot.Bench -v q -nologo >/dev/null
for count in $counts; do
  tmp=$(mktemp -d)
  echo "== $count tickets"
  dotnet bench/CommunityBot.Bench/bin/Release/net10.0/CommunityBot.Bench.dll backup \
    --count "$count" --writers "$writers" --dir "$tmp/store" --out "$tmp/out" || { rm -rf "$tmp"; exit 1; }
  rm -rf "$tmp"
done
