#!/usr/bin/env bash
# Scores the FAQ matcher on evaluation sets: imports each set's kb.csv into a throwaway data directory,
# pipes the queries through `classify`, and scores the answers with faq_score.py.
# Usage: eval/faq-eval.sh [--no-build] DATASET_DIR...   e.g. eval/faq-eval.sh /work/shared/data/faq-open
# KEEP=DIR keeps each set's classify output as DIR/SET.jsonl for error analysis.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build=1
if [[ "${1:-}" == "--no-build" ]]; then build=0; shift; fi
if [[ $build == 1 ]]; then
  dotnet build "$root/bot" -c Release -v quiet -nologo >/dev/null
fi
bin="$root/bot/bin/Release/net10.0/CommunityBot"
for set in "$@"; do
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$bin" faq import "$set/kb.csv" --replace --data-dir "$tmp/data" >/dev/null 2>&1
  python3 -c 'import json,sys
for l in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(l)["text"].replace("\n"," "))' "$set/queries.jsonl" > "$tmp/texts.txt"
  "$bin" classify --candidates --stats --data-dir "$tmp/data" < "$tmp/texts.txt" > "$tmp/out.jsonl" 2> "$tmp/stats.txt"
  echo "== $(basename "$set")"
  sed 's/^/   /' "$tmp/stats.txt"
  python3 "$here/faq_score.py" "$set/queries.jsonl" "$tmp/out.jsonl" ${SWEEP:+--sweep}
  if [[ -n "${KEEP:-}" ]]; then mkdir -p "$KEEP"; cp "$tmp/out.jsonl" "$KEEP/$(basename "$set").jsonl"; fi
  rm -rf "$tmp"
  trap - EXIT
done
