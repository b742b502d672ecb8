//! Gold in annotation tools' formats: `eval` gives the same figures whatever the layout of the
//! same labels, PolNeAR's brat directory reads as its JSONL, and records → `export` → read as
//! gold → `eval` against the same records scores 1.0.

mod util;

use std::path::Path;

use serde_json::Value;
use util::*;

fn gold(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/gold").join(name)
}

fn eval_json(sub: &str, gold: &Path, extra: &[&str]) -> Value {
    let mut cmd = whosaid();
    cmd.args(["eval", sub, "--json", "--gold"])
        .arg(gold)
        .args(extra);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let mut v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_object_mut().unwrap().remove("seconds");
    v
}

#[test]
fn eval_quotes_is_the_same_for_every_layout_of_the_same_labels() {
    let want = eval_json("quotes", &gold("quotes.jsonl"), &[]);
    assert_eq!(want["content"]["exact"]["f1"], 1.0, "{want}");
    for (name, format) in [
        ("brat", "auto"),
        ("label-studio.json", "auto"),
        ("label-studio.json", "label-studio"),
        ("doccano.jsonl", "doccano"),
    ] {
        let mut got = eval_json("quotes", &gold(name), &["--format", format]);
        if name == "doccano.jsonl" {
            // its third line is an entity-only document with no attributions: no claims
            // predicted there either, so every figure stays the same
            got.as_object_mut().unwrap().remove("articles");
        }
        let mut want = want.clone();
        if name == "doccano.jsonl" {
            want.as_object_mut().unwrap().remove("articles");
        }
        assert_eq!(got["content"], want["content"], "{name}");
        assert_eq!(got["source"], want["source"], "{name}");
        assert_eq!(got["cue"], want["cue"], "{name}");
    }
}

#[test]
fn auto_detection_is_said_and_conll_still_works() {
    let mut cmd = whosaid();
    cmd.args(["eval", "quotes", "--json", "--gold"])
        .arg(gold("brat"));
    let o = run(cmd, b"");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("detected format brat"),
        "{}",
        show(&o)
    );
    let v = eval_json("ner", &gold("mini.conll"), &[]);
    assert!(v["micro"]["f1"].as_f64().is_some(), "{v}");
}

#[test]
fn eval_ner_scores_entity_spans_of_a_tool_export() {
    let v = eval_json("ner", &gold("label-studio.json"), &[]);
    assert_eq!(v["gold_format"], "label-studio", "{v}");
    assert_eq!(v["gold_entities"], 1, "{v}");
    assert_eq!(v["per_type"]["PER"]["recall"], 1.0, "{v}");
}

#[test]
fn bad_gold_fails_with_the_file_item_and_field_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.json");
    std::fs::write(
        &p,
        r#"[{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 7, "labels": ["Cue"]}}]}]}]"#,
    )
    .unwrap();
    let mut cmd = whosaid();
    cmd.args(["eval", "quotes", "--gold"]).arg(&p);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.json") && err.contains("task 1") && err.contains("value: end 7"),
        "{err}"
    );
}

/// Label Studio: a labeller who accepts every prediction submits them as the annotation.
fn accept_predictions(tasks: &mut Value) {
    for t in tasks.as_array_mut().unwrap() {
        let result = t["predictions"][0]["result"].clone();
        t["annotations"] = serde_json::json!([{"completed_by": 1, "result": result}]);
    }
}

#[test]
fn records_exported_and_read_back_as_gold_score_one() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("data/sample/articles.jsonl");
    let records = dir.path().join("records.jsonl");
    let mut cmd = whosaid();
    cmd.arg("extract")
        .arg(&input)
        .arg("-q")
        .arg("-o")
        .arg(&records);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let n_claims: usize = std::fs::read_to_string(&records)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["claims"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    assert!(n_claims > 5, "the sample should have claims");
    for format in ["label-studio", "doccano"] {
        let out = dir.path().join(format!("export-{format}"));
        let mut cmd = whosaid();
        cmd.args(["export", "--format", format])
            .arg(&records)
            .arg("--text")
            .arg(&input)
            .arg("-o")
            .arg(&out);
        let o = run(cmd, b"");
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
        let gold_path = if format == "label-studio" {
            let mut tasks: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
            assert!(
                tasks[0]["predictions"][0]["result"]
                    .as_array()
                    .unwrap()
                    .len()
                    > 3
            );
            accept_predictions(&mut tasks);
            let p = dir.path().join("annotated.json");
            std::fs::write(&p, serde_json::to_vec(&tasks).unwrap()).unwrap();
            p
        } else {
            out
        };
        let rec = records.to_str().unwrap();
        let q = eval_json(
            "quotes",
            &gold_path,
            &["--format", format, "--records", rec],
        );
        for role in ["content", "source", "cue"] {
            assert_eq!(q[role]["exact"]["f1"], 1.0, "{format} {role}: {q}");
        }
        let n = eval_json("ner", &gold_path, &["--format", format, "--records", rec]);
        assert_eq!(n["micro"]["f1"], 1.0, "{format}: {n}");
    }
}

#[test]
fn polnear_brat_directories_read_as_their_jsonl() {
    let shared = root().join("../shared/data/polnear");
    for split in ["dev", "train"] {
        let (dir, jsonl) = (
            shared.join(split),
            shared.join(format!("polnear_{split}.jsonl")),
        );
        if !dir.is_dir() || !jsonl.exists() {
            eprintln!("SKIPPED: {} is not here", dir.display());
            continue;
        }
        same_attributions(&dir, &jsonl);
    }
}

fn same_attributions(dir: &Path, jsonl: &Path) {
    use whosaid::eval::gold::{self, Annotators, Format, Mapping};
    let read = gold::read(dir, Format::Brat, Annotators::First).unwrap();
    let (from_brat, _) = gold::to_quote_gold(&read, &Mapping::default());
    let bytes = std::fs::read(jsonl).unwrap();
    let from_jsonl = whosaid::eval::quotes::parse_gold(&bytes, jsonl).unwrap();
    assert_eq!(from_brat.len(), from_jsonl.len());
    let key = |a: &whosaid::eval::quotes::GoldAttribution| {
        let p = |v: &[whosaid::eval::quotes::Piece]| {
            let mut v: Vec<(usize, usize)> = v.iter().map(|p| (p.start, p.end)).collect();
            v.sort();
            v
        };
        (p(&a.content), p(&a.cue), p(&a.source))
    };
    let mut by_id: std::collections::HashMap<_, _> = from_jsonl
        .iter()
        .map(|g| (g.article.clone().unwrap(), g))
        .collect();
    for b in &from_brat {
        let j = by_id
            .remove(b.article.as_ref().unwrap())
            .unwrap_or_else(|| panic!("{:?} not in the JSONL", b.article));
        assert_eq!(b.text, j.text, "{:?}", b.article);
        let mut kb: Vec<_> = b.attributions.iter().map(key).collect();
        let mut kj: Vec<_> = j.attributions.iter().map(key).collect();
        kb.sort();
        kj.sort();
        assert_eq!(kb, kj, "{:?}", b.article);
    }
}

/// `eval speakers` on our own two documents (news and interview layouts) with the shipped
/// model, and the same figures from the records `extract` writes (`--records`).
#[test]
fn eval_speakers_scores_entities_and_reads_records_alike() {
    let gold = root().join("tests/fixtures/speakers/gold.jsonl");
    let model = default_model();
    let model = model.to_str().unwrap();
    let ran = eval_json("speakers", &gold, &["--model", model]);
    assert_eq!(ran["scores"]["documents"], 2, "{ran}");
    assert_eq!(ran["scores"]["all"]["gold"], 5, "{ran}");
    assert_eq!(ran["scores"]["all"]["found"], 5, "{ran}");
    assert!(ran["end_to_end_strict"].as_f64().unwrap() >= 0.8, "{ran}");
    let d = tempfile::tempdir().unwrap();
    let records = d.path().join("records.jsonl");
    let mut cmd = whosaid();
    cmd.args(["extract", "-q", "--model", model, "-o"])
        .arg(&records)
        .arg(&gold);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let read = eval_json("speakers", &gold, &["--records", records.to_str().unwrap()]);
    assert_eq!(read, ran);
}
