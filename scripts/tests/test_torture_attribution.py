#!/usr/bin/env python3
"""The head-of-line and linear-time torture case with the default model: 20 small articles, one
article of N MB of attribution sentences (scripts/make_torture.py --attribution), 20 small
articles, run by the release binary at --threads 1 and 2. Checks that every line is accounted
for (read = written + failed, one record per article), that the output is byte-identical at
both thread counts, that the small articles read before the huge one come out before it is
done (stderr progress lines while it is in flight), and prints the wall times.

    python3 scripts/tests/test_torture_attribution.py [--mb 5]
"""
import argparse, json, subprocess, sys, tempfile, time
from pathlib import Path

root = Path(__file__).resolve().parents[2]
ap = argparse.ArgumentParser()
ap.add_argument("--mb", type=int, default=5)
a = ap.parse_args()
binary = root / "target/release/whosaid"
with tempfile.TemporaryDirectory() as d:
    d = Path(d)
    subprocess.run([sys.executable, str(root / "scripts/make_torture.py"), str(d), "--attribution", "--mb", str(a.mb)],
                   check=True, stdout=subprocess.DEVNULL)
    inp = d / "torture-attribution.jsonl"
    n_in = sum(1 for l in inp.read_text(encoding="utf-8").splitlines() if l.strip())
    outs, walls = {}, {}
    for threads in (1, 2):
        out = d / f"out{threads}.jsonl"
        t = time.perf_counter()
        p = subprocess.run([str(binary), "extract", str(inp), "-o", str(out), "--threads", str(threads),
                            "--progress-every", "5", "--model", str(root / "models/minilm-conll03")],
                           capture_output=True, text=True)
        walls[threads] = time.perf_counter() - t
        assert p.returncode == 0, p.stderr[-3000:]
        assert f"read {n_in}, written {n_in}, failed 0" in p.stderr, p.stderr[-3000:]
        recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
        assert len(recs) == n_in and len({r["id"] for r in recs}) == n_in
        huge = next(r for r in recs if r["id"].endswith("-mb-attribution"))
        assert len(huge["claims"]) > 1000, len(huge["claims"])
        # while the huge article is in flight, the 20 small ones before it are already out
        assert any("20 articles done" in l and "in flight" in l for l in p.stderr.splitlines()), p.stderr[-3000:]
        outs[threads] = out.read_bytes()
    assert outs[1] == outs[2], "output differs between --threads 1 and --threads 2"
print(f"ok: {n_in} articles (one of {a.mb} MB) accounted for, identical at 1 and 2 threads; "
      f"wall {walls[1]:.0f}s at --threads 1, {walls[2]:.0f}s at --threads 2")
