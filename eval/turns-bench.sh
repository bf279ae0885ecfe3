#!/usr/bin/env bash
# FAQ turns through POST /api/messages on loopback, with state and outbox persisted in LiteDB, and replies
# delivered to a fake Connector; the same load against GET /healthz of the same host for the ratio.
# Also: time from process start to the first healthy answer, and RSS after the load.
# Usage: eval/turns-bench.sh [rate=200] [seconds=20] [workers=32]
# MODE=grievance: residents file grievances through POST /api/local/messages instead (rate unused): completed
# tickets/s and per-turn p50/p99 with 1 and `workers` residents at once.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-200}; seconds=${2:-20}; workers=${3:-32}
# DATA=dir reuses a data directory (e.g. one whose intent/category models are already trained, so the background
# training at first start does not share the two cores with the measurement); otherwise a fresh one is made and removed.
if [ -n "${DATA:-}" ]; then data=$DATA; mkdir -p "$data"; keep=1; else data=$(mktemp -d); keep=0; fi
dotnet build -c Release bench/CommunityBot.Bench -v q -nologo >/dev/null

# Grievance mode measures new tickets: with more residents than buildings (1-999), a report at a building already
# reported would join that ticket as +1, so duplicate joining is switched off for the run.
extra=()
if [ "${MODE:-faq}" = grievance ]; then extra=(--Tickets:DuplicateWindow=00:00:00); fi
start=$(date +%s.%N)
dotnet bot/bin/Release/net10.0/CommunityBot.dll --data-dir "$data" --urls http://127.0.0.1:5180 "${extra[@]}" \
  --Logging:LogLevel:Default=${SERVER_LOG_LEVEL:-Warning} >"${SERVER_LOG:-$data/server.log}" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; [ "$keep" = 1 ] || rm -rf "$data"' EXIT
until curl -sf http://127.0.0.1:5180/healthz >/dev/null; do sleep 0.02; done
ready=$(date +%s.%N)
echo "time to ready (start on $([ "$keep" = 1 ] && echo "the given data" || echo "a fresh data dir, seeding the demo KB")): $(echo "$ready - $start" | bc) s"

dotnet bench/CommunityBot.Bench/bin/Release/net10.0/CommunityBot.Bench.dll turns \
  --bot http://127.0.0.1:5180 --rate "$rate" --seconds "$seconds" --workers "$workers" --pid "$pid" --connector-port 5199 \
  --mode "${MODE:-faq}"

kill $pid; wait $pid 2>/dev/null || true
start=$(date +%s.%N)
dotnet bot/bin/Release/net10.0/CommunityBot.dll --data-dir "$data" --urls http://127.0.0.1:5180 >/dev/null 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:5180/healthz >/dev/null; do sleep 0.02; done
echo "time to ready (restart on the same data): $(echo "$(date +%s.%N) - $start" | bc) s"
echo "store size: $(du -h "$data/communitybot.db" | cut -f1)"
