//! Writes a CoNLL column file as whosaid reads it (`eval::conll`: `-DOCSTART-` documents,
//! blank-line sentences, token first and tag last, IOB1 normalised to IOB2), so the training
//! scripts read CoNLL through the same code as `whosaid eval ner` instead of a second parser.
//! One JSON line per document: `{"sentences": [{"tokens": [...], "tags": [...]}, ...]}`.
//! Used by scripts/train_ner.py (`read_conll`).
//!
//! cargo run --release --example dump_conll -- FILE.conll > docs.jsonl

use std::io::Write;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 2 {
        return Err("usage: dump_conll FILE.conll".into());
    }
    let (docs, iob1) = whosaid::eval::conll::read(&PathBuf::from(&a[1]))?;
    if iob1 {
        eprintln!("dump_conll: {}: IOB1 tags normalised to IOB2", a[1]);
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for doc in docs {
        let sentences: Vec<serde_json::Value> = doc
            .iter()
            .map(|s| serde_json::json!({"tokens": s.tokens, "tags": s.tags}))
            .collect();
        writeln!(out, "{}", serde_json::json!({ "sentences": sentences }))?;
    }
    out.flush()?;
    Ok(())
}
