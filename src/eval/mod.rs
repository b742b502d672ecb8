//! Scoring against labelled samples: pure functions, no model and no CLI.
//!
//! - [`ner`]: CoNLL column gold, entity-level exact-match P/R/F1 (the conlleval / seqeval
//!   definition), micro and per type.
//! - [`quotes`]: PolNeAR-style attribution gold, content/source/cue matching.
//! - [`attribution`]: token-level BIO instances, CofeNet's exact and begin span match.

pub mod attribution;
pub mod conll;
pub mod metrics;
pub mod ner;
pub mod quotes;
pub mod report;

pub use metrics::{Counts, Prf};
