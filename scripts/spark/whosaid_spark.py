#!/usr/bin/env python3
"""Run whosaid over a corpus on Apache Spark (any cluster manager, or local mode).

Each partition is piped through one `whosaid extract - --errors FILE` process on its executor:
one model load per partition, records streamed over stdin/stdout, nothing kept in memory but
the partition's output. Records go to --output (JSONL text or Parquet with the record schema),
failed articles to --errors (never lost), and every input row yields exactly one of the two.

    spark-submit scripts/spark/whosaid_spark.py --input s3://bucket/articles/ --input-format parquet \\
        --output s3://bucket/records/ --errors s3://bucket/record-errors/ \\
        --archives whosaid-bundle.tar.gz#whosaid --bundle whosaid --threads 4

The bundle (scripts/spark/make_bundle.sh) holds the release binary, libonnxruntime.so and the
model directory; `--archives …#whosaid` unpacks it into each executor's working directory.
Without --bundle, --whosaid-bin/--model/--ort-lib give paths that exist on every executor
(local mode: this machine).

`--engine python` runs the pipeline in-process instead: `mapInPandas` over the partitions,
with one `whosaid.Extractor` per Python worker (loaded once, reused by every task the worker
runs), no subprocess and no temporary files. It needs the `whosaid` Python package (and its
`onnxruntime` dependency) in the executors' Python; the model is the package's own unless
--model or --bundle names one. Both engines write the same records and the same errors.
"""
import argparse, json, os, subprocess, tempfile
from pathlib import Path


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, help="JSONL or Parquet path(s) Spark can read")
    ap.add_argument("--input-format", choices=["jsonl", "parquet"], default="jsonl")
    ap.add_argument("--id-column", default="id")
    ap.add_argument("--text-column", default="text")
    ap.add_argument("--output", required=True)
    ap.add_argument("--output-format", choices=["jsonl", "parquet"], default="jsonl")
    ap.add_argument("--errors", required=True, help="where failed articles go (JSONL)")
    ap.add_argument("--bundle", help="directory name of the unpacked --archives bundle on executors")
    ap.add_argument("--engine", choices=["subprocess", "python"], default="subprocess",
                    help="subprocess: pipe each partition through the whosaid binary; "
                         "python: the whosaid Python package in each Python worker (mapInPandas)")
    ap.add_argument("--whosaid-bin", default="target/release/whosaid")
    ap.add_argument("--model", default=None,
                    help="model directory (subprocess default: models/minilm-conll03; python default: the package's)")
    ap.add_argument("--ort-lib", default=None,
                    help="libonnxruntime.so (subprocess default: .ort/libonnxruntime.so; "
                         "python default: the onnxruntime package's)")
    ap.add_argument("--batch-size", type=int, default=64,
                    help="python engine: articles per chunk inside the Extractor (the CLI's --buffer)")
    ap.add_argument("--threads", type=int, default=1, help="whosaid --threads per task (match spark.task.cpus)")
    ap.add_argument("--partitions", type=int, default=0, help="repartition the input (0: keep)")
    ap.add_argument("--master", default=None, help="e.g. local[2]; usually set by spark-submit")
    return ap.parse_args(argv)


def tool_paths(a):
    if a.bundle:
        b = Path(a.bundle)
        return str(b / "whosaid"), str(b / "model"), str(b / "libonnxruntime.so")
    return (str(Path(a.whosaid_bin).resolve()), str(Path(a.model or "models/minilm-conll03").resolve()),
            str(Path(a.ort_lib or ".ort/libonnxruntime.so").resolve()))


# the python engine's Extractor, one per Python worker process, keyed by its settings
_EXTRACTORS = {}


def make_python_runner(model, ort_lib, threads, batch_size):
    """mapInPandas function: batches of (id, text[, title]) rows → (kind, value) rows, where
    kind is "record" (a record's JSON) or "error" (a line of the CLI's --errors format)."""
    def run_batches(batches):
        import pandas as pd
        import whosaid
        key = (model, ort_lib, threads)
        if key not in _EXTRACTORS:
            _EXTRACTORS[key] = whosaid.Extractor(model=model, ort_lib=ort_lib, threads=threads)
        ex = _EXTRACTORS[key]

        def missing(v):
            return v is None or (isinstance(v, float) and v != v)

        def items():
            for pdf in batches:
                for row in pdf.to_dict("records"):
                    # a null field is absent, as in the JSON lines of the subprocess engine
                    yield {k: v for k, v in row.items() if not missing(v)}

        out = []
        for rec in ex.extract_many(items(), batch_size=batch_size, errors="record"):
            if "error" in rec:
                e = rec["error"]
                line = {"input": "spark", "line": e["index"] + 1, "id": rec["id"],
                        "kind": e["kind"], "message": e["message"]}
                out.append(("error", json.dumps(line, ensure_ascii=False)))
            else:
                out.append(("record", json.dumps(rec, ensure_ascii=False, separators=(",", ":"))))
            if len(out) >= 1000:
                yield pd.DataFrame(out, columns=["kind", "value"])
                out = []
        if out:
            yield pd.DataFrame(out, columns=["kind", "value"])
    return run_batches


def make_runner(binary, model, ort, threads):
    def run_partition(rows):
        """Pipes one partition through whosaid; yields ("record", line) and ("error", line)."""
        with tempfile.TemporaryDirectory() as d:
            inp, out, err = Path(d) / "in.jsonl", Path(d) / "out.jsonl", Path(d) / "errors.jsonl"
            n = 0
            with open(inp, "w", encoding="utf-8") as f:
                for r in rows:
                    f.write(r + "\n")
                    n += 1
            if n == 0:
                return
            cmd = [binary, "extract", str(inp), "-o", str(out), "--errors", str(err), "-q",
                   "--model", model, "--ort-lib", ort, "--threads", str(threads)]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode not in (0, 2):  # 2: some articles failed, reported in --errors
                raise RuntimeError(f"whosaid could not start (exit {p.returncode}): {p.stderr[-2000:]}")
            for line in out.read_text(encoding="utf-8").splitlines():
                yield ("record", line)
            if err.exists():
                for line in err.read_text(encoding="utf-8").splitlines():
                    yield ("error", line)
    return run_partition


def main(argv=None):
    a = parse_args(argv)
    from pyspark.sql import SparkSession, functions as F
    b = SparkSession.builder.appName("whosaid")
    if a.master:
        b = b.master(a.master)
    spark = b.getOrCreate()
    reader = spark.read.parquet if a.input_format == "parquet" else spark.read.json
    df = reader(a.input)
    cols = [F.col(a.id_column).cast("string").alias("id"), F.col(a.text_column).alias("text")]
    if "title" in df.columns:
        cols.append(F.col("title"))
    rows = df.select(*cols)
    if a.engine == "python":
        if a.partitions:
            rows = rows.repartition(a.partitions)
        if a.bundle:
            model, ort_lib = str(Path(a.bundle) / "model"), str(Path(a.bundle) / "libonnxruntime.so")
        else:
            model, ort_lib = a.model, a.ort_lib
        runner = make_python_runner(model, ort_lib, a.threads, a.batch_size)
        out = rows.mapInPandas(runner, "kind string, value string").rdd.map(lambda r: (r[0], r[1])).persist()
    else:
        # one JSON line per article; a null or non-string text stays as it is so whosaid reports it
        lines = rows.toJSON()
        if a.partitions:
            lines = lines.repartition(a.partitions)
        out = lines.mapPartitions(make_runner(*tool_paths(a), a.threads)).persist()
    records = out.filter(lambda kv: kv[0] == "record").map(lambda kv: kv[1])
    errors = out.filter(lambda kv: kv[0] == "error").map(lambda kv: kv[1])
    if a.output_format == "parquet":
        # the Parquet schema is inferred from the records (which follow `whosaid schema`)
        spark.read.json(records).write.mode("overwrite").parquet(a.output)
    else:
        spark.createDataFrame(records.map(lambda s: (s,)), "value string").write.mode("overwrite").text(a.output)
    spark.createDataFrame(errors.map(lambda s: (s,)), "value string").write.mode("overwrite").text(a.errors)
    n_in, n_rec, n_err = rows.count(), records.count(), errors.count()
    print(json.dumps({"read": n_in, "written": n_rec, "failed": n_err}))
    out.unpersist()
    spark.stop()
    if n_in != n_rec + n_err:
        raise SystemExit(f"lost articles: read {n_in}, written {n_rec}, failed {n_err}")


if __name__ == "__main__":
    main()
