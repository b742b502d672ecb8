//! "Nothing stalls, nothing panics": directory walks with symlink loops, bounded reads under
//! `--max-chars`, one error line per failed article under `--resume`, malformed gold that
//! exits 3 with a message instead of a panic, progress lines while one long article is in
//! flight, and panics caught at the article boundary.

mod util;

use std::process::Command;

use util::*;

fn extract(args: &[&str], dir: &std::path::Path) -> Command {
    let mut cmd = whosaid();
    cmd.current_dir(dir)
        .args(["extract", "--model"])
        .arg(tiny_model())
        .args(args);
    cmd
}

#[cfg(unix)]
#[test]
fn symlink_loop_reads_each_file_once() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("corpus");
    write(&corpus.join("a/one.txt"), "Zoë said the talks went well.");
    write(&corpus.join("two.txt"), "Akar said no.");
    std::os::unix::fs::symlink(&corpus, corpus.join("a/back")).unwrap();
    std::os::unix::fs::symlink(corpus.join("two.txt"), corpus.join("a/again.txt")).unwrap();
    let o = run(extract(&["corpus"], d.path()), b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let recs = records(&String::from_utf8_lossy(&o.stdout));
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a/one.txt", "two.txt"], "{}", show(&o));
}

#[cfg(unix)]
#[test]
fn dangling_link_is_one_error_and_the_walk_goes_on() {
    let d = tempfile::tempdir().unwrap();
    let corpus = d.path().join("corpus");
    write(&corpus.join("b/fine.txt"), "Akar said yes.");
    std::os::unix::fs::symlink(d.path().join("nowhere.txt"), corpus.join("a.txt")).unwrap();
    let o = run(extract(&["corpus", "--errors", "e.jsonl"], d.path()), b"");
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    assert_eq!(records(&String::from_utf8_lossy(&o.stdout)).len(), 1);
    let errs = records(&std::fs::read_to_string(d.path().join("e.jsonl")).unwrap());
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0]["kind"], "io");
}

#[test]
fn a_line_past_max_chars_is_skipped_unread_and_the_next_line_is_read() {
    let d = tempfile::tempdir().unwrap();
    let long = "x".repeat(10_000);
    let input = format!(
        "{{\"id\": \"long\", \"text\": \"{long}\"}}\n{{\"id\": \"ok\", \"text\": \"Akar said yes.\"}}\n"
    );
    write(&d.path().join("in.jsonl"), input);
    write(&d.path().join("long.txt"), &long);
    let o = run(
        extract(
            &[
                "in.jsonl",
                "long.txt",
                "--max-chars",
                "100",
                "--errors",
                "e.jsonl",
            ],
            d.path(),
        ),
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let recs = records(&String::from_utf8_lossy(&o.stdout));
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["id"], "ok");
    let errs = records(&std::fs::read_to_string(d.path().join("e.jsonl")).unwrap());
    let kinds: Vec<(&str, u64)> = errs
        .iter()
        .map(|e| (e["kind"].as_str().unwrap(), e["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(kinds, [("too_long", 1), ("too_long", 0)], "{errs:?}");
}

#[test]
fn resume_leaves_one_error_line_per_failed_article() {
    let d = tempfile::tempdir().unwrap();
    let input = "{\"id\": \"a\", \"text\": \"Akar said yes.\"}\n{\"id\": \"b\"}\n{not json\n{\"id\": \"c\", \"text\": \"Zoë said no.\"}\n";
    write(&d.path().join("in.jsonl"), input);
    let args = [
        "in.jsonl",
        "-o",
        "out.jsonl",
        "--errors",
        "e.jsonl",
        "--resume",
    ];
    for _ in 0..3 {
        let o = run(extract(&args, d.path()), b"");
        assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    }
    let errs = records(&std::fs::read_to_string(d.path().join("e.jsonl")).unwrap());
    assert_eq!(errs.len(), 2, "{errs:?}");
    let recs = records(&std::fs::read_to_string(d.path().join("out.jsonl")).unwrap());
    assert_eq!(recs.len(), 2);
}

fn eval(kind: &str, gold: &std::path::Path) -> std::process::Output {
    let mut cmd = whosaid();
    cmd.args(["eval", kind, "--model"])
        .arg(tiny_model())
        .arg("--gold")
        .arg(gold);
    run(cmd, b"")
}

#[test]
fn malformed_conll_gold_exits_3_naming_file_and_line() {
    let d = tempfile::tempdir().unwrap();
    let g = d.path().join("gold.conll");
    write(&g, "Zoë NNP B\nMüller NNP I-PER\n");
    let o = eval("ner", &g);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    assert!(
        err.contains("gold.conll line 1") && err.contains("malformed tag"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn malformed_quote_gold_exits_3_naming_file_line_and_field() {
    let d = tempfile::tempdir().unwrap();
    for (gold, want) in [
        (
            r#"{"text": "Akar said yes.", "attributions": [{"content": [{"start": 10, "end": 3}]}]}"#,
            "attributions[0].content[0]: start 10 is after end 3",
        ),
        (
            r#"{"text": "Zoë said.", "attributions": [{"source": [{"start": 0, "end": 99}]}]}"#,
            "attributions[0].source[0]: end 99 is past the text",
        ),
        (
            r#"{"text": "Zoë said.", "attributions": [{"cue": [{"start": 4, "end": 8, "text": "sai"}]}]}"#,
            "does not match",
        ),
        (r#"{"attributions": []}"#, "not a gold article"),
    ] {
        let g = d.path().join("gold.jsonl");
        write(&g, format!("\n{gold}\n"));
        let o = eval("quotes", &g);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{}", show(&o));
        assert!(
            err.contains("gold.jsonl line 2") && err.contains(want),
            "{want}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
    let g = d.path().join("bytes.jsonl");
    write(&g, b"{\"text\": \"caf\xe9\"}\n");
    let o = eval("quotes", &g);
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not valid UTF-8"));
}

#[test]
fn progress_lines_appear_while_one_long_article_is_in_flight() {
    // off a terminal, a line every --progress-every seconds while work is in flight, also
    // when no record has come out yet (one long article)
    let d = tempfile::tempdir().unwrap();
    let text = vec!["The minister said the talks went well."; 120_000].join(" ");
    write(
        &d.path().join("in.jsonl"),
        format!("{{\"id\": \"small\", \"text\": \"Akar said yes.\"}}\n{{\"id\": \"big\", \"text\": \"{text}\"}}\n"),
    );
    let o = run(
        extract(
            &["in.jsonl", "--progress-every", "1", "--threads", "1"],
            d.path(),
        ),
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with("whosaid: progress:") && l.contains("1 in flight")),
        "{err}"
    );
    // the small article read before the long one was written before it finished
    assert!(
        err.lines()
            .any(|l| l.contains("1 articles done, 1 in flight")),
        "{err}"
    );
}

#[test]
fn eval_attribution_on_own_instances_with_the_default_model() {
    let d = tempfile::tempdir().unwrap();
    let pred = d.path().join("pred.txt");
    let mut cmd = whosaid();
    cmd.args(["eval", "attribution", "--json", "--model"])
        .arg(default_model())
        .arg("--gold")
        .arg(root().join("tests/fixtures/attribution_gold.jsonl"))
        .arg("--predictions")
        .arg(&pred);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["scores"]["instances"], 2);
    for role in ["source", "cue", "content"] {
        assert_eq!(v["scores"][role]["exact"]["support"], 1, "{v}");
        assert_eq!(v["scores"][role]["exact"]["f1"], 1.0, "{role}: {v}");
    }
    let cols = std::fs::read_to_string(&pred).unwrap();
    assert!(cols.starts_with("`` B-content B-content\n"), "{cols}");
    assert!(cols.contains("said B-cue B-cue\n"), "{cols}");
}

#[test]
fn eval_attribution_bad_labels_exit_3() {
    let d = tempfile::tempdir().unwrap();
    let g = d.path().join("g.jsonl");
    write(
        &g,
        "{\"tokens\": [\"a\", \"b\"], \"labels\": [\"O\", \"B-speaker\"]}\n",
    );
    let mut cmd = whosaid();
    cmd.args(["eval", "attribution", "--model"])
        .arg(tiny_model())
        .arg("--gold")
        .arg(&g);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("g.jsonl line 1") && err.contains("labels[1]"),
        "{err}"
    );
}
