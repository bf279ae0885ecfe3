#!/usr/bin/env python3
"""Scores `classify --candidates` output against a queries.jsonl ({"text","expect"[,"not"]}).

Paraphrases (expect = id): answered correctly (faq.id == expect), answered wrongly, rank-1 accuracy ignoring
thresholds (ranked[0]), recall@3. Hard negatives (expect null, not = id): answered with the look-alike entry.
Out-of-KB (expect null, no not): answered at all. --sweep prints the same rates for other answer thresholds.
"""
import json
import sys


def main():
    queries = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
    results = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
    assert len(queries) == len(results), (len(queries), len(results))
    para = [(q, r) for q, r in zip(queries, results) if q.get("expect")]
    neg = [(q, r) for q, r in zip(queries, results) if not q.get("expect") and q.get("not")]
    ook = [(q, r) for q, r in zip(queries, results) if not q.get("expect") and not q.get("not")]

    def rate(xs, pred):
        return sum(1 for x in xs if pred(*x)) / len(xs) if xs else float("nan")

    faq_id = lambda r: (r["faq"] or {}).get("id")
    top = lambda r: r["ranked"][0] if r.get("ranked") else {"id": None, "score": 0}
    print(f"   paraphrases {len(para)}: answered correctly {rate(para, lambda q, r: faq_id(r) == q['expect']):.3f}, "
          f"answered wrongly {rate(para, lambda q, r: faq_id(r) not in (None, q['expect'])):.3f}, "
          f"rank-1 {rate(para, lambda q, r: top(r)['id'] == q['expect']):.3f}, "
          f"in suggestions/answer {rate(para, lambda q, r: faq_id(r) == q['expect'] or any(s['id'] == q['expect'] for s in r['suggestions'])):.3f}, "
          f"recall@3 {rate(para, lambda q, r: q['expect'] in [c['id'] for c in r.get('ranked', [])[:3]]):.3f}")
    if neg:
        print(f"   hard negatives {len(neg)}: look-alike answered {rate(neg, lambda q, r: faq_id(r) == q['not']):.3f}, "
              f"anything answered {rate(neg, lambda q, r: faq_id(r) is not None):.3f}")
    if ook:
        print(f"   out-of-KB {len(ook)}: answered anyway {rate(ook, lambda q, r: faq_id(r) is not None):.3f}, "
              f"got suggestions {rate(ook, lambda q, r: faq_id(r) is None and len(r['suggestions']) > 0):.3f}")
    if "--sweep" in sys.argv:
        for t in [x / 100 for x in range(30, 100, 5)]:
            ans = lambda r: top(r)["id"] if top(r)["score"] >= t else None
            line = f"   threshold {t:.2f}: correct {rate(para, lambda q, r: ans(r) == q['expect']):.3f}"
            if neg:
                line += f", look-alike {rate(neg, lambda q, r: ans(r) == q['not']):.3f}"
            if ook:
                line += f", out-of-KB answered {rate(ook, lambda q, r: ans(r) is not None):.3f}"
            print(line)


if __name__ == "__main__":
    main()
