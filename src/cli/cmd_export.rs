//! `whosaid export`: records (+ the input texts) → pre-annotations for a labelling tool.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use super::args::{ExportArgs, ExportFormatArg};
use whosaid::eval::gold::export;

/// Runs `whosaid export`.
pub fn run(args: ExportArgs) -> Result<ExitCode> {
    if args.texts.text.is_empty() {
        bail!("--text INPUT is required: the articles whose records are exported");
    }
    let texts: HashMap<String, String> = super::read_texts(&args.texts);
    let f = std::fs::File::open(&args.records)
        .with_context(|| format!("reading {}", args.records.display()))?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(super::create_file(p)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let version = format!("whosaid {}", env!("CARGO_PKG_VERSION"));
    let mut n = 0usize;
    if args.format == ExportFormatArg::LabelStudio {
        out.write_all(b"[")?;
    }
    for (line_no, line) in BufReader::new(f).lines().enumerate() {
        let where_ = || format!("{} line {}", args.records.display(), line_no + 1);
        let line = line.with_context(where_)?;
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{}: not a record", where_()))?;
        let Some(id) = record.get("id").and_then(|v| v.as_str()) else {
            bail!("{}: the record has no string `id`", where_());
        };
        let Some(text) = texts.get(id) else {
            bail!(
                "{}: no text for article {id:?} in the --text inputs (is --id-field right?)",
                where_()
            );
        };
        let item = match args.format {
            ExportFormatArg::LabelStudio => export::label_studio_task(&record, text, &version),
            ExportFormatArg::Doccano => export::doccano_line(&record, text),
        };
        match args.format {
            ExportFormatArg::LabelStudio => {
                out.write_all(if n == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut out, &item)?;
            }
            ExportFormatArg::Doccano => {
                serde_json::to_writer(&mut out, &item)?;
                out.write_all(b"\n")?;
            }
        }
        n += 1;
    }
    if args.format == ExportFormatArg::LabelStudio {
        out.write_all(b"\n]\n")?;
    }
    out.flush()?;
    eprintln!("whosaid: exported {n} articles");
    Ok(ExitCode::SUCCESS)
}
