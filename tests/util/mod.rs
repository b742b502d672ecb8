//! Helpers shared by the integration tests: the binary, temp dirs, schema and offset checks.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The default model directory.
pub fn default_model() -> PathBuf {
    root().join("models/minilm-conll03")
}

/// The tiny test model.
pub fn tiny_model() -> PathBuf {
    root().join("tests/fixtures/tiny-model")
}

/// A command running the built binary.
pub fn whosaid() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_whosaid"));
    c.env_remove("WHOSAID_MODEL");
    c
}

/// Runs the command with `stdin` and returns its output.
pub fn run(mut cmd: Command, stdin: &[u8]) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn whosaid");
    {
        let mut si = child.stdin.take().expect("stdin");
        let _ = si.write_all(stdin);
    }
    child.wait_with_output().expect("wait")
}

/// Prints stdout and stderr in full, for failing assertions.
pub fn show(o: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Parses JSONL text into values.
pub fn records(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// Validates a record against schema/record.schema.json, panicking with the errors.
pub fn assert_schema(record: &Value) {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/record.schema.json")).expect("schema"),
    )
    .expect("schema JSON");
    let v = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = v.iter_errors(record).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "record violates schema: {errors:#?}\n{record}"
    );
}

/// Python-style slice by code points.
pub fn cp_slice(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

fn check_span(text: &str, v: &Value, what: &str) {
    let (s, e) = (
        v["start"].as_u64().expect("start"),
        v["end"].as_u64().expect("end"),
    );
    assert!(s <= e, "{what}: start after end in {v}");
    assert_eq!(
        cp_slice(text, s, e),
        v["text"].as_str().expect("text"),
        "{what}: {v}"
    );
}

/// Every span of the record slices back to its text (code points, as in Python).
pub fn assert_offsets(text: &str, record: &Value) {
    for e in record["entities"].as_array().expect("entities") {
        check_span(text, e, "entity");
    }
    for c in record["claims"].as_array().expect("claims") {
        check_span(text, c, "claim");
        for p in c["pieces"].as_array().expect("pieces") {
            check_span(text, p, "piece");
        }
        if !c["cue"].is_null() {
            check_span(text, &c["cue"], "cue");
        }
        if !c["speaker"].is_null() {
            check_span(text, &c["speaker"], "speaker");
        }
    }
    for s in record["speakers"].as_array().expect("speakers") {
        for m in s["mentions"].as_array().expect("mentions") {
            check_span(text, m, "speaker mention");
        }
    }
}

/// Writes a file, creating parents.
pub fn write(path: &Path, content: impl AsRef<[u8]>) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    std::fs::write(path, content).expect("write");
}

/// The tiny test tokenizer as an encoder with windows of `max_tokens` (packed sentences).
pub fn tiny_encoder(max_tokens: usize, overlap: usize) -> whosaid::encoding::Encoder {
    whosaid::encoding::Encoder::from_file(
        &tiny_model().join("tokenizer.json"),
        whosaid::encoding::EncoderConfig {
            max_tokens,
            overlap,
            pack_sentences: true,
        },
    )
    .expect("tiny tokenizer loads")
}

/// The PER/ORG label set the fixture classifiers of the tests use.
pub fn per_org_labels() -> whosaid::prediction::LabelMap {
    whosaid::prediction::LabelMap::new(
        ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
}
