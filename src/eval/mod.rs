//! Scoring against labelled samples: pure functions, no model and no CLI.
//!
//! - [`ner`]: CoNLL column gold, entity-level exact-match P/R/F1 (the conlleval / seqeval
//!   definition), micro and per type.
//! - [`quotes`]: PolNeAR-style attribution gold, content/source/cue matching.
//! - [`attribution`]: token-level BIO instances, CofeNet's exact and begin span match.
//! - [`speakers`]: GUM speaker gold, the claim's speaker scored as the right entity.
//!
//! Every evaluation is one skeleton ([`driver`]): gold → articles → predictions (a records
//! file, read by [`records`], or the caller's pipeline run) → scorer → report ([`text`] for
//! the text tables, [`report`] for HTML). [`calibration`] fits a confidence table from the
//! scores of `eval quotes`.

pub mod attribution;
pub mod calibration;
pub mod conll;
pub mod driver;
pub mod gold;
pub mod metrics;
pub mod ner;
pub mod quotes;
pub mod records;
pub mod report;
pub mod speakers;
pub mod text;

pub use metrics::{Counts, Prf};

/// The text of code point `pieces` of `chars` (clamped to it), joined by `sep`.
pub fn slice_pieces(chars: &[char], pieces: &[(usize, usize)], sep: &str) -> String {
    pieces
        .iter()
        .map(|&(s, e)| {
            let end = e.min(chars.len());
            chars[s.min(end)..end].iter().collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// Reads gold JSONL: one `T` per non-blank line, each passed to `check`. A line that is not
/// UTF-8, not JSON of the shape of `T` (`what` names it in the message), or that `check`
/// refuses is an [`Error::Gold`](crate::error::Error::Gold) naming the file and the line.
pub(crate) fn read_jsonl<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    path: &std::path::Path,
    what: &str,
    check: impl Fn(&T) -> std::result::Result<(), String>,
) -> crate::error::Result<Vec<T>> {
    let mut out = Vec::new();
    for (n, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let bad = |message: String| crate::error::Error::Gold {
            path: path.to_path_buf(),
            line: n as u64 + 1,
            message,
        };
        let line = std::str::from_utf8(raw).map_err(|e| bad(format!("not valid UTF-8: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let item: T = serde_json::from_str(line).map_err(|e| bad(format!("not {what}: {e}")))?;
        check(&item).map_err(bad)?;
        out.push(item);
    }
    Ok(out)
}
