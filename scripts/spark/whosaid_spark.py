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
    ap.add_argument("--whosaid-bin", default="target/release/whosaid")
    ap.add_argument("--model", default="models/minilm-conll03")
    ap.add_argument("--ort-lib", default=".ort/libonnxruntime.so")
    ap.add_argument("--threads", type=int, default=1, help="whosaid --threads per task (match spark.task.cpus)")
    ap.add_argument("--partitions", type=int, default=0, help="repartition the input (0: keep)")
    ap.add_argument("--master", default=None, help="e.g. local[2]; usually set by spark-submit")
    return ap.parse_args(argv)


def tool_paths(a):
    if a.bundle:
        b = Path(a.bundle)
        return str(b / "whosaid"), str(b / "model"), str(b / "libonnxruntime.so")
    return str(Path(a.whosaid_bin).resolve()), str(Path(a.model).resolve()), str(Path(a.ort_lib).resolve())


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
    # one JSON line per article; a null or non-string text stays as it is so whosaid reports it
    lines = df.select(*cols).toJSON()
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
    n_in, n_rec, n_err = lines.count(), records.count(), errors.count()
    print(json.dumps({"read": n_in, "written": n_rec, "failed": n_err}))
    out.unpersist()
    spark.stop()
    if n_in != n_rec + n_err:
        raise SystemExit(f"lost articles: read {n_in}, written {n_rec}, failed {n_err}")


if __name__ == "__main__":
    main()
