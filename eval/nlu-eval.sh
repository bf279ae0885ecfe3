#!/usr/bin/env bash
# Evaluation of the intent and category models (not a test; may read /work/shared).
#  (a) the shipped models (trained from bot/Data/nlu) on the held-out bot/Data/nlu/test-*.csv:
#      intent accuracy, category macro-F1, confusion matrices;
#  (b) `nlu train` on /work/shared/data/grievance-categories/train.csv with its own stratified 20 % hold-out;
#  (c) training time of the shipped models and classify throughput (FAQ matching + both models) on the demo KB;
#  (p) trigger words must cost nothing: a category model trained (`nlu train`) on a stratified 80 % of
#      /work/shared/data/grievance-categories/train.csv, scored (`nlu test`) on the other 20 % as they are and with a
#      trigger-word prefix ("我要投诉 ", "我要报修：", "反映一下，" … in turn) on every message.
# Nothing trained here is kept: every run uses temporary data directories.
# Usage: eval/nlu-eval.sh [--no-build] [a|b|c|p ...]   (default: all four)
# Model settings come from the environment like the server's, e.g. Nlu__CharNgrams=2 Nlu__WordNgrams=0
# Nlu__Trainer=LbfgsMaximumEntropy Nlu__L2=0.01 Nlu__BalanceClasses=false eval/nlu-eval.sh b
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
data="${NLU_DATA:-/work/shared/data}"
if [[ "${1:-}" == "--no-build" ]]; then shift; else dotnet build "$root/bot" -c Release -v quiet -nologo >/dev/null; fi
parts="${*:-a b c p}"
bin="$root/bot/bin/Release/net10.0/CommunityBot"
nlu="$root/bot/Data/nlu"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

if [[ " $parts " == *" a "* ]]; then
  echo "== (a) shipped models on the held-out test set"
  "$bin" nlu test "$nlu/test-intents.csv" --model intent --errors --data-dir "$tmp/a" 2>/dev/null
  echo
  "$bin" nlu test "$nlu/test-categories.csv" --model category --errors --data-dir "$tmp/a" 2>/dev/null
  echo
fi

if [[ " $parts " == *" b "* ]]; then
  echo "== (b) nlu train on grievance-categories/train.csv (stratified 20 % hold-out)"
  start=$(date +%s.%N)
  "$bin" nlu train "$data/grievance-categories/train.csv" --data-dir "$tmp/b" 2>/dev/null | grep -v '^Saved'
  echo "wall time (hold-out model + final model): $(echo "$(date +%s.%N) - $start" | bc) s"
  echo
fi

if [[ " $parts " == *" c "* ]]; then
  echo "== (c) training time of the shipped models, classify throughput"
  "$bin" faq import "$root/bot/Data/demo-faq.csv" --replace --data-dir "$tmp/c" >/dev/null 2>&1
  start=$(date +%s.%N)
  echo "谢谢" | "$bin" classify --data-dir "$tmp/c" >/dev/null 2>"$tmp/train.log"
  echo "first classify (trains and caches both models): $(echo "$(date +%s.%N) - $start" | bc) s"
  grep -o 'Trained the [a-z]* model.*' "$tmp/train.log" || true
  start=$(date +%s.%N)
  echo "谢谢" | "$bin" classify --data-dir "$tmp/c" >/dev/null 2>/dev/null
  echo "second classify (loads the cached models): $(echo "$(date +%s.%N) - $start" | bc) s"
  # Every test message 20 times (6,120 lines); the first pass warms the JIT.
  python3 -c 'import csv,sys
rows=[r["text"] for f in sys.argv[1:] for r in csv.DictReader(open(f,encoding="utf-8"))]
for _ in range(20): print("\n".join(rows))' "$nlu/test-intents.csv" "$nlu/test-categories.csv" > "$tmp/texts.txt"
  "$bin" classify --stats --data-dir "$tmp/c" < "$tmp/texts.txt" 2>&1 >/dev/null | grep '^classify:'
fi

if [[ " $parts " == *" p "* ]]; then
  echo "== (p) category macro-F1 without and with a trigger-word prefix on every message"
  python3 - "$data/grievance-categories/train.csv" "$tmp" <<'PY'
import csv, random, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
by = {}
for r in rows:
    by.setdefault(r["label"], []).append(r)
rnd = random.Random(1)
train, test = [], []
for label in sorted(by):
    group = by[label][:]
    rnd.shuffle(group)
    k = max(1, round(len(group) * 0.2))
    test += group[:k]
    train += group[k:]
prefixes = ["我要投诉 ", "我要报修：", "反映一下，", "我要反映", "投诉：", "举报 ", "我想反映一下 ", "我要举报"]
def write(name, items, prefix=False):
    with open(f"{sys.argv[2]}/{name}", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        for i, r in enumerate(items):
            w.writerow([(prefixes[i % len(prefixes)] if prefix else "") + r["text"], r["label"]])
write("p-train.csv", train)
write("p-test.csv", test)
write("p-test-prefixed.csv", test, prefix=True)
print(f"train {len(train)} rows, test {len(test)} rows")
PY
  "$bin" nlu train "$tmp/p-train.csv" --data-dir "$tmp/p" >/dev/null 2>&1
  for f in p-test p-test-prefixed; do
    printf '%-22s ' "$f.csv:"
    "$bin" nlu test "$tmp/$f.csv" --model category --data-dir "$tmp/p" 2>/dev/null | grep '^accuracy'
  done
fi
