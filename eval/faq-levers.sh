#!/usr/bin/env bash
# One row of the lever table in eval/README.md: runs faq-eval.sh (Release build must exist) on the three
# development sets with the given FaqMatching settings and prints faq-open answered-correctly, look-alikes
# answered, rank-1; faq-curated rank-1, answered-correctly; faq-paraphrase answered-correctly / out-of-KB
# answered, rank-1; p99 per set.
# Usage: eval/faq-levers.sh NAME [FaqMatching__Setting=value ...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${FAQ_DATA:-/work/shared/data}"
name=$1; shift
out=$(env "$@" "$here/faq-eval.sh" --no-build "$data/faq-open" "$data/faq-curated" "$data/faq-paraphrase" 2>&1)
printf '%s\n' "$out" | python3 -c "$(cat <<'PY'

import re,sys
t=sys.stdin.read()
def g(p):
    m=re.search(p,t,re.S); return m.group(1) if m else '?'
o_ac=g(r'faq-open.*?answered correctly ([\d.]+)'); o_r1=g(r'faq-open.*?rank-1 ([\d.]+)'); o_la=g(r'look-alike answered ([\d.]+)')
c_r1=g(r'faq-curated.*?rank-1 ([\d.]+)'); c_ac=g(r'faq-curated.*?answered correctly ([\d.]+)')
p_ac=g(r'faq-paraphrase.*?answered correctly ([\d.]+)'); p_r1=g(r'faq-paraphrase.*?rank-1 ([\d.]+)'); p_oo=g(r'answered anyway ([\d.]+)')
p99=re.findall(r'p99 ([\d.]+) ms',t)
print(f"| {sys.argv[1]} | {o_ac} | {o_la} | {o_r1} | {c_r1} | {c_ac} | {p_ac} / {p_oo} | {p_r1} | p99 {'/'.join(p99)} |")
PY
)" "$name"
