#!/usr/bin/env bash
# Start-up time and memory of the shipped server (issue 13, "start-up time and memory before/after"). For this build and,
# with BEFORE=worktree, an earlier one (built there with `dotnet build -c Release bot`): starts the Release build on a
# fresh data directory once (the first start seeds the demo; not timed), then RUNS more times on that same store, each
# timed from the process start until /healthz/live answers (or /healthz on a build without it), and its resident set
# (VmRSS) read 5 s after that and again after 200 FAQ questions in the local chat. Prints each run and the medians.
# Usage: eval/startup-bench.sh [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=5380
dotnet build -c Release bot -v q -nologo >/dev/null

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

measure() { # label dll
  local label=$1 dll=$2 dir; dir=$(mktemp -d)
  local health=/healthz/live
  dotnet "$dll" --data-dir "$dir" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
  local pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
  curl -sf "http://127.0.0.1:$port$health" >/dev/null || health=/healthz
  sleep 5; kill "$pid"; wait "$pid" 2>/dev/null || true
  local times=() idle=() busy=()
  for run in $(seq 1 "$runs"); do
    local start; start=$(date +%s%N)
    dotnet "$dll" --data-dir "$dir" --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$port$health" >/dev/null; do sleep 0.02; done
    local ms=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 5
    local rss; rss=$(rss_mb "$pid")
    local ok=0
    for i in $(seq 1 200); do
      curl -sf -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"conversationId\":\"private-zhang\",\"userId\":\"zhang\",\"userName\":\"张阿姨\",\"text\":\"物业电话多少 $i\"}" \
        "http://127.0.0.1:$port/api/local/messages" && ok=$((ok + 1))
    done
    local after; after=$(rss_mb "$pid")
    echo "$label, run $run: listening after $ms ms; RSS $rss MB idle, $after MB after 200 questions ($ok accepted)"
    times+=("$ms"); idle+=("$rss"); busy+=("$after")
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  echo "$label: median start $(printf '%s\n' "${times[@]}" | median) ms; RSS idle $(printf '%s\n' "${idle[@]}" | median) MB, after questions $(printf '%s\n' "${busy[@]}" | median) MB"
  rm -rf "$dir"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ { print $2 }') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BEFORE:-}" ]; then measure "before ($(git -C "$BEFORE" log --oneline -1 | cut -c1-7))" "$BEFORE/bot/bin/Release/net10.0/CommunityBot.dll"; fi
measure "this build ($(git log --oneline -1 | cut -c1-7))" bot/bin/Release/net10.0/CommunityBot.dll
