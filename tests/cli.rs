//! End-to-end tests of the real binary with the real shipped model (and the tiny test model
//! where speed matters more than meaning). Each test runs in a fresh temp dir.

mod util;

use std::collections::HashMap;
use std::io::Write;

use serde_json::Value;
use util::*;

fn sample_texts() -> HashMap<String, String> {
    let mut m = HashMap::new();
    let jsonl = std::fs::read_to_string(root().join("data/sample/articles.jsonl")).unwrap();
    for r in records(&jsonl) {
        m.insert(
            r["id"].as_str().unwrap().to_string(),
            r["text"].as_str().unwrap().to_string(),
        );
    }
    m.insert(
        "wire-brief.txt".into(),
        std::fs::read_to_string(root().join("data/sample/wire-brief.txt")).unwrap(),
    );
    m
}

#[test]
fn extract_sample_with_default_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let mut cmd = whosaid();
    cmd.arg("extract")
        .arg(root().join("data/sample"))
        .arg("-o")
        .arg(&out)
        .arg("-q");
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let recs = records(&std::fs::read_to_string(&out).unwrap());
    let texts = sample_texts();
    assert_eq!(recs.len(), texts.len(), "one record per article");
    for r in &recs {
        assert_schema(r);
        let id = r["id"].as_str().unwrap();
        assert_offsets(&texts[id], r);
    }
    // the default model finds the people, and the claims name them
    let first = &recs[0];
    assert_eq!(first["id"], "sample-01");
    assert_eq!(first["title"], "Defence ministers meet in Baku");
    let people: Vec<&str> = first["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["label"] == "PER")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(people.contains(&"Hulusi Akar"), "{people:?}");
    let akar = first["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Hulusi Akar")
        .expect("an Akar cluster");
    assert!(akar["mentions"].as_array().unwrap().len() >= 3, "{akar}");
    let claims = first["claims"].as_array().unwrap();
    let direct = claims
        .iter()
        .find(|c| c["kind"] == "direct")
        .expect("a direct claim");
    assert_eq!(direct["speaker"]["name"], "Hulusi Akar", "{direct}");
    assert_eq!(
        direct["pieces"].as_array().unwrap().len(),
        2,
        "split quote: {direct}"
    );
    let minister = claims
        .iter()
        .find(|c| c["speaker"]["text"] == "The minister")
        .expect("a claim by the minister");
    assert_eq!(minister["speaker"]["resolution"], "title");
    assert_eq!(minister["speaker"]["name"], "Hulusi Akar");
    let speakers = first["speakers"].as_array().unwrap();
    assert!(speakers
        .iter()
        .any(|s| s["name"] == "Hulusi Akar" && s["claims"].as_array().unwrap().len() >= 3));
}

#[test]
fn stdin_jsonl_plain_text_and_gzip_inputs() {
    let dir = tempfile::tempdir().unwrap();
    // gzip JSONL
    let gz = dir.path().join("a.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(
        "{\"id\": \"g1\", \"text\": \"Zoë Ångström said the vote was fair.\"}\n".as_bytes(),
    )
    .unwrap();
    write(&gz, enc.finish().unwrap());
    // a directory of text files: ids are relative paths
    write(
        &dir.path().join("docs/b/one.txt"),
        "Ann Lee said so.\r\nShe left.",
    );
    let mut cmd = whosaid();
    cmd.args(["extract", "-q", "--model"])
        .arg(tiny_model())
        .arg("-")
        .arg(&gz)
        .arg(dir.path().join("docs"));
    let o = run(
        cmd,
        "{\"id\": 7, \"text\": \"“Hi,” 😀 said Bo.\"}\n".as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let recs = records(&String::from_utf8(o.stdout.clone()).unwrap());
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["7", "g1", "b/one.txt"], "input order");
    assert_offsets("“Hi,” 😀 said Bo.", &recs[0]);
    assert_offsets("Zoë Ångström said the vote was fair.", &recs[1]);
    for r in &recs {
        assert_schema(r);
    }
}

#[test]
fn bad_lines_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"{\"id\": \"ok1\", \"text\": \"Fine text.\"}\n");
    bytes.extend_from_slice(b"{not json\n");
    bytes.extend_from_slice(b"[1, 2]\n");
    bytes.extend_from_slice(b"{\"id\": \"nt\"}\n");
    bytes.extend_from_slice(b"{\"id\": \"bad-utf8\", \"text\": \"\xff\xfe\"}\n");
    bytes.extend_from_slice(b"{\"id\": \"empty\", \"text\": \"   \"}\n");
    bytes.extend_from_slice(b"{\"id\": \"ok1\", \"text\": \"Duplicate id.\"}\n");
    write(&input, &bytes);
    let errors = dir.path().join("errors.jsonl");
    let mut cmd = whosaid();
    cmd.args(["extract", "--model"])
        .arg(tiny_model())
        .arg(&input)
        .arg(dir.path().join("missing.jsonl"))
        .arg("--errors")
        .arg(&errors);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(2), "{}", show(&o));
    let recs = records(&String::from_utf8(o.stdout.clone()).unwrap());
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["ok1", "empty", "ok1"], "duplicates are kept");
    assert!(recs[1]["entities"].as_array().unwrap().is_empty());
    let errs = records(&std::fs::read_to_string(&errors).unwrap());
    let kinds: Vec<&str> = errs.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "invalid_json",
            "not_object",
            "missing_text",
            "invalid_utf8",
            "io"
        ]
    );
    assert_eq!(errs[0]["line"], 2);
    assert_eq!(errs[2]["id"], Value::Null);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("read 8, written 3, failed 5"), "{stderr}");
    assert!(stderr.contains("duplicate id ok1"), "{stderr}");
}

fn extract_sample(args: &[&str]) -> Vec<u8> {
    let mut cmd = whosaid();
    cmd.args(["extract", "-q"])
        .args(args)
        .arg(root().join("data/sample"));
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    o.stdout
}

#[test]
fn default_model_tags_attributions_unless_rules_only() {
    let rules = |out: &[u8]| -> Vec<String> {
        records(&String::from_utf8_lossy(out))
            .iter()
            .flat_map(|r| r["claims"].as_array().cloned().unwrap_or_default())
            .map(|c| c["rule"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let with_head = rules(&extract_sample(&[]));
    assert!(
        with_head.iter().any(|r| r == "model.tagged"),
        "{with_head:?}"
    );
    let rules_only = rules(&extract_sample(&["--rules-only"]));
    assert!(!rules_only.is_empty());
    assert!(!rules_only.iter().any(|r| r == "model.tagged"));
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let one = extract_sample(&["--threads", "1"]);
    let two = extract_sample(&["--threads", "2"]);
    let four = extract_sample(&["--threads", "4", "--inference-threads", "1"]);
    assert_eq!(one, two, "1 vs 2 threads");
    assert_eq!(one, four, "1 vs 4 threads");
}

#[test]
fn fp32_model_output_is_identical_at_any_batch_size_and_buffer() {
    // the tiny model's fp32 graph (its int8 graph, the default, is checked with the shipped
    // model in tests/batch_independence.rs)
    let tiny = tiny_model();
    let tiny = tiny.to_str().unwrap();
    let base = extract_sample(&["--model", tiny, "--onnx-file", "model.onnx"]);
    for args in [
        ["--batch-size", "1"],
        ["--buffer", "2"],
        ["--batch-size", "5"],
    ] {
        let mut a = vec!["--model", tiny, "--onnx-file", "model.onnx"];
        a.extend(args);
        assert_eq!(base, extract_sample(&a), "{args:?}");
    }
}

#[test]
fn help_documents_every_flag() {
    let o = run(
        {
            let mut c = whosaid();
            c.args(["extract", "--help"]);
            c
        },
        b"",
    );
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in [
        "--output",
        "--errors",
        "--resume",
        "--id-field",
        "--text-field",
        "--title-field",
        "--max-chars",
        "--no-claims",
        "--stats",
        "--quiet",
        "--model",
        "--onnx-file",
        "--ort-lib",
        "--threads",
        "--inference-threads",
        "--batch-size",
        "--buffer",
        "--window-tokens",
        "--window-overlap",
        "--no-pack",
        "--aggregation",
        "--rules-only",
    ] {
        assert!(help.contains(flag), "extract --help lacks {flag}:\n{help}");
    }
}

#[test]
fn broken_model_directories_fail_at_start_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |name: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir_all(&d).unwrap();
        for f in ["model.onnx", "tokenizer.json", "config.json"] {
            std::fs::copy(tiny_model().join(f), d.join(f)).unwrap();
        }
        d
    };
    let missing = copy("missing");
    std::fs::remove_file(missing.join("tokenizer.json")).unwrap();
    let width = copy("width");
    write(
        &width.join("config.json"),
        r#"{"id2label": {"0": "O", "1": "B-PER", "2": "I-PER"}}"#,
    );
    let corrupt = copy("corrupt");
    write(&corrupt.join("model.onnx"), b"not an onnx file");
    let nolabels = copy("nolabels");
    write(&nolabels.join("config.json"), r#"{"model_type": "bert"}"#);
    // the attribution output's layout: undeclared, or not the three roles each once
    let tiny_config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tiny_model().join("config.json")).unwrap())
            .unwrap();
    let with_layout = |name: &str, layout: Option<serde_json::Value>| {
        let d = copy(name);
        let mut c = tiny_config.clone();
        match layout {
            Some(l) => c["whosaid"]["attribution"] = l,
            None => {
                c["whosaid"].as_object_mut().unwrap().remove("attribution");
            }
        }
        write(&d.join("config.json"), c.to_string());
        d
    };
    let undeclared = with_layout("undeclared", None);
    let twice = with_layout(
        "twice",
        Some(serde_json::json!({"output": "attribution_logits",
            "groups": ["cue", "cue", "content"], "tags": ["O", "B", "I"]})),
    );
    // a merge policy out of range
    let bad_merge = copy("bad_merge");
    let mut c = tiny_config.clone();
    c["whosaid"]["merge"] = serde_json::json!({"min_score": 2.0});
    write(&bad_merge.join("config.json"), c.to_string());
    let cases = [
        (&bad_merge, "whosaid.merge.min_score is 2.0"),
        (&missing, "missing file"),
        (&width, "logits width 9 differs from the 3 labels"),
        (&corrupt, "cannot load ONNX model"),
        (&nolabels, "no `id2label`"),
        (&undeclared, "config.json does not declare its layout"),
        (&twice, "each once"),
    ];
    for (model, want) in cases {
        let mut cmd = whosaid();
        cmd.args(["extract", "-", "--model"]).arg(model);
        let o = run(cmd, b"{\"text\": \"x\"}\n");
        assert_eq!(o.status.code(), Some(3), "{}", show(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "want {want:?}:\n{err}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn missing_runtime_says_how_to_install_it() {
    let mut cmd = whosaid();
    cmd.args([
        "extract",
        "-",
        "--ort-lib",
        "/nonexistent/libonnxruntime.so",
    ]);
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(3), "{}", show(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("scripts/setup.sh") && err.contains("pip download"),
        "{err}"
    );
}

#[test]
fn long_sentences_are_windowed_not_truncated() {
    // one 400-word sentence: far beyond the tiny model's 32-token windows
    let words: Vec<String> = (0..400).map(|i| format!("Name{}", i % 7)).collect();
    let text = format!("{} said the minister.", words.join(" "));
    let line = serde_json::json!({"id": "long", "text": text}).to_string();
    let mut cmd = whosaid();
    cmd.args(["extract", "-", "-q", "--stats", "--model"])
        .arg(tiny_model());
    let o = run(cmd, format!("{line}\n").as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let r = &records(&String::from_utf8(o.stdout.clone()).unwrap())[0];
    assert_offsets(&text, r);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("1 articles, 1 sentences"), "{stderr}");
    // the last word of the text is covered by a window: the tiny model labels nearly
    // everything, so some entity must end past character 2000
    let last_end = r["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["end"].as_u64().unwrap())
        .max();
    assert!(last_end.unwrap_or(0) > 2000, "{r}");
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let o = run(
        {
            let mut c = whosaid();
            c.arg("schema");
            c
        },
        b"",
    );
    let committed = std::fs::read_to_string(root().join("schema/record.schema.json")).unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), committed);
}

#[test]
fn closed_stdout_exits_quietly() {
    let mut cmd = whosaid();
    cmd.args(["extract", "-q", "--model"])
        .arg(tiny_model())
        .arg("-");
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take()); // the reader goes away
    {
        let mut si = child.stdin.take().unwrap();
        for i in 0..2000 {
            let _ = writeln!(
                si,
                "{{\"id\": \"{i}\", \"text\": \"Ann said it was fine.\"}}"
            );
        }
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

#[test]
fn eval_ner_scores_a_conll_sample() {
    let mut cmd = whosaid();
    cmd.args(["eval", "ner", "--json", "--gold"])
        .arg(root().join("tests/fixtures/gold/mini.conll"));
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    for k in ["micro", "per_type", "sentences", "tokens", "seconds"] {
        assert!(v.get(k).is_some(), "missing {k}: {v}");
    }
    assert_eq!(v["sentences"], 4);
    assert_eq!(v["gold_scheme"], "IOB1");
    // the default model gets this easy sample nearly right
    assert!(v["micro"]["f1"].as_f64().unwrap() >= 0.8, "{v}");
}

#[test]
fn eval_quotes_scores_an_attribution_sample() {
    let mut cmd = whosaid();
    cmd.args(["eval", "quotes", "--json", "--gold"])
        .arg(root().join("tests/fixtures/gold/quotes.jsonl"));
    let o = run(cmd, b"");
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    for k in ["content", "source", "cue", "by_kind", "by_rule"] {
        assert!(v.get(k).is_some(), "missing {k}: {v}");
    }
    assert_eq!(v["content"]["exact"]["f1"], 1.0, "{v}");
    assert_eq!(v["source"]["exact"]["f1"], 1.0, "{v}");
}

#[test]
fn eval_parts_score_the_rules_the_model_and_the_merge_apart() {
    for (sub, gold) in [
        ("quotes", "tests/fixtures/gold/quotes.jsonl"),
        ("attribution", "tests/fixtures/attribution_gold.jsonl"),
    ] {
        let mut cmd = whosaid();
        cmd.args(["eval", sub, "--parts", "--json", "--gold"])
            .arg(root().join(gold));
        let o = run(cmd, b"");
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let f1 = |part: &str, role: &str| v[part][role]["exact"]["f1"].as_f64().unwrap_or(-1.0);
        for part in ["rules alone", "model alone", "merged"] {
            for role in ["content", "source", "cue"] {
                assert!(
                    (0.0..=1.0).contains(&f1(part, role)),
                    "{sub} {part} {role}: {v}"
                );
            }
        }
        // the merged part is what a plain eval scores
        let mut cmd = whosaid();
        cmd.args(["eval", sub, "--json", "--gold"])
            .arg(root().join(gold));
        let o = run(cmd, b"");
        let plain: Value = serde_json::from_slice(&o.stdout).unwrap();
        let plain = if sub == "quotes" {
            &plain
        } else {
            &plain["scores"]
        };
        for role in ["content", "source", "cue"] {
            assert_eq!(
                plain[role]["exact"], v["merged"][role]["exact"],
                "{sub} {role}"
            );
        }
    }
    // --rules-only and --model-alone are two answers to one question: bad flags exit 3
    let mut cmd = whosaid();
    cmd.args(["eval", "quotes", "--rules-only", "--model-alone", "--gold"])
        .arg(root().join("tests/fixtures/gold/quotes.jsonl"));
    assert_eq!(run(cmd, b"").status.code(), Some(3));
}

#[test]
fn eval_reports_are_written_as_html() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, gold) in [("ner", "mini.conll"), ("quotes", "quotes.jsonl")] {
        let report = dir.path().join(format!("{sub}.html"));
        let mut cmd = whosaid();
        cmd.args(["eval", sub, "--gold"])
            .arg(root().join("tests/fixtures/gold").join(gold))
            .arg("--report")
            .arg(&report);
        let o = run(cmd, b"");
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
        let html = std::fs::read_to_string(&report).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"),
            "{sub}"
        );
    }
    let ner = std::fs::read_to_string(dir.path().join("ner.html")).unwrap();
    assert!(ner.contains("Confusion by entity type"));
}

#[test]
fn a_model_without_its_own_calibration_says_so() {
    // the tiny model has no confidence.json: claims carry raw scores, and extract says so
    let stderr = |model: &std::path::Path, extra: &[&str]| {
        let mut cmd = whosaid();
        cmd.args(["extract", "--model"])
            .arg(model)
            .args(extra)
            .arg(root().join("data/sample"));
        let o = run(cmd, b"");
        assert_eq!(o.status.code(), Some(0), "{}", show(&o));
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    let note = "has no confidence.json";
    assert!(!tiny_model().join("confidence.json").exists());
    assert!(stderr(&tiny_model(), &[]).contains(note));
    assert!(!stderr(&tiny_model(), &["-q"]).contains(note));
    assert!(!stderr(&tiny_model(), &["--raw-confidence"]).contains(note));
    assert!(default_model().join("confidence.json").exists());
    assert!(!stderr(&default_model(), &[]).contains(note));
}

/// The record of one article run through `extract` with the shipped model (stdin to stdout),
/// checked against the schema and the article's offsets.
fn extract_one(id: &str, text: &str) -> Value {
    let line = serde_json::json!({"id": id, "text": text}).to_string();
    let mut cmd = whosaid();
    cmd.args(["extract", "-", "-q"]);
    let o = run(cmd, line.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", show(&o));
    let r = records(&String::from_utf8_lossy(&o.stdout)).remove(0);
    assert_schema(&r);
    assert_offsets(text, &r);
    r
}

/// The speaker-resolution case of the speakers issue, on the project's own text with the
/// shipped model: a minister quoted five times (by name, title, pronoun and name again) after
/// "the … media have reported": the media stay unresolved (no person, no organisation), and
/// all five claims go to the minister, one entry in `speakers[]`.
#[test]
fn a_minister_quoted_five_ways_is_one_speaker_and_the_media_stay_unresolved() {
    let text = "Fuel taxes may rise, Kestrelian media report\n\n\
        The Kestrelian media have reported that the finance ministry will raise fuel taxes next year.\n\n\
        Finance Minister Ana Ruiz said on Monday that no decision had been taken.\n\n\
        “We are looking at every option, and we will take our time,” Ruiz said.\n\n\
        The minister added that the budget would be presented in May.\n\n\
        She said the rise, if there is one, would be small.\n\n\
        “Nobody will pay more this winter,” Ruiz told reporters in the capital.";
    let r = &extract_one("own-minister", text);
    let claims = r["claims"].as_array().unwrap();
    let media: Vec<&Value> = claims
        .iter()
        .filter(|c| {
            c["speaker"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("media"))
        })
        .collect();
    assert!(!media.is_empty(), "{claims:?}");
    for c in &media {
        assert_eq!(c["speaker"]["resolution"], "none", "{c}");
        assert!(c["speaker"]["cluster"].is_null(), "{c}");
    }
    let speakers = r["speakers"].as_array().unwrap();
    let minister: Vec<&Value> = speakers
        .iter()
        .filter(|s| s["name"] == "Ana Ruiz")
        .collect();
    assert_eq!(minister.len(), 1, "{speakers:?}");
    assert_eq!(
        minister[0]["claims"].as_array().unwrap().len(),
        5,
        "{speakers:?}"
    );
    let how: Vec<&str> = claims
        .iter()
        .filter(|c| c["speaker"]["name"] == "Ana Ruiz")
        .map(|c| c["speaker"]["resolution"].as_str().unwrap())
        .collect();
    assert_eq!(how, ["name", "name", "title", "pronoun", "name"]);
}

/// Coordinated speakers (the speakers issue: "X and Y said" kept only the first): with the
/// shipped model, a claim said by two people is listed under both in `speakers[]`.
#[test]
fn coordinated_speakers_each_hold_the_claim() {
    let text = "The bridge reopened on Monday.\n\n\
        Mayor Ana Ruiz and Governor Tomas Reyes said that the repairs had cost less than planned.\n\n\
        “We are proud of the crews,” Ruiz and Reyes said in a joint statement.";
    let r = &extract_one("own-coordinated", text);
    let speakers = r["speakers"].as_array().unwrap();
    let claims_of = |name: &str| -> Vec<String> {
        speakers
            .iter()
            .filter(|s| s["name"] == name)
            .flat_map(|s| s["claims"].as_array().unwrap().iter())
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(claims_of("Ana Ruiz"), ["q0", "q1"], "{speakers:?}");
    assert_eq!(claims_of("Tomas Reyes"), ["q0", "q1"], "{speakers:?}");
}
