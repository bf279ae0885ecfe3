#!/usr/bin/env bash
# The ticket store at scale on PostgreSQL (issue 14), beside eval/tickets-bench.sh (LiteDB): fills the database named by
# CONNECTION (migrated first; a database already holding COUNT tickets is reused) through PostgresTicketStore, then
# reports QueueOf / "我的工单" p50/p99/max over QUERIES calls, a month's assessment (read + compute, median of 5), and
# creates per second with 1, 8 and 32 writers, each create its own transaction. Prints the machine and load average.
# Usage: CONNECTION="Host=127.0.0.1;Port=5432;Username=postgres;Database=bench" eval/tickets-pg-bench.sh [count=1000000] [queries=10000] [write-seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CONNECTION:?set CONNECTION to an Npgsql connection string of a database the bench may fill}"
count=${1:-1000000}; queries=${2:-10000}; seconds=${3:-10}
dotnet build -c Release bench/CommunityBot.Bench -v q -nologo >/dev/null
dotnet bench/CommunityBot.Bench/bin/Release/net10.0/CommunityBot.Bench.dll tickets-pg --connection "$CONNECTION" \
  --count "$count" --queries "$queries" --write-seconds "$seconds" --month "${MONTH:-2026-10}" --runs "${RUNS:-5}"
