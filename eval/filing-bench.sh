#!/usr/bin/env bash
# Tickets filed per second through TicketDesk.FileAsync (issue 14): LiteDB (a file) against PostgreSQL with one host and
# with two hosts on one database, interleaved runs, medians. The desk's commit (ticket, worker card, timers), not a
# resident's whole turn. CONNECTION names a database the bench may empty (its tickets, timers, outbox and take-overs).
# Usage: CONNECTION="Host=127.0.0.1;Port=5432;Username=postgres;Database=bench" eval/filing-bench.sh [residents=32] [seconds=10] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CONNECTION:?set CONNECTION to an Npgsql connection string of a database the bench may empty}"
dotnet build -c Release bench/CommunityBot.Bench -v q -nologo >/dev/null
uptime
dotnet bench/CommunityBot.Bench/bin/Release/net10.0/CommunityBot.Bench.dll filing --connection "$CONNECTION" \
  --residents "${1:-32}" --seconds "${2:-10}" --runs "${3:-3}"
uptime
