//! Writes the model windows whosaid builds for each article of a JSONL file with a `text`
//! field (PolNeAR-style gold), so training scripts see exactly what inference sees.
//! One JSON line per article: `{"line", "windows": [{"ids", "casing", "start", "end",
//! "word", "owned"}]}`; `start`/`end` are code-point offsets of each token in `text`, `word` the
//! article-wide word index, `owned` the owned token range relative to the window (no specials).
//! Used by scripts/train_joint.py.
//!
//! cargo run --release --example dump_windows -- MODEL_DIR GOLD.jsonl > windows.jsonl

use std::io::{BufRead, Write};
use std::path::PathBuf;

use whosaid::article::Article;
use whosaid::encoding::{Encoder, EncoderConfig};
use whosaid::record::CharIndex;
use whosaid::segment::segment;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 3 {
        return Err("usage: dump_windows MODEL_DIR GOLD.jsonl".into());
    }
    let model = PathBuf::from(&a[1]);
    let encoder = Encoder::from_file(&model.join("tokenizer.json"), EncoderConfig::default())?;
    let input = std::io::BufReader::new(std::fs::File::open(&a[2])?);
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for (n, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)?;
        let text = v["text"].as_str().ok_or("no text")?.to_string();
        let cp = CharIndex::new(&text);
        let article = Article::new(format!("line{}", n + 1), text);
        let enc = encoder.encode(&article, &segment(&article))?;
        let windows: Vec<serde_json::Value> = enc
            .windows
            .iter()
            .map(|w| {
                let toks = &enc.tokens[w.tokens.clone()];
                serde_json::json!({
                    "ids": toks.iter().map(|t| t.id).collect::<Vec<_>>(),
                    "casing": toks.iter().map(|t| enc.words[t.word].casing).collect::<Vec<_>>(),
                    "start": toks.iter().map(|t| cp.char_offset(t.span.start)).collect::<Vec<_>>(),
                    "end": toks.iter().map(|t| cp.char_offset(t.span.end)).collect::<Vec<_>>(),
                    "word": toks.iter().map(|t| t.word).collect::<Vec<_>>(),
                    "owned": [w.owned.start - w.tokens.start, w.owned.end - w.tokens.start],
                })
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::json!({"line": n, "windows": windows})
        )?;
    }
    Ok(())
}
