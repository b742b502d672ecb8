//! STAGE 4 · ([`Encodings`], [`TokenPredictions`]) → [`Entities`]: mentions and clusters.
//!
//! Subword scores are aggregated to words ([`Aggregation`], as in the Hugging Face pipeline),
//! word tags are decoded into mentions (never across a sentence boundary), and mentions of the
//! same entity are linked into clusters ("Hulusi Akar" … "Akar"). The model's second output,
//! its attribution tags, decodes here too ([`attribution`] → [`ModelTags`]), so that `quote`
//! reads stage-4 types only. Must not know about ONNX or quotes.

mod aggregate;
pub mod attribution;
mod bio;
mod cluster;

use crate::article::Article;
use crate::encoding::Encodings;
use crate::error::{Error, Result};
use crate::prediction::{LabelMap, TokenPredictions};
use crate::span::Span;

pub use aggregate::Aggregation;
pub use attribution::{ModelTags, Tagged, TaggedSpan};

/// One entity mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Byte span in the body.
    pub span: Span,
    /// Entity type as the model names it (`PER`, `ORG`, `LOC`, `MISC`, ...).
    pub label: String,
    /// Mean probability of the mention's words.
    pub score: f32,
    /// Index into [`Entities::clusters`].
    pub cluster: usize,
}

/// Mentions of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Canonical name: the fullest mention's text.
    pub name: String,
    /// Entity type.
    pub label: String,
    /// Indices into [`Entities::mentions`], in body order.
    pub mentions: Vec<usize>,
}

/// Mentions and clusters of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entities {
    /// Mentions in body order.
    pub mentions: Vec<Entity>,
    /// Clusters in order of first mention.
    pub clusters: Vec<Cluster>,
}

/// True for a person type label (`PER`, `PERSON`).
pub fn is_person(label: &str) -> bool {
    matches!(label, "PER" | "PERSON")
}

/// True for an organisation-like label (`ORG`, `NORP`, `GPE`).
pub fn is_org(label: &str) -> bool {
    matches!(label, "ORG" | "ORGANIZATION" | "NORP")
}

/// Decodes entity mentions and links them into clusters; with `bio_constraints`, word tags
/// are the most probable BIO-valid sequence when the label set is BIO.
pub fn decode(
    article: &Article,
    enc: &Encodings,
    preds: &TokenPredictions,
    labels: &LabelMap,
    aggregation: Aggregation,
    bio_constraints: bool,
) -> Result<Entities> {
    if preds.probs.len() != enc.tokens.len() * labels.len() || preds.n_labels != labels.len() {
        return Err(Error::Internal {
            id: article.id.clone(),
            message: format!(
                "{} probabilities for {} tokens × {} labels",
                preds.probs.len(),
                enc.tokens.len(),
                labels.len()
            ),
        });
    }
    let constraints = labels.bio_constraints().filter(|_| bio_constraints);
    let words = aggregate::word_labels(enc, preds, aggregation, constraints.as_ref());
    let mentions = bio::mentions(enc, &words, labels);
    Ok(cluster::link(&article.body, mentions))
}
