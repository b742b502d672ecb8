//! `whosaid render`: records (+ the input texts) → one self-contained HTML page.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::args::RenderArgs;

/// Runs `whosaid render`.
pub fn run(args: RenderArgs) -> Result<ExitCode> {
    let texts: HashMap<String, String> = super::read_texts(&args.texts);
    let f = std::fs::File::open(&args.records)
        .with_context(|| format!("reading {}", args.records.display()))?;
    let mut items = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", args.records.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{} line {}: not a record", args.records.display(), n + 1))?;
        let text = v["id"].as_str().and_then(|id| texts.get(id)).cloned();
        items.push((v, text));
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(super::create_file(p)?),
        None => Box::new(std::io::stdout().lock()),
    };
    whosaid::render::write_html(&mut out, &items)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
