#!/usr/bin/env python3
"""Times two whosaid binaries on one corpus, same machine, same run: `extract` end to end,
runs interleaved (A B A B …, after one warm-up each) so that drift in the machine's speed
falls on both alike. Prints min and median seconds of each and the ratios candidate/baseline.

    python3 scripts/bench/compare_binaries.py --corpus bench-work/corpus.jsonl \
        --baseline /path/to/old/whosaid --candidate target/release/whosaid --runs 3
"""
import argparse, json, os, statistics, subprocess, sys, time


def run(binary, corpus, threads, extra):
    t = time.perf_counter()
    subprocess.run([binary, "extract", corpus, "-q", "-o", os.devnull, "--threads", str(threads), *extra],
                   check=True)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--baseline", required=True, help="the whosaid binary to compare against")
    ap.add_argument("--candidate", default="target/release/whosaid")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--extra", nargs="*", default=[], help="more extract flags for both")
    a = ap.parse_args()
    for b in (a.baseline, a.candidate):
        run(b, a.corpus, a.threads, a.extra)  # warm-up: page cache, model file
    times = {"baseline": [], "candidate": []}
    for _ in range(a.runs):
        times["baseline"].append(run(a.baseline, a.corpus, a.threads, a.extra))
        times["candidate"].append(run(a.candidate, a.corpus, a.threads, a.extra))
    n = sum(1 for l in open(a.corpus, encoding="utf-8") if l.strip())
    out = {k: {"min_s": round(min(v), 3), "median_s": round(statistics.median(v), 3), "runs": [round(x, 3) for x in v]}
           for k, v in times.items()}
    out["articles"] = n
    out["candidate_over_baseline_min"] = round(min(times["candidate"]) / min(times["baseline"]), 3)
    out["candidate_over_baseline_median"] = round(statistics.median(times["candidate"]) / statistics.median(times["baseline"]), 3)
    print(json.dumps(out))
    print(f"{n} articles, {a.runs} interleaved runs: baseline min {out['baseline']['min_s']}s median "
          f"{out['baseline']['median_s']}s; candidate min {out['candidate']['min_s']}s median "
          f"{out['candidate']['median_s']}s; time ratio candidate/baseline {out['candidate_over_baseline_min']} (min), "
          f"{out['candidate_over_baseline_median']} (median)", file=sys.stderr)


if __name__ == "__main__":
    main()
