#!/usr/bin/env python3
"""One huge article of attribution sentences at 1, 2 and 4 MB through `whosaid extract` with
the default model (claims from its attribution tags included): seconds per MB should stay
roughly constant when every stage is linear. Writes the "Huge articles" section of
BENCHMARKS.md (between its markers, kept by bench.py).

    python3 scripts/bench/huge.py [--sizes 1,2,4] [--threads 2] [--binary target/release/whosaid]
"""
import argparse, json, random, re, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import make_torture  # noqa: E402

START, END = "<!-- huge-articles -->", "<!-- /huge-articles -->"


def article(mb, seed=7):
    with tempfile.TemporaryDirectory() as d:
        make_torture.attribution_corpus(Path(d), random.Random(seed), mb)
        rows = [json.loads(l) for l in (Path(d) / "torture-attribution.jsonl").read_text(encoding="utf-8").splitlines()]
    return next(r for r in rows if r["id"].endswith("-mb-attribution"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,2,4")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--binary", default=str(ROOT / "target/release/whosaid"))
    a = ap.parse_args()
    rows = []
    for mb in [int(x) for x in a.sizes.split(",")]:
        art = article(mb)
        with tempfile.TemporaryDirectory() as d:
            inp = Path(d) / "in.jsonl"
            inp.write_text(json.dumps(art, ensure_ascii=False) + "\n", encoding="utf-8")
            t = time.perf_counter()
            p = subprocess.run([a.binary, "extract", str(inp), "-o", str(Path(d) / "out.jsonl"), "--stats",
                                "--threads", str(a.threads)], capture_output=True, text=True)
            wall = time.perf_counter() - t
            if p.returncode != 0:
                sys.exit(f"whosaid failed on {mb} MB: {p.stderr[-2000:]}")
            rec = json.loads((Path(d) / "out.jsonl").read_text(encoding="utf-8"))
        m = re.search(r"inference ([\d.]+)s, decode\+claims\+records ([\d.]+)s", p.stderr)
        inf, post = (float(m.group(1)), float(m.group(2))) if m else (float("nan"), float("nan"))
        size = len(art["text"].encode()) / 1e6
        rows.append((size, wall, inf, post, len(rec["claims"])))
        print(f"{size:.2f} MB: wall {wall:.1f}s ({wall / size:.1f} s/MB), inference {inf:.1f}s, "
              f"decode+claims+records {post:.2f}s ({post / size:.2f} s/MB), {len(rec['claims'])} claims", flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    lines = [START, "## Huge articles", "",
             f"Written by `scripts/bench/huge.py` at commit `{commit}`: one article of attribution sentences "
             f"(`scripts/make_torture.py --attribution`), default model (one graph, entities and attribution tags), "
             f"`--threads {a.threads}`, one run each. Every stage is linear, so seconds per MB stay flat; "
             "inference is the cost (before this wave, decoding and claims alone took 7 s at 0.33 MB, "
             "31 s at 0.66 MB and 149 s at 1.3 MB).", "",
             "| article MB | wall s | s per MB | inference s | decode + claims + records s | s per MB (decode…) | claims |",
             "|---|---|---|---|---|---|---|"]
    for size, wall, inf, post, n in rows:
        lines.append(f"| {size:.2f} | {wall:.1f} | {wall / size:.1f} | {inf:.1f} | {post:.2f} | {post / size:.2f} | {n:,} |")
    lines.append(END)
    section = "\n".join(lines)
    bm = ROOT / "BENCHMARKS.md"
    text = bm.read_text(encoding="utf-8")
    if START in text and END in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    bm.write_text(text, encoding="utf-8")
    print("wrote the huge-article section of BENCHMARKS.md")


if __name__ == "__main__":
    main()
