//! STAGE 0 · input → [`Article`].
//!
//! Input: JSONL files (one article per line), `.txt` files, directories of them, `-` for
//! stdin; any of them gzip-compressed (`.gz`). Output: a stream of `Result<Article>` in input
//! order. A bad line becomes an [`Error::BadInput`] for that line and reading goes on; an
//! unreadable or truncated file becomes one error and reading goes on with the next input.
//! Must not know about segmentation, models or records.

mod jsonl;
mod text;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::span::ArticleId;

pub use jsonl::{from_value, FieldNames};

/// One news article, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Identifier (the id field, a relative path, or `input:line` when the field is missing).
    pub id: ArticleId,
    /// Optional title, kept in the record.
    pub title: Option<String>,
    /// The text every span points into, exactly as read.
    pub body: String,
    /// Where the article came from.
    pub origin: Origin,
}

/// Where an article (or a failure) came from: input name and 1-based line (0 for a whole file).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// Input name as given (a path, or `-`).
    pub input: String,
    /// 1-based line number in a JSONL input, 0 for a whole-file article.
    pub line: u64,
}

impl Article {
    /// An article from an id and a body (tests, eval, library users).
    pub fn new(id: impl Into<String>, body: impl Into<String>) -> Article {
        Article {
            id: ArticleId(id.into()),
            title: None,
            body: body.into(),
            origin: Origin::default(),
        }
    }
}

/// Reading options.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// JSON field names.
    pub fields: FieldNames,
    /// Articles longer than this many characters are reported as errors, not processed.
    pub max_chars: usize,
}

/// Default `--max-chars`: 20 million characters, far above any news article, low enough
/// that one runaway line cannot take the machine's memory.
pub const DEFAULT_MAX_CHARS: usize = 20_000_000;

impl ReadOptions {
    /// Longest JSONL line kept in memory: 6 bytes per allowed character (a `\\u00e9` escape)
    /// plus 64 KiB for the other fields. A longer line cannot hold an article within
    /// `max_chars` and is skipped unread as a `too_long` error.
    pub fn max_line_bytes(&self) -> usize {
        self.max_chars.saturating_mul(6).saturating_add(1 << 16)
    }

    /// Longest text file read: 4 bytes per allowed character (the longest UTF-8 encoding).
    pub fn max_file_bytes(&self) -> usize {
        self.max_chars.saturating_mul(4)
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            fields: FieldNames::default(),
            max_chars: DEFAULT_MAX_CHARS,
        }
    }
}

/// What one input path is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum InputKind {
    Jsonl,
    Text,
}

#[derive(Debug, Clone)]
struct Input {
    /// Path to open (`-` for stdin).
    path: PathBuf,
    /// Name reported in ids and errors.
    name: String,
    /// Id of a text article (relative path).
    text_id: String,
    kind: Option<InputKind>,
}

/// Bytes read so far from the inputs as stored (compressed bytes for a `.gz` input), shared
/// with whoever reports progress.
pub type BytesRead = Arc<AtomicU64>;

/// A reader that adds every byte it hands out to a shared counter.
struct Counting<R> {
    inner: R,
    count: BytesRead,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Streams articles from several inputs, in order.
pub struct ArticleReader {
    /// Raw bytes consumed from the inputs.
    bytes_read: BytesRead,
    /// Size of the input files as stored (stdin and unreadable files count 0).
    total_bytes: u64,
    /// Failures found while expanding the inputs (an unreadable directory), reported first.
    early: VecDeque<Error>,
    pending: VecDeque<Input>,
    current: Option<Open>,
    options: ReadOptions,
    stdin: Option<Box<dyn BufRead + Send>>,
}

struct Open {
    input: Input,
    reader: Box<dyn BufRead + Send>,
    line: u64,
}

fn kind_of(name: &str) -> Option<InputKind> {
    let base = name.strip_suffix(".gz").unwrap_or(name);
    if base.ends_with(".jsonl") || base.ends_with(".ndjson") || base.ends_with(".json") {
        Some(InputKind::Jsonl)
    } else if base.ends_with(".txt") {
        Some(InputKind::Text)
    } else {
        None
    }
}

/// Expands the command-line inputs: files stay as given, directories become their `.txt` and
/// `.jsonl` files (recursively, sorted by path so runs are reproducible).
fn expand(paths: &[PathBuf]) -> Vec<std::result::Result<Input, Error>> {
    let mut out = Vec::new();
    for p in paths {
        let name = p.to_string_lossy().into_owned();
        if name == "-" {
            out.push(Ok(Input {
                path: p.clone(),
                name: "-".into(),
                text_id: "-".into(),
                kind: None,
            }));
        } else if p.is_dir() {
            let mut found = Vec::new();
            let mut errors = Vec::new();
            walk(p, &mut Vec::new(), &mut found, &mut errors);
            out.extend(errors.into_iter().map(Err));
            let mut files = dedupe(p, found);
            files.sort();
            for f in files {
                let rel = f
                    .strip_prefix(p)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .into_owned();
                let fname = f.to_string_lossy().into_owned();
                if let Some(kind) = kind_of(&fname) {
                    out.push(Ok(Input {
                        path: f.clone(),
                        name: fname,
                        text_id: rel,
                        kind: Some(kind),
                    }));
                }
            }
        } else {
            out.push(Ok(Input {
                path: p.clone(),
                name: name.clone(),
                text_id: name.clone(),
                // a plain file of unknown extension is read as JSONL if it looks like it
                kind: kind_of(&name),
            }));
        }
    }
    out
}

/// Collects the files under `dir` with their canonical paths, following symbolic links but
/// never into a directory that is already on the way down (a link back up the tree). An
/// unreadable sub-directory becomes one error in `errors` and the walk goes on.
fn walk(
    dir: &Path,
    ancestors: &mut Vec<PathBuf>,
    out: &mut Vec<(PathBuf, PathBuf)>,
    errors: &mut Vec<Error>,
) {
    let io_err = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let real = match std::fs::canonicalize(dir) {
        Ok(r) => r,
        Err(e) => {
            errors.push(io_err(e));
            return;
        }
    };
    if ancestors.contains(&real) {
        return; // a loop
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(io_err(e));
            return;
        }
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => errors.push(io_err(e)),
        }
    }
    paths.sort();
    ancestors.push(real);
    for path in paths {
        if path.is_dir() {
            walk(&path, ancestors, out, errors);
        } else {
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            out.push((path, real));
        }
    }
    ancestors.pop();
}

/// The files of a walk of `root`, each real file once: under its own path when the walk
/// reached it without a link, else under the first path (sorted) that reached it.
fn dedupe(root: &Path, found: Vec<(PathBuf, PathBuf)>) -> Vec<PathBuf> {
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // per real file, the preferred path: reached without a link first, then the first sorted
    let mut chosen: std::collections::HashMap<PathBuf, (bool, PathBuf)> = Default::default();
    for (path, real) in found {
        let linked = path.strip_prefix(root).ok() != real.strip_prefix(&real_root).ok();
        let key = (linked, path);
        match chosen.get_mut(&real) {
            Some(best) if key < *best => *best = key,
            Some(_) => {}
            None => {
                chosen.insert(real, key);
            }
        }
    }
    chosen.into_values().map(|(_, path)| path).collect()
}

impl ArticleReader {
    /// A reader over `paths` (files, directories, `-`).
    pub fn new(paths: &[PathBuf], options: ReadOptions) -> ArticleReader {
        ArticleReader::with_stdin(paths, options, Box::new(BufReader::new(io::stdin())))
    }

    /// Like [`ArticleReader::new`], with `-` read from the given reader instead of stdin.
    pub fn with_stdin(
        paths: &[PathBuf],
        options: ReadOptions,
        stdin: Box<dyn BufRead + Send>,
    ) -> ArticleReader {
        let mut pending = VecDeque::new();
        let mut early = VecDeque::new();
        for item in expand(paths) {
            match item {
                Ok(input) => pending.push_back(input),
                Err(e) => early.push_back(e),
            }
        }
        let total_bytes = pending
            .iter()
            .filter(|i| i.name != "-")
            .filter_map(|i| std::fs::metadata(&i.path).ok())
            .map(|m| m.len())
            .sum();
        ArticleReader {
            bytes_read: Arc::new(AtomicU64::new(0)),
            total_bytes,
            early,
            pending,
            current: None,
            options,
            stdin: Some(stdin),
        }
    }

    /// The counter of raw bytes read from the inputs (compressed bytes for gzip), for
    /// progress reports: it moves while a long article is being read.
    pub fn bytes_read(&self) -> BytesRead {
        Arc::clone(&self.bytes_read)
    }

    /// Total size of the input files as stored (0 when only stdin is read).
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    fn open(&mut self, input: Input) -> Result<Open> {
        let raw: Box<dyn Read + Send> = if input.name == "-" {
            match self.stdin.take() {
                Some(s) => Box::new(s),
                None => Box::new(io::empty()),
            }
        } else {
            Box::new(File::open(&input.path).map_err(|source| Error::Io {
                path: input.path.clone(),
                source,
            })?)
        };
        let raw: Box<dyn Read + Send> = Box::new(Counting {
            inner: raw,
            count: Arc::clone(&self.bytes_read),
        });
        let mut reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(1 << 16, raw));
        // gzip is detected from the magic bytes, not only the file name
        let head = reader.fill_buf().map_err(|source| Error::Io {
            path: input.path.clone(),
            source,
        })?;
        if head.starts_with(&[0x1f, 0x8b]) {
            reader = Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(reader),
            ));
        }
        let mut input = input;
        if input.kind.is_none() {
            let head = reader.fill_buf().map_err(|source| Error::Io {
                path: input.path.clone(),
                source,
            })?;
            let first = head.iter().find(|b| !b.is_ascii_whitespace());
            input.kind = Some(if first == Some(&b'{') {
                InputKind::Jsonl
            } else {
                InputKind::Text
            });
        }
        Ok(Open {
            input,
            reader,
            line: 0,
        })
    }
}

impl Iterator for ArticleReader {
    type Item = Result<Article>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.early.pop_front() {
            return Some(Err(e));
        }
        loop {
            if self.current.is_none() {
                let input = self.pending.pop_front()?;
                match self.open(input) {
                    Ok(open) => self.current = Some(open),
                    Err(e) => return Some(Err(e)),
                }
            }
            let open = self.current.as_mut()?;
            let step = match open.input.kind {
                Some(InputKind::Text) => {
                    let r = text::read_whole(open, &self.options);
                    self.current = None;
                    Some(r)
                }
                _ => {
                    let r = jsonl::next_line(open, &self.options);
                    if matches!(r, None | Some(Err(Error::Io { .. }))) {
                        self.current = None;
                    }
                    r
                }
            };
            if let Some(item) = step {
                return Some(item);
            }
        }
    }
}

/// Checks shared by every input kind: length guard and NUL characters.
fn check_body(body: &str, options: &ReadOptions, input: &str, line: u64) -> Result<()> {
    let bad = |kind, message: String| Error::BadInput {
        input: input.to_string(),
        line,
        kind,
        message,
    };
    if body.len() > options.max_chars && body.chars().count() > options.max_chars {
        return Err(bad(
            "too_long",
            format!(
                "text has more than --max-chars {} characters",
                options.max_chars
            ),
        ));
    }
    if body.contains('\0') {
        return Err(bad("nul_byte", "text contains a NUL character".into()));
    }
    Ok(())
}
