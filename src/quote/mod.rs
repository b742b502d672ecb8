//! STAGE 5 · ([`Article`](crate::article::Article), [`Segments`](crate::segment::Segments),
//! [`Entities`](crate::entity::Entities)) → [`Quote`]s: who said what.
//!
//! Rules over the text, its paragraphs and sentences and the NER clusters — no model, no
//! parser. Direct quotes are found by pairing quotation marks ([`direct`]); indirect speech and
//! beliefs by reporting cues ([`indirect`]); speakers are resolved to entity clusters
//! ([`speaker`]). Every quote carries the stable id of the rule that produced it.
//!
//! `claim` holds the types (what every rule builds), `attribute` the orchestration (the one
//! module that calls the rules); this file only declares and re-exports, so no module of
//! `quote` imports the module that calls it. Must not know about tokenizers, windows or the
//! model (its tags arrive decoded, as `entity::ModelTags`).

mod attribute;
mod claim;
pub mod confidence;
pub(crate) mod cues;
mod direct;
mod indirect;
pub mod lexicon;
pub(crate) mod marks;
pub mod rules;
mod source;
mod speaker;
mod tagged;
mod turns;
mod window;
mod words;

pub use attribute::{attribute, attribute_with, Merge, TAGGED_MIN_CONFIDENCE};
pub use claim::{provenance, ClaimKind, Quote, Resolution, Speaker};
pub use speaker::coordinated;
