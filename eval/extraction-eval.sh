#!/usr/bin/env bash
# Issue 13 item 4, Chinese details through Microsoft.Recognizers.Text. Prints, as Markdown:
# - the recognizer models' first-call cost in a fresh process (model build, first parse) and the managed heap after;
# - the extractor table tests (tests/CommunityBot.Tests/Understanding/Extractors, the test methods themselves with
#   their extractor swapped) passed per engine: ours, the recognizers alone, combined (shipped), and every row where
#   the engines differ; the number parser's rows against the recognizer's number model;
# - µs per message (mean, p50, p99, max; one thread) per engine and per details asked, on the message mix: FILE's
#   texts (default: the shared grievance titles, text,label) plus the table-test texts; and one 2,000-character message.
# Usage: eval/extraction-eval.sh [FILE.csv] [seconds-per-cell=5]
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-/work/shared/data/grievance-categories/train.csv}; seconds=${2:-5}
dotnet build -c Release bench/CommunityBot.Bench -v q -nologo >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/CommunityBot.Bench/bin/Release/net10.0/CommunityBot.Bench.dll extraction --messages "$messages" --seconds "$seconds"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
