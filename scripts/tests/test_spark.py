#!/usr/bin/env python3
"""scripts/spark/whosaid_spark.py in Spark local mode (local[2]) gives the same records as a
single-process `whosaid extract` on the same input (order aside), and sends failed articles to
the errors dataset. Prints both wall times (the local-mode overhead quoted in the README)."""
import json, subprocess, sys, tempfile, time
from pathlib import Path

root = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(root / "scripts/spark"))
import whosaid_spark  # noqa: E402

binary = root / "target/release/whosaid"
rows = [json.loads(l) for l in (root / "data/sample/articles.jsonl").read_text(encoding="utf-8").splitlines()]
rows += [{"id": 42, "text": "Zoë Ångström said the bridge would reopen in June."},
         {"id": "no-text", "text": None}]
with tempfile.TemporaryDirectory() as d:
    d = Path(d)
    inp = d / "in.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    t = time.perf_counter()
    single = subprocess.run([str(binary), "extract", str(inp), "-q", "--errors", str(d / "single-errors.jsonl")],
                            capture_output=True, text=True)
    t_single = time.perf_counter() - t
    assert single.returncode == 2, single.stderr  # the row without text fails
    t = time.perf_counter()
    whosaid_spark.main(["--input", str(inp), "--output", str(d / "out"), "--errors", str(d / "errors"),
                        "--master", "local[2]", "--partitions", "3",
                        "--whosaid-bin", str(binary), "--model", str(root / "models/minilm-conll03"),
                        "--ort-lib", str(root / ".ort/libonnxruntime.so")])
    t_spark = time.perf_counter() - t
    got = [json.loads(l) for f in sorted((d / "out").glob("part-*")) for l in f.read_text(encoding="utf-8").splitlines() if l]
    errs = [json.loads(l) for f in sorted((d / "errors").glob("part-*")) for l in f.read_text(encoding="utf-8").splitlines() if l]
    want = [json.loads(l) for l in single.stdout.splitlines()]
key = lambda r: r["id"]
assert sorted(got, key=key) == sorted(want, key=key), "Spark records differ from the single-process run"
assert len(errs) == 1 and errs[0]["kind"] == "missing_text", errs
print(f"ok: {len(got)} records identical to single-process, {len(errs)} failure in the errors dataset; "
      f"wall: single process {t_single:.2f}s, Spark local[2] {t_spark:.2f}s (includes Spark start-up)")
