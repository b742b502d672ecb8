//! The error vocabulary of the library: one variant per failure a caller can act on, each
//! with the article id, input line or file path it concerns, and its cause kept as a source.

use std::path::{Path, PathBuf};

use crate::span::ArticleId;

/// Boxed error type used by the tokenizers crate.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file could not be opened or read.
    #[error("reading {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// One input record could not be turned into an article.
    #[error("{input} line {line}: {kind}: {message}")]
    BadInput {
        /// Input name (file path or `-`).
        input: String,
        /// 1-based line number (0 for whole-file inputs).
        line: u64,
        /// Short machine-readable kind (`invalid_json`, `missing_text`, ...).
        kind: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The tokenizer failed on an article.
    #[error("tokenizing article {id}")]
    Tokenize {
        /// The article.
        id: ArticleId,
        /// The tokenizers error.
        #[source]
        source: BoxError,
    },
    /// A model directory is missing a file or holds one that does not load.
    #[error("model {path}: {message}")]
    Model {
        /// The offending file or directory.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
        /// The cause, when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// Inference failed for a batch holding this article.
    #[error("inference failed for article {id}")]
    Inference {
        /// The article.
        id: ArticleId,
        /// The runtime's error.
        #[source]
        source: BoxError,
    },
    /// A bug, reported per article: stage outputs that disagree (an index out of range), or a
    /// panic caught at the article boundary.
    #[error("internal error in article {id}: {message}")]
    Internal {
        /// The article.
        id: ArticleId,
        /// What did not match.
        message: String,
    },
    /// A gold file for evaluation is malformed.
    #[error("gold {path} line {line}: {message}")]
    Gold {
        /// The gold file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An item of a gold file or directory in an annotation tool's format is malformed.
    #[error("gold {path}, {item}: {message}")]
    GoldItem {
        /// The file (or directory) read.
        path: PathBuf,
        /// Which item: `task 3 (id 17)`, `line 12`, `T4`.
        item: String,
        /// What is wrong, naming the field.
        message: String,
    },
}

impl Error {
    /// Short stable name of the failure, used in `--errors` files.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::BadInput { kind, .. } => kind,
            Error::Tokenize { .. } => "tokenize",
            Error::Model { .. } => "model",
            Error::Inference { .. } => "inference",
            Error::Internal { .. } => "internal",
            Error::Gold { .. } | Error::GoldItem { .. } => "gold",
        }
    }
}

/// The text of a panic payload (`panic!` with a literal or a formatted message), for the
/// errors that caught panics become.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Result alias of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A JSON file of a model directory, parsed as `T`; a failure is a model error naming the
/// file, with `unreadable` or `invalid` as its message.
pub fn read_model_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    unreadable: &str,
    invalid: &str,
) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Model {
        path: path.to_path_buf(),
        message: unreadable.into(),
        source: Some(Box::new(e)),
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Model {
        path: path.to_path_buf(),
        message: invalid.into(),
        source: Some(Box::new(e)),
    })
}
