#!/usr/bin/env python3
"""The Python package against the CLI, side by side on one corpus: `whosaid extract CORPUS`
(the release binary, records written to a file) and `Extractor().extract_many(rows)` (records
as dicts) alternate, RUNS times each, same machine, same model, same threads. Both walls are
whole processes (start-up and model load included); the Python figure also gives
extract_many alone. Checks the two give the same records. Writes the "Python package" section
of BENCHMARKS.md (between its markers, kept by bench.py).

    python3 scripts/bench/python_vs_cli.py --python VENV/bin/python [--corpus bench-work/corpus.jsonl]
        [--runs 5] [--threads N]

--python is an interpreter with the whosaid wheel installed (scripts/test.sh leaves one in
target/py-venv). The corpus defaults to bench-work/corpus.jsonl (scripts/bench/run.sh writes
it: the first 100 PolNeAR texts when ../shared is present).
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START, END = "<!-- python-package -->", "<!-- /python-package -->"

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import whosaid
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
ex = whosaid.Extractor(threads=int(sys.argv[2]))
t1 = time.perf_counter()
recs = list(ex.extract_many(rows))
t2 = time.perf_counter()
with open(sys.argv[3], "w", encoding="utf-8") as f:
    for r in recs:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(json.dumps({"load": t1 - t0, "extract_many": t2 - t1}))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python", required=True)
    ap.add_argument("--corpus", default=str(ROOT / "bench-work/corpus.jsonl"))
    ap.add_argument("--binary", default=str(ROOT / "target/release/whosaid"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--report", default=str(ROOT / "BENCHMARKS.md"))
    a = ap.parse_args()
    corpus = Path(a.corpus)
    n = sum(1 for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip())
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DYLIB_PATH", "WHOSAID_MODEL")}
    cli, py, py_inner = [], [], []
    with tempfile.TemporaryDirectory() as d:
        cli_out, py_out = Path(d) / "cli.jsonl", Path(d) / "py.jsonl"
        for _ in range(a.runs):
            t = time.perf_counter()
            subprocess.run([a.binary, "extract", str(corpus), "-q", "-o", str(cli_out), "--threads", str(a.threads),
                            "--model", str(ROOT / "models/minilm-conll03")], check=True)
            cli.append(time.perf_counter() - t)
            t = time.perf_counter()
            p = subprocess.run([a.python, "-c", CHILD, str(corpus), str(a.threads), str(py_out)], check=True,
                               capture_output=True, text=True, env=env)
            py.append(time.perf_counter() - t)
            py_inner.append(json.loads(p.stdout.splitlines()[-1])["extract_many"])
        want = [json.loads(l) for l in cli_out.read_text(encoding="utf-8").splitlines()]
        got = [json.loads(l) for l in py_out.read_text(encoding="utf-8").splitlines()]
    same = got == want
    med = statistics.median
    ratio_min, ratio_med = min(cli) / min(py), med(cli) / med(py)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    section = "\n".join([
        START,
        "## Python package",
        "",
        f"Written by `scripts/bench/python_vs_cli.py` at commit `{commit}`: {n} articles "
        f"(`{corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus.name}`), default model, "
        f"`--threads {a.threads}` / `Extractor(threads={a.threads})`, {a.runs} alternating runs of each, "
        "whole processes (start-up and model load included). "
        f"Records identical: {'yes' if same else 'NO'}.",
        "",
        "| path | min s | median s | articles/s (median) |",
        "|---|---|---|---|",
        f"| CLI `whosaid extract` | {min(cli):.2f} | {med(cli):.2f} | {n / med(cli):.1f} |",
        f"| Python `Extractor().extract_many` (process) | {min(py):.2f} | {med(py):.2f} | {n / med(py):.1f} |",
        f"| Python `extract_many` alone | {min(py_inner):.2f} | {med(py_inner):.2f} | {n / med(py_inner):.1f} |",
        "",
        f"Python throughput relative to the CLI (whole processes): **{ratio_min:.2f}×** by min, "
        f"**{ratio_med:.2f}×** by median (1.00 = same speed; the target is at least 0.90).",
        END,
    ])
    report = Path(a.report)
    text = report.read_text(encoding="utf-8")
    if START in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    report.write_text(text, encoding="utf-8")
    print(section)
    if not same:
        sys.exit("records differ between the CLI and the Python package")


if __name__ == "__main__":
    main()
