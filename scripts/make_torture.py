#!/usr/bin/env python3
"""Writes the torture corpus (data/torture/) used by the "nothing lost" test: every bad input
the README's Guarantees section names, and huge inputs that must be processed, not rejected.

    python scripts/make_torture.py data/torture

Files: torture.jsonl (one case per line, bad lines included), truncated.jsonl.gz (a gzip
stream cut in the middle), and expected.json (how many records and failures the run must
give, by error kind). The huge cases are generated, not stored: pass --huge to add them to
torture.jsonl (the test does this in a temp dir; they are several MB). With --attribution [--mb N] it writes torture-attribution.jsonl
instead: 20 small articles, one N MB article (default 5) of attribution sentences, 20 small
articles (the head-of-line blocking and linear-time case, run with the default model).
"""
import gzip, json, random, sys
from pathlib import Path


NAMES = ["Hulusi Akar", "Zoë Ångström", "Maria Okafor", "the minister", "Officials", "She", "He",
         "The ministry", "Kenji Mori, a strategist at Daiwa,", "A spokesman for the city"]
CUES = ["said", "told reporters", "says", "added", "believes", "argued", "claimed", "warned"]
CONTENT = ["the talks went well", "the bridge will reopen in June", "prices would fall next year",
           "the plan was “dead on arrival”", "nobody had been told", "the vote is close"]


def attribution_corpus(out, rnd, mb=5):
    """20 small articles, one article of `mb` MB of attribution sentences (direct, indirect,
    mixed, split, according-to), 20 small articles: the head-of-line and linear-time case."""
    def sentence():
        n, c, k = rnd.choice(NAMES), rnd.choice(CONTENT), rnd.choice(CUES)
        form = rnd.randrange(5)
        if form == 0:
            return f"{n} {k} {c}."
        if form == 1:
            return f"“{c[0].upper() + c[1:]},” {n.lower() if n in ('She', 'He') else n} {k}."
        if form == 2:
            return f"According to {n.lower() if n in ('She', 'He', 'Officials') else n}, {c}."
        if form == 3:
            return f"“{c[0].upper() + c[1:]},” {k} {n}, “and {rnd.choice(CONTENT)}.”"
        return f"{n} {k}: {c}."
    lines = []
    small = lambda i: {"id": f"small{i}", "text": f"{rnd.choice(NAMES)} said {rnd.choice(CONTENT)}. “Yes,” she said."}
    lines += [small(i) for i in range(20)]
    paras, size = [], 0
    while size < mb * 1_000_000:
        p = " ".join(sentence() for _ in range(rnd.randrange(1, 6)))
        paras.append(p)
        size += len(p.encode()) + 2
    lines.append({"id": f"{mb}-mb-attribution", "text": "\n\n".join(paras)})
    lines += [small(i) for i in range(20, 40)]
    (out / "torture-attribution.jsonl").write_text(
        "".join(json.dumps(l, ensure_ascii=False) + "\n" for l in lines), encoding="utf-8")
    print(f"wrote {out / 'torture-attribution.jsonl'}: {len(lines)} articles, one of {size / 1e6:.1f} MB")


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "data/torture")
    huge = "--huge" in sys.argv
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(7)
    if "--attribution" in sys.argv:
        mb = int(sys.argv[sys.argv.index("--mb") + 1]) if "--mb" in sys.argv else 5
        attribution_corpus(out, rnd, mb)
        return
    lines, failures = [], {}

    def ok(id_, text, **kw):
        lines.append(json.dumps({"id": id_, "text": text, **kw}, ensure_ascii=False).encode())

    def bad(raw, kind):
        lines.append(raw)
        failures[kind] = failures.get(kind, 0) + 1

    ok("plain", "Akar said the talks went well.")
    ok("empty", "")
    ok("whitespace", " \n\t\r\n  ")
    ok("crlf", "“Yes,” she said.\r\n\r\nHe said no.\r\n")
    ok("emoji-cjk", "😀 東京 “引用” said 李明. Zoë Ångström 👩‍👩‍👧 agreed.")
    ok("odd-marks", "“One,” he said. “Two is never closed.\n\n\"Three\" \" “ ” „ « » ' ‘ ’")
    ok("dup", "First of two with this id.")
    ok("dup", "Second of two with this id.")
    ok(17, "A numeric id.")
    ok("controls", "Bell\u0007 and escape\u001b and zero-width\u200b joiner\u200d text said.")
    ok("lone-surrogate-free", "Combining: e\u0301 a\u0308 o\u0323\u0302 said Ma\u0301ria.")
    ok("only-marks", "\"\"\"\"“”“”«»„“''``")
    bad(b"{not json", "invalid_json")
    bad(b"[1, 2, 3]", "not_object")
    bad(b'"just a string"', "not_object")
    bad(json.dumps({"id": "no-text"}).encode(), "missing_text")
    bad(json.dumps({"id": "null-text", "text": None}).encode(), "bad_text")
    bad(json.dumps({"id": "num-text", "text": 5}).encode(), "bad_text")
    bad(b'{"id": "bad-utf8", "text": "caf\xe9 \xff"}', "invalid_utf8")
    bad(json.dumps({"id": "nul", "text": "a\u0000b"}).encode(), "nul_byte")
    bad(b'{"id": "raw-nul", "text": "a\x00b"}', "invalid_json")
    if huge:
        para = " ".join(rnd.choice(["Akar", "said", "the", "minister", "“Yes,”", "talks", "went", "well."])
                        for _ in range(60))
        ok("five-mb", "\n\n".join(para for _ in range(5_000_000 // (len(para) + 2))))
        ok("one-mb-paragraph", " ".join(["word"] * 200_000))
        ok("fifty-k-tokens", " ".join(f"Name{i % 97} said" if i % 50 == 0 else "x" for i in range(50_000)))
        ok("ten-k-marks", " ".join(rnd.choice(['"', "“", "”", "said", "Akar", ",", "."]) for _ in range(10_000 * 2)))
    (out / ("torture-huge.jsonl" if huge else "torture.jsonl")).write_bytes(b"\n".join(lines) + b"\n")
    # a gzip stream cut in the middle: the first records come out, then one io error
    full = gzip.compress(b"".join(json.dumps({"id": f"gz{i}", "text": "Fine text, he said."}).encode() + b"\n"
                                  for i in range(200)))
    (out / "truncated.jsonl.gz").write_bytes(full[: len(full) // 2])
    n_ok = len(lines) - sum(failures.values())
    failures["io"] = failures.get("io", 0) + 1
    (out / ("expected-huge.counts" if huge else "expected.counts")).write_text(json.dumps(
        {"records_in_torture_jsonl": n_ok, "failures_by_kind": failures}, indent=2) + "\n")
    print(f"wrote {out}: {len(lines)} lines, {n_ok} valid, failures {failures}")


if __name__ == "__main__":
    main()
