#!/usr/bin/env bash
# Ticket store at scale: fills a throwaway LiteDB file with N tickets (200 workers, 50,000 residents, 80 % closed,
# Chinese descriptions, a few events each) through the real TicketStore, then reports the file size per 100k
# tickets, QueueOf / ReportedBy latency (p50/p99/max over Q random calls) and CreateAsync tickets/s with 1, 8 and
# 32 concurrent writers (the real group-commit path). Also prints the load average (the machine is shared).
# Usage: eval/tickets-bench.sh [count=1000000] [queries=10000] [write-seconds=10]   (BASELINE=true adds the
# unindexed worker queue for comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}; queries=${2:-10000}; seconds=${3:-10}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
dotnet build -c Release bench/CommunityBot.Bench -v q -nologo >/dev/null
dotnet bench/CommunityBot.Bench/bin/Release/net10.0/CommunityBot.Bench.dll tickets \
  --count "$count" --queries "$queries" --write-seconds "$seconds" --dir "$data/store" --baseline "${BASELINE:-false}"
