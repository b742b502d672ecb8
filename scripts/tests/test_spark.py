#!/usr/bin/env python3
"""scripts/spark/whosaid_spark.py in Spark local mode (local[2]), run from the bundle that
scripts/spark/make_bundle.sh packs (binary, ONNX Runtime, the whole default model with its
attribution tags), gives the same records as a single-process `whosaid extract` with the full
default model on the same input (order aside, claims included), sends failed articles to the
errors dataset, and writes the same records as Parquet. Prints both wall times (the
local-mode overhead quoted in the README)."""
import json, os, subprocess, sys, tarfile, tempfile, time
from pathlib import Path

# Python workers run this interpreter (the one with pyspark, pandas, pyarrow and whosaid)
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

root = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(root / "scripts/spark"))
import whosaid_spark  # noqa: E402

binary = root / "target/release/whosaid"
model = root / "models/minilm-conll03"
rows = [json.loads(l) for l in (root / "data/sample/articles.jsonl").read_text(encoding="utf-8").splitlines()]
rows += [{"id": 42, "text": "Zoë Ångström said the bridge would reopen in June."},
         {"id": "no-text", "text": None}]
with tempfile.TemporaryDirectory() as d:
    d = Path(d)
    # the bundle, unpacked as --archives would on an executor
    bundle_tgz = d / "whosaid-bundle.tar.gz"
    subprocess.run(["bash", str(root / "scripts/spark/make_bundle.sh"), str(model), str(bundle_tgz)], check=True,
                   stdout=subprocess.DEVNULL)
    bundle = d / "bundle"
    with tarfile.open(bundle_tgz) as t:
        t.extractall(bundle)
    shipped = sorted(p.name for p in (bundle / "model").iterdir())
    assert shipped == sorted(p.name for p in model.iterdir() if p.is_file()), (shipped, "bundle lacks model files")
    inp = d / "in.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    t = time.perf_counter()
    single = subprocess.run([str(binary), "extract", str(inp), "-q", "--model", str(model),
                             "--errors", str(d / "single-errors.jsonl")], capture_output=True, text=True)
    t_single = time.perf_counter() - t
    assert single.returncode == 2, single.stderr  # the row without text fails
    want = [json.loads(l) for l in single.stdout.splitlines()]
    assert any(c["rule"] == "model.tagged" for r in want for c in r["claims"]), \
        "the single-process run should have claims from the model's attribution tags"
    t = time.perf_counter()
    whosaid_spark.main(["--input", str(inp), "--output", str(d / "out"), "--errors", str(d / "errors"),
                        "--master", "local[2]", "--partitions", "3", "--bundle", str(bundle)])
    t_spark = time.perf_counter() - t
    got = [json.loads(l) for f in sorted((d / "out").glob("part-*")) for l in f.read_text(encoding="utf-8").splitlines() if l]
    errs = [json.loads(l) for f in sorted((d / "errors").glob("part-*")) for l in f.read_text(encoding="utf-8").splitlines() if l]
    # Parquet output: the same records, field for field where Parquet keeps them
    whosaid_spark.main(["--input", str(inp), "--output", str(d / "pq"), "--errors", str(d / "pq-errors"),
                        "--master", "local[2]", "--partitions", "2", "--bundle", str(bundle),
                        "--output-format", "parquet"])
    import pandas as pd
    pq = pd.read_parquet(d / "pq")
    # the python engine: mapInPandas with one whosaid.Extractor per Python worker (the
    # package's own model and runtime). One partition, so that its articles are batched as in
    # the single-process run: int8 activations are quantized per batch, so a record's scores
    # can move in the last digits with the articles it is batched with.
    t = time.perf_counter()
    whosaid_spark.main(["--input", str(inp), "--output", str(d / "py"), "--errors", str(d / "py-errors"),
                        "--master", "local[2]", "--partitions", "1", "--engine", "python"])
    t_python = time.perf_counter() - t
    got_py = [json.loads(l) for f in sorted((d / "py").glob("part-*")) for l in f.read_text(encoding="utf-8").splitlines() if l]
    errs_py = [json.loads(l) for f in sorted((d / "py-errors").glob("part-*")) for l in f.read_text(encoding="utf-8").splitlines() if l]
key = lambda r: r["id"]
assert sorted(got, key=key) == sorted(want, key=key), "Spark records differ from the single-process run"
assert len(errs) == 1 and errs[0]["kind"] == "missing_text", errs
assert sorted(got_py, key=key) == sorted(want, key=key), "python-engine records differ from the single-process run"
assert [e["kind"] for e in errs_py] == [e["kind"] for e in errs], (errs_py, errs)
assert errs_py[0]["id"] == "no-text", errs_py  # the python engine also names the failed article
assert sorted(pq["id"]) == sorted(r["id"] for r in want), "Parquet ids differ"
by_id = {r["id"]: r for r in want}
for _, row in pq.iterrows():
    r = by_id[row["id"]]
    assert [c["text"] for c in row["claims"]] == [c["text"] for c in r["claims"]], row["id"]
    assert [c["rule"] for c in row["claims"]] == [c["rule"] for c in r["claims"]], row["id"]
    assert [(e["start"], e["end"], e["label"]) for e in row["entities"]] == \
        [(e["start"], e["end"], e["label"]) for e in r["entities"]], row["id"]
print(f"ok: {len(got)} records from the bundle identical to single-process (claims from the attribution tags "
      f"included), {len(errs)} failure in the errors dataset, Parquet output equal; "
      f"the python engine gives the same records and errors; "
      f"wall: single process {t_single:.2f}s, Spark local[2] {t_spark:.2f}s, python engine {t_python:.2f}s "
      f"(both include Spark start-up)")
