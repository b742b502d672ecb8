//! `whosaid extract`: inputs → pipeline → JSONL records, with errors file, resume and progress.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use super::args::ExtractArgs;
use super::config::{calibration_note, load_pipeline};
use super::EXIT_PARTIAL;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use whosaid::article::{ArticleReader, BytesRead, FieldNames, ReadOptions};
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

/// Counters shared by the reader, the sink and the progress reporter.
#[derive(Default)]
struct Counters {
    /// Items taken from the reader (articles and unreadable items).
    read: AtomicUsize,
    /// Items skipped because `--resume` found them written.
    skipped: AtomicUsize,
    /// Outcomes handed to the sink (records written or failures).
    done: AtomicUsize,
}

/// Progress on stderr: an `indicatif` bar on a terminal (articles, bytes, articles/s and an
/// ETA from the bytes read, compressed bytes for gzip input); otherwise a line every
/// `--progress-every` seconds (30) while work is in flight, also while one long article
/// is being processed and no record comes out.
struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn new(quiet: bool, total_bytes: u64) -> Progress {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = if total_bytes > 0 {
                ProgressBar::new(total_bytes)
            } else {
                ProgressBar::new_spinner()
            };
            let template = if total_bytes > 0 {
                "{spinner} {elapsed_precise} [{wide_bar}] {binary_bytes}/{binary_total_bytes} · {msg} · ETA {eta}"
            } else {
                "{spinner} {elapsed_precise} {binary_bytes} read · {msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
            bar
        });
        Progress { bar }
    }

    /// Prints one line on stderr without tearing the bar.
    fn say(&self, line: &str) {
        match &self.bar {
            Some(b) => b.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Reports until `stop` is set: redraws the bar, or prints a line every `every` while
    /// some article read has no outcome yet.
    fn report(
        &self,
        counters: &Counters,
        bytes: &BytesRead,
        total_bytes: u64,
        every: Duration,
        stop: &AtomicBool,
    ) {
        let start = Instant::now();
        let mut last = Instant::now();
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
            let done = counters.done.load(Ordering::Relaxed);
            let read = counters.read.load(Ordering::Relaxed);
            let skipped = counters.skipped.load(Ordering::Relaxed);
            let in_flight = read.saturating_sub(done + skipped);
            let b = bytes.load(Ordering::Relaxed);
            let secs = start.elapsed().as_secs_f64().max(1e-9);
            let rate = done as f64 / secs;
            if let Some(bar) = &self.bar {
                bar.set_position(b);
                bar.set_message(format!(
                    "{done} articles, {in_flight} in flight, {rate:.1} articles/s"
                ));
                continue;
            }
            if last.elapsed() < every {
                continue;
            }
            last = Instant::now();
            if in_flight == 0 && b >= total_bytes {
                continue;
            }
            let mb = |x: u64| x as f64 / 1e6;
            let of = if total_bytes > 0 {
                format!(
                    " of {:.1} MB ({:.0}%)",
                    mb(total_bytes),
                    100.0 * b as f64 / total_bytes as f64
                )
            } else {
                String::new()
            };
            let eta = if total_bytes > 0 && b > 0 && b < total_bytes {
                let left = total_bytes.saturating_sub(b) as f64;
                format!(", ETA {:.0}s", left / (b as f64 / secs))
            } else {
                String::new()
            };
            eprintln!(
                "whosaid: progress: {done} articles done, {in_flight} in flight, {:.1} MB{of} read, {rate:.1} articles/s{eta}",
                mb(b)
            );
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// Runs `whosaid extract`.
pub fn run(args: ExtractArgs) -> Result<ExitCode> {
    let mut pipeline = load_pipeline(&args.model, !args.no_claims, None)?;
    if let (false, Some(note)) = (
        args.quiet,
        calibration_note(&pipeline, &args.model, !args.no_claims),
    ) {
        eprintln!("whosaid: {note}");
    }
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
    let counters = Counters::default();
    let articles = ArticleReader::new(&args.inputs, options);
    let bytes = articles.bytes_read();
    let total_bytes = articles.total_bytes();
    let reader = articles.filter(|r| {
        counters.read.fetch_add(1, Ordering::Relaxed);
        match r {
            Ok(a) if done_ids.contains(&a.id.0) => {
                counters.skipped.fetch_add(1, Ordering::Relaxed);
                false
            }
            _ => true,
        }
    });
    let mut writer = RecordWriter::new(out);
    let mut tally = Tally::default();
    let mut seen: HashSet<String> = HashSet::new();
    let progress = Progress::new(args.quiet, total_bytes);
    let started = Instant::now();
    let stop = AtomicBool::new(false);
    let every = Duration::from_secs(args.progress_every.max(1));
    let stats: RunStats = std::thread::scope(|scope| {
        if !args.quiet {
            scope.spawn(|| progress.report(&counters, &bytes, total_bytes, every, &stop));
        }
        let r = pipeline.run(reader, |outcome| {
            match outcome {
                Outcome::Done(p) => {
                    if !seen.insert(p.record.id.clone()) {
                        tally.duplicates += 1;
                        progress.say(&format!(
                            "whosaid: warning: duplicate id {} ({} line {}); both records kept",
                            p.record.id, p.article.origin.input, p.article.origin.line
                        ));
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
                    progress.say(&match &id {
                        Some(i) => format!(
                            "whosaid: failed: article {i} ({} line {}): {message}",
                            origin.input, origin.line
                        ),
                        None => format!("whosaid: failed: {message}"),
                    });
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
            counters.done.fetch_add(1, Ordering::Relaxed);
            Ok(())
        });
        stop.store(true, Ordering::Relaxed);
        r
    })?;
    progress.finish();
    writer.flush()?;
    let skipped = counters.skipped.load(Ordering::Relaxed);
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
