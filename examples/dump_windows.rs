//! Writes the model windows whosaid builds for each article of a JSONL file with a `text`
//! field (PolNeAR-style gold), so training scripts see exactly what inference sees.
//! One JSON line per article: `{"line", "windows": [{"input_ids", "casing_ids", "prefix_len",
//! "start", "end", "word", "owned"}]}`. `input_ids` and `casing_ids` are the row the model is
//! fed for the window (`prediction::Batch::build`, special tokens and their casing class
//! included, no padding), so a training script adds nothing of its own; `prefix_len` is the
//! number of special tokens before the window's first token. `start`/`end` are code-point
//! offsets in `text` of each window token (specials excluded), `word` its article-wide word
//! index, `owned` the owned token range relative to the window's tokens. Used by
//! scripts/train_joint.py.
//!
//! cargo run --release --example dump_windows -- MODEL_DIR GOLD.jsonl > windows.jsonl

use std::io::{BufRead, Write};
use std::path::PathBuf;

use whosaid::article::Article;
use whosaid::encoding::{Encoder, EncoderConfig};
use whosaid::pipeline::{LoadOptions, ModelDir};
use whosaid::prediction::Batch;
use whosaid::record::CharIndex;
use whosaid::segment::segment;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 3 {
        return Err("usage: dump_windows MODEL_DIR GOLD.jsonl".into());
    }
    let model = PathBuf::from(&a[1]);
    // the windows the pipeline cuts for this model: its window length (config.json), the
    // default overlap and packing
    let dir = ModelDir::open(&model, None)?;
    let defaults = LoadOptions::default();
    let encoder = Encoder::from_file(
        &model.join("tokenizer.json"),
        EncoderConfig {
            max_tokens: dir.window(defaults.window_tokens),
            overlap: defaults.window_overlap,
            pack_sentences: defaults.pack_sentences,
        },
    )?;
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
            .enumerate()
            .map(|(i, w)| {
                let toks = &enc.tokens[w.tokens.clone()];
                // the window alone: one row, no padding, exactly as inference builds it
                let batch = Batch::build(&encoder, &[&enc], &[(0, i)], true);
                let (input_ids, casing_ids) = batch.row(0);
                serde_json::json!({
                    "input_ids": input_ids,
                    "casing_ids": casing_ids,
                    "prefix_len": batch.prefix_len,
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
