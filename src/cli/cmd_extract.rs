//! `whosaid extract`: inputs → pipeline → JSONL records, with errors file, resume and progress.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use super::args::ExtractArgs;
use super::config::load_pipeline;
use super::EXIT_PARTIAL;
use whosaid::article::{ArticleReader, FieldNames, ReadOptions};
use whosaid::pipeline::{Outcome, RunStats};
use whosaid::record::RecordWriter;

/// One line of `--errors`.
#[derive(Serialize)]
struct ErrorLine<'a> {
    input: &'a str,
    line: u64,
    id: Option<&'a str>,
    kind: &'a str,
    message: String,
}

#[derive(Default)]
struct Tally {
    written: usize,
    failed: usize,
    duplicates: usize,
}

/// Repairs a torn last line (a crash mid-write) and returns the ids already written.
fn prepare_resume(path: &Path) -> Result<HashSet<String>> {
    let mut ids = HashSet::new();
    if !path.exists() {
        return Ok(ids);
    }
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .with_context(|| format!("opening {} to resume", path.display()))?;
    let len = f.metadata()?.len();
    // find the end of the last complete line
    let mut keep = len;
    let mut buf = vec![0u8; 1 << 16];
    while keep > 0 {
        let start = keep.saturating_sub(buf.len() as u64);
        f.seek(SeekFrom::Start(start))?;
        let n = (keep - start) as usize;
        f.read_exact(&mut buf[..n])?;
        if let Some(p) = buf[..n].iter().rposition(|b| *b == b'\n') {
            keep = start + p as u64 + 1;
            break;
        }
        keep = start;
    }
    if keep < len {
        f.set_len(keep)
            .with_context(|| format!("repairing torn last line of {}", path.display()))?;
    }
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    f.seek(SeekFrom::Start(0))?;
    for line in BufReader::new(f).lines() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if let Ok(r) = serde_json::from_str::<IdOnly>(&line) {
            ids.insert(r.id);
        }
    }
    Ok(ids)
}

fn open_out(path: &Path, append: bool) -> Result<File> {
    let mut o = OpenOptions::new();
    o.create(true);
    if append {
        o.append(true);
    } else {
        o.write(true).truncate(true);
    }
    o.open(path)
        .with_context(|| format!("opening {} for writing", path.display()))
}

/// Progress on stderr: a redrawn line on a terminal, a line every 30 s otherwise.
struct Progress {
    on: bool,
    tty: bool,
    start: Instant,
    last: Instant,
    total_bytes: u64,
}

impl Progress {
    fn new(quiet: bool, inputs: &[PathBuf]) -> Progress {
        let total_bytes = inputs
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        Progress {
            on: !quiet,
            tty: io::stderr().is_terminal(),
            start: Instant::now(),
            last: Instant::now(),
            total_bytes,
        }
    }

    fn tick(&mut self, done: usize, bytes: u64) {
        if !self.on {
            return;
        }
        let every = if self.tty {
            Duration::from_millis(250)
        } else {
            Duration::from_secs(30)
        };
        if self.last.elapsed() < every {
            return;
        }
        self.last = Instant::now();
        let secs = self.start.elapsed().as_secs_f64().max(1e-9);
        let rate = done as f64 / secs;
        let eta = if self.total_bytes > 0 && bytes > 0 {
            let left = self.total_bytes.saturating_sub(bytes) as f64;
            format!(", ETA {:.0}s", left / (bytes as f64 / secs))
        } else {
            String::new()
        };
        let pct = if self.total_bytes > 0 {
            format!(" ({:.0}%)", 100.0 * bytes as f64 / self.total_bytes as f64)
        } else {
            String::new()
        };
        if self.tty {
            eprint!("\r\x1b[2Kwhosaid: {done} articles{pct}, {rate:.1} articles/s{eta}");
        } else {
            eprintln!("whosaid: progress: {done} articles{pct}, {rate:.1} articles/s{eta}");
        }
    }

    fn finish(&self) {
        if self.on && self.tty {
            eprint!("\r\x1b[2K");
        }
    }
}

/// Runs `whosaid extract`.
pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let mut pipeline = load_pipeline(&args.model, !args.no_claims, None)?;
    let done_ids = match (&args.output, args.resume) {
        (Some(p), true) => prepare_resume(p)?,
        _ => HashSet::new(),
    };
    let out: Box<dyn Write + Send> = match &args.output {
        Some(p) => Box::new(open_out(p, args.resume)?),
        None => Box::new(io::stdout()),
    };
    // the errors file is rewritten even on --resume: every article not yet written (failed
    // ones included) is read and tried again, so this run reports each failure exactly once
    let mut errors_out = match &args.errors {
        Some(p) => Some(io::BufWriter::new(open_out(p, false)?)),
        None => None,
    };
    let options = ReadOptions {
        fields: FieldNames {
            id: args.id_field.clone(),
            text: args.text_field.clone(),
            title: args.title_field.clone(),
        },
        max_chars: args.max_chars,
    };
    let skipped = AtomicUsize::new(0);
    let bytes_read = AtomicUsize::new(0);
    let reader = ArticleReader::new(&args.inputs, options).filter(|r| match r {
        Ok(a) => {
            bytes_read.fetch_add(a.body.len(), Ordering::Relaxed);
            if done_ids.contains(&a.id.0) {
                skipped.fetch_add(1, Ordering::Relaxed);
                false
            } else {
                true
            }
        }
        Err(_) => true,
    });
    let mut writer = RecordWriter::new(out);
    let mut tally = Tally::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut progress = Progress::new(args.quiet, &args.inputs);
    let started = Instant::now();
    let stats: RunStats = pipeline.run(reader, |outcome| {
        match outcome {
            Outcome::Done(p) => {
                if !seen.insert(p.record.id.clone()) {
                    tally.duplicates += 1;
                    eprintln!(
                        "whosaid: warning: duplicate id {} ({} line {}); both records kept",
                        p.record.id, p.article.origin.input, p.article.origin.line
                    );
                }
                writer.write(&p.record)?;
                // one flush per record: a crash tears at most the line being written
                writer.flush()?;
                tally.written += 1;
            }
            Outcome::Failed { origin, id, error } => {
                tally.failed += 1;
                let kind = error.kind();
                let message = format!("{:#}", anyhow::Error::new(error));
                match &id {
                    Some(i) => eprintln!(
                        "whosaid: failed: article {i} ({} line {}): {message}",
                        origin.input, origin.line
                    ),
                    None => eprintln!("whosaid: failed: {message}"),
                }
                if let Some(w) = errors_out.as_mut() {
                    let line = ErrorLine {
                        input: &origin.input,
                        line: origin.line,
                        id: id.as_deref(),
                        kind,
                        message,
                    };
                    serde_json::to_writer(&mut *w, &line).map_err(io::Error::other)?;
                    w.write_all(b"\n")?;
                    w.flush()?;
                }
            }
        }
        progress.tick(
            tally.written + tally.failed,
            bytes_read.load(Ordering::Relaxed) as u64,
        );
        Ok(())
    })?;
    progress.finish();
    writer.flush()?;
    let skipped = skipped.load(Ordering::Relaxed);
    let read = tally.written + tally.failed;
    if !args.quiet || tally.failed > 0 {
        eprintln!(
            "whosaid: read {read}, written {}, failed {}, skipped {skipped}{}",
            tally.written,
            tally.failed,
            if tally.duplicates > 0 {
                format!(", duplicate ids {}", tally.duplicates)
            } else {
                String::new()
            }
        );
    }
    if args.stats {
        print_stats(&stats, started.elapsed());
    }
    Ok(if tally.failed > 0 {
        ExitCode::from(EXIT_PARTIAL)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_stats(s: &RunStats, wall: Duration) {
    let b = &s.batches;
    let pad = if b.real + b.padded == 0 {
        0.0
    } else {
        b.padded as f64 / (b.real + b.padded) as f64
    };
    let secs = wall.as_secs_f64().max(1e-9);
    eprintln!(
        "whosaid: stats: {} articles, {} sentences, {} tokens, {} windows in {} batches, padding {:.1}%",
        s.articles,
        s.sentences,
        s.tokens,
        b.windows,
        b.batches,
        100.0 * pad
    );
    eprintln!(
        "whosaid: stats: wall {:.2}s ({:.1} articles/s, {:.0} tokens/s); stage time: read+segment+tokenize {:.2}s, inference {:.2}s, decode+claims+records {:.2}s (stages overlap)",
        secs,
        s.articles as f64 / secs,
        s.tokens as f64 / secs,
        s.pre.as_secs_f64(),
        s.inference.as_secs_f64(),
        s.post.as_secs_f64()
    );
}
