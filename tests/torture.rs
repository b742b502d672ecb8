//! The committed torture corpus (data/torture/, made by scripts/make_torture.py) and the huge
//! generated cases run through `whosaid extract`: every line yields a record or an error
//! entry (read = written + failed), with the failure kinds the corpus expects.

mod util;

use std::collections::BTreeMap;
use std::process::Command;

use util::*;

fn counts(errors: &str) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for e in records(errors) {
        *m.entry(e["kind"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    m
}

fn check(dir: &std::path::Path, expected: &str, model: &std::path::Path) {
    let want: serde_json::Value = serde_json::from_str(expected).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (rec, err) = (out.path().join("r.jsonl"), out.path().join("e.jsonl"));
    let mut cmd = whosaid();
    cmd.args(["extract", "--model"])
        .arg(model)
        .arg(dir)
        .arg("-o")
        .arg(&rec)
        .arg("--errors")
        .arg(&err);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let recs = records(&std::fs::read_to_string(&rec).unwrap());
    let errs = std::fs::read_to_string(&err).unwrap();
    let got = counts(&errs);
    let want_kinds: BTreeMap<String, u64> = want["failures_by_kind"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(got, want_kinds, "{errs}");
    // the truncated gzip gives its first records before the io error
    let from_torture = recs
        .iter()
        .filter(|r| !r["id"].as_str().unwrap().starts_with("gz"))
        .count();
    assert_eq!(
        from_torture as u64,
        want["records_in_torture_jsonl"].as_u64().unwrap()
    );
    assert!(recs.iter().any(|r| r["id"] == "gz0"));
    let failed: u64 = got.values().sum();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let summary = format!(
        "read {}, written {}, failed {failed}",
        recs.len() as u64 + failed,
        recs.len()
    );
    assert!(stderr.contains(&summary), "want {summary:?} in:\n{stderr}");
    for r in &recs {
        assert_schema(r);
    }
}

#[test]
fn committed_torture_corpus_loses_nothing() {
    let expected = std::fs::read_to_string(root().join("data/torture/expected.counts")).unwrap();
    check(&root().join("data/torture"), &expected, &default_model());
}

#[test]
fn huge_inputs_are_processed_not_rejected() {
    // 5 MB article, 1 MB paragraph, 50,000-token sentence, 20,000 quote-soup tokens; the
    // tiny model keeps inference cheap so this checks every other stage at scale
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(root().join("scripts/make_torture.py"))
        .arg(dir.path())
        .arg("--huge")
        .status()
        .expect("python3 runs scripts/make_torture.py");
    assert!(status.success());
    let expected = std::fs::read_to_string(dir.path().join("expected-huge.counts")).unwrap();
    check(dir.path(), &expected, &tiny_model());
}
