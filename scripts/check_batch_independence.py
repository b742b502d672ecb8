#!/usr/bin/env python3
"""Same article, same record, on a whole corpus: runs `whosaid extract` on CORPUS (JSONL with
`text`, optional `id`) once as a corpus at several batch settings and once per article alone,
and counts the articles whose records are byte-identical in every run.

    python scripts/check_batch_independence.py --corpus ../shared/data/polnear/polnear_dev.jsonl
    python scripts/check_batch_independence.py --corpus data/sample/articles.jsonl --model DIR

Articles without an `id` are given `line<N>` ids first, so that a record names its article the
same way alone and in the corpus. Exit code 1 if any article differs.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = [[], ["--batch-size", "1"], ["--batch-size", "7", "--buffer", "3"], ["--threads", "1"]]


def extract(exe, model, lines, args):
    p = subprocess.run([str(exe), "extract", "-", "-q", "--model", str(model), *args],
                       input="".join(l + "\n" for l in lines), capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"whosaid failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return {json.loads(l)["id"]: l for l in p.stdout.splitlines() if l.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--model", type=Path, default=ROOT / "models/minilm-conll03")
    ap.add_argument("--bin", type=Path, default=ROOT / "target/release/whosaid")
    a = ap.parse_args()
    if not a.corpus.exists():
        print(f"skipped: {a.corpus} is not here", file=sys.stderr)
        return
    lines = []
    for n, l in enumerate(a.corpus.read_text(encoding="utf-8").splitlines(), 1):
        if l.strip():
            d = json.loads(l)
            d.setdefault("id", d.get("article") or f"line{n}")
            lines.append(json.dumps({"id": str(d["id"]), "text": d["text"]}, ensure_ascii=False))
    alone = {}
    for l in lines:
        alone.update(extract(a.bin, a.model, [l], []))
    differ = set()
    for args in SETTINGS:
        got = extract(a.bin, a.model, lines, args)
        bad = {i for i, r in got.items() if r != alone[i]}
        print(f"corpus of {len(lines)} with {' '.join(args) or 'default settings'}: "
              f"{len(got) - len(bad)} of {len(got)} records identical to the article alone")
        differ |= bad
    print(f"{len(lines) - len(differ)} of {len(lines)} articles identical in every run")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
