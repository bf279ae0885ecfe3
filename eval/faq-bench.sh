#!/usr/bin/env bash
# Throughput, latency and peak memory of `classify` against a synthetic knowledge base of N entries (default 10,000):
# faq-open's kb.csv plus variants of its questions (prefixes/suffixes, so the index really holds N distinct
# phrasings), queried with faq-open's queries. Usage: eval/faq-bench.sh [--no-build] [N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
data="${FAQ_DATA:-/work/shared/data}"
if [[ "${1:-}" == "--no-build" ]]; then shift; else dotnet build "$root/bot" -c Release -v quiet -nologo >/dev/null; fi
n="${1:-10000}"
bin="$root/bot/bin/Release/net10.0/CommunityBot"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
python3 - "$data/faq-open/kb.csv" "$n" > "$tmp/kb.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
n = int(sys.argv[2])
affixes = [("", ""), ("请问", ""), ("", "呢"), ("我想知道", ""), ("谁知道", "吗"), ("", "啊"), ("大家说", ""), ("求助", "")]
w = csv.writer(sys.stdout)
w.writerow(["id", "question", "answer"])
count = 0
for pre, suf in affixes:
    for r in rows:
        if count == n:
            sys.exit(0)
        w.writerow([f"{r['id']}-{count}", pre + r["question"] + suf, r["answer"]])
        count += 1
PY
python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"): print(json.loads(l)["text"].replace("\n", " "))' "$data/faq-open/queries.jsonl" > "$tmp/texts.txt"
"$bin" faq import "$tmp/kb.csv" --replace --data-dir "$tmp/data" 2>/dev/null
# Twice the query file, so the second half runs on a warm JIT.
cat "$tmp/texts.txt" "$tmp/texts.txt" > "$tmp/twice.txt"
# Peak resident memory of the classify process (index, models, runtime), from GNU time.
timer=(); [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "  peak resident memory %M KiB")   # apt-get install time
"${timer[@]}" "$bin" classify --stats --data-dir "$tmp/data" < "$tmp/twice.txt" > /dev/null
