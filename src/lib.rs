//! whosaid: entities, speakers and claims (who said what) from news articles.
//!
//! ```text
//! article → segment → encoding → prediction → entity → quote → record
//! Article   Segments  Encodings  TokenPredictions Entities Quotes  Record (JSONL)
//! ```
//!
//! Each stage is a module named after the data it produces; [`pipeline`] is the only place
//! that knows their order. Inside the library every span is a UTF-8 byte range
//! ([`span::Span`]); records carry Unicode code point offsets.
#![warn(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod article;
pub mod encoding;
pub mod entity;
pub mod error;
pub mod eval;
pub mod pipeline;
pub mod prediction;
pub mod quote;
pub mod record;
pub mod render;
pub mod segment;
pub mod span;

pub use error::{Error, Result};
