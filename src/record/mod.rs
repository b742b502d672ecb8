//! STAGE 6 · (Article, Entities, Quotes) → [`Record`] → JSONL.
//!
//! # Offsets
//! Every `start`/`end` in a record is a half-open range of **Unicode code points** into the
//! article text as read, so that Python's `text[start:end]` returns `text` exactly (the
//! convention of Hugging Face pipelines, spaCy and PolNeAR). Inside the library spans are UTF-8
//! bytes; [`CharIndex`] converts them here and nowhere else.
//!
//! # Fields (schema version 2; see also `schema/record.schema.json`)
//! - `schema_version` (int): 2. Goes up whenever a field changes meaning (2: `rule` is the
//!   rule that found the claim, never rewritten; `support` added).
//! - `id` (string): the article id. `title` (string, optional): the input title.
//! - `entities[]`: `id` (`e0`, `e1`, … in body order), `text`, `label` (model type, e.g. `PER`),
//!   `start`, `end`, `score` (mean word probability, 4 decimals), `cluster` (cluster id).
//! - `clusters[]`: `id` (`c0`, … by first mention), `name` (fullest mention), `label`,
//!   `mentions` (entity ids).
//! - `claims[]`: `id` (`q0`, …), `kind` (`direct` | `indirect` | `mixed` | `belief`), `text`,
//!   `start`, `end` (from the first piece's start to the last piece's end), `pieces` (list of
//!   `{text, start, end}`, more than one for split quotes), `cue` (`{text, start, end}` or null),
//!   `speaker` (`{text, start, end, cluster, name, resolution}` or null; `resolution` is
//!   `name` | `title` | `pronoun` | `inherited` | `none`), `rule` (stable id of the rule that
//!   found the claim), `support` (the other rules and `model.tagged` that agree with it),
//!   `confidence` (0–1), `unclosed` (true when a quotation ran to the end of its paragraph).
//! - `speakers[]`: one per speaking cluster, or per unresolved speaker text other than a bare
//!   pronoun (`he`, `they`, `who` name no one; the claim keeps the mention); a claim of
//!   coordinated speakers is listed under each ([`crate::quote::coordinated`]): `id` (`s0`, …),
//!   `name`, `label` (cluster label, or null when unresolved), `cluster` (id or null),
//!   `mentions` (speaker mentions `{text, start, end}` of its claims), `claims` (claim ids).

mod jsonl;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::article::Article;
use crate::entity::Entities;
use crate::quote::{lexicon, Quote, Resolution};
use crate::span::Span;

pub use jsonl::RecordWriter;

/// Current schema version.
pub const SCHEMA_VERSION: u32 = 2;

/// Byte → code point offset conversion for one body.
pub struct CharIndex {
    /// (byte position, extra bytes of this char) for every non-ASCII char, in order.
    multi: Vec<(usize, usize)>,
    /// Cumulative extra bytes before and including each entry of `multi`.
    cumulative: Vec<usize>,
}

impl CharIndex {
    /// Index of `body`.
    pub fn new(body: &str) -> CharIndex {
        let mut multi = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0;
        for (i, c) in body.char_indices() {
            let extra = c.len_utf8() - 1;
            if extra > 0 {
                total += extra;
                multi.push((i, extra));
                cumulative.push(total);
            }
        }
        CharIndex { multi, cumulative }
    }

    /// Code point offset of byte offset `byte` (a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        let k = self.multi.partition_point(|(p, _)| *p < byte);
        byte - if k == 0 { 0 } else { self.cumulative[k - 1] }
    }
}

/// A text span as it appears in records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextSpan {
    /// The covered text.
    pub text: String,
    /// Start, code points.
    pub start: usize,
    /// End (exclusive), code points.
    pub end: usize,
}

/// An entity mention in a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRecord {
    /// `e{n}`.
    pub id: String,
    /// Mention text.
    pub text: String,
    /// Entity type.
    pub label: String,
    /// Start, code points.
    pub start: usize,
    /// End, code points.
    pub end: usize,
    /// Mean word probability, rounded to 4 decimals.
    pub score: f64,
    /// Cluster id.
    pub cluster: String,
}

/// An entity cluster in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterRecord {
    /// `c{n}`.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Entity type.
    pub label: String,
    /// Entity ids.
    pub mentions: Vec<String>,
}

/// The speaker of a claim in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakerMention {
    /// Mention text.
    pub text: String,
    /// Start, code points.
    pub start: usize,
    /// End, code points.
    pub end: usize,
    /// Cluster id, or null.
    pub cluster: Option<String>,
    /// Canonical name or mention text.
    pub name: String,
    /// `name` | `title` | `pronoun` | `inherited` | `none`.
    pub resolution: &'static str,
}

/// A claim in a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRecord {
    /// `q{n}`.
    pub id: String,
    /// `direct` | `indirect` | `mixed` | `belief`.
    pub kind: &'static str,
    /// Text from the first piece's start to the last piece's end.
    pub text: String,
    /// Start, code points.
    pub start: usize,
    /// End, code points.
    pub end: usize,
    /// Content pieces.
    pub pieces: Vec<TextSpan>,
    /// Reporting cue.
    pub cue: Option<TextSpan>,
    /// Speaker.
    pub speaker: Option<SpeakerMention>,
    /// Id of the rule that found the claim (never rewritten).
    pub rule: &'static str,
    /// The other rules (and `model.tagged`) that agree with the claim, in registry order.
    pub support: Vec<&'static str>,
    /// Confidence, 2 decimals.
    pub confidence: f64,
    /// Quotation not closed before the paragraph end.
    pub unclosed: bool,
}

/// A speaker with all its claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakerRecord {
    /// `s{n}`.
    pub id: String,
    /// Canonical name or mention text.
    pub name: String,
    /// Entity type of the cluster, or null.
    pub label: Option<String>,
    /// Cluster id, or null.
    pub cluster: Option<String>,
    /// Speaker mentions.
    pub mentions: Vec<TextSpan>,
    /// Claim ids.
    pub claims: Vec<String>,
}

/// One output line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// Schema version.
    pub schema_version: u32,
    /// Article id.
    pub id: String,
    /// Title, if the input had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Entity mentions.
    pub entities: Vec<EntityRecord>,
    /// Entity clusters.
    pub clusters: Vec<ClusterRecord>,
    /// Speakers.
    pub speakers: Vec<SpeakerRecord>,
    /// Claims.
    pub claims: Vec<ClaimRecord>,
}

fn round(x: f32, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (f64::from(x) * f).round() / f
}

impl Record {
    /// Builds the record, converting every span to code points.
    pub fn new(article: &Article, entities: &Entities, quotes: &[Quote]) -> Record {
        let body = article.body.as_str();
        let ix = CharIndex::new(body);
        let text_span = |s: &Span| TextSpan {
            text: s.slice(body).to_string(),
            start: ix.char_offset(s.start),
            end: ix.char_offset(s.end),
        };
        let entity_records = entities
            .mentions
            .iter()
            .enumerate()
            .map(|(i, e)| EntityRecord {
                id: format!("e{i}"),
                text: e.span.slice(body).to_string(),
                label: e.label.clone(),
                start: ix.char_offset(e.span.start),
                end: ix.char_offset(e.span.end),
                score: round(e.score, 4),
                cluster: format!("c{}", e.cluster),
            })
            .collect();
        let clusters = entities
            .clusters
            .iter()
            .enumerate()
            .map(|(i, c)| ClusterRecord {
                id: format!("c{i}"),
                name: c.name.clone(),
                label: c.label.clone(),
                mentions: c.mentions.iter().map(|m| format!("e{m}")).collect(),
            })
            .collect();
        let mut claims = Vec::with_capacity(quotes.len());
        let mut speakers: Vec<SpeakerRecord> = Vec::new();
        // speaker key (cluster, else lower-cased name) → index, and the mentions each holds:
        // lookups stay constant-time in an article of thousands of claims
        let mut speaker_of: HashMap<(Option<usize>, String), usize> = HashMap::new();
        let mut seen_mentions: HashSet<(usize, Span)> = HashSet::new();
        for (i, q) in quotes.iter().enumerate() {
            let id = format!("q{i}");
            let content = q.content();
            let speaker = q.speaker.as_ref().map(|s| SpeakerMention {
                text: s.mention.slice(body).to_string(),
                start: ix.char_offset(s.mention.start),
                end: ix.char_offset(s.mention.end),
                cluster: s.cluster.map(|c| format!("c{c}")),
                name: s.name.clone(),
                resolution: s.resolution.as_str(),
            });
            // an unresolved pronoun ("he", "they", "who") names no one: the claim keeps its
            // mention, but it is not a speaker beside the people and groups of `speakers[]`
            let listed = q.speaker.as_ref().filter(|s| {
                s.cluster.is_some() || !lexicon::is_bare_pronoun(s.mention.slice(body))
            });
            if let Some(s) = listed {
                // the speaker's own entry (its cluster, else its lower-cased text), then, for
                // coordinated speakers ("Ana Ruiz and Tomas Reyes said"), each other one's: the
                // claim is each one's; `speaker.cluster` holds the first
                let own = match s.cluster {
                    Some(c) => (Some(c), String::new()),
                    None => (None, s.name.to_lowercase()),
                };
                let others = crate::quote::coordinated(body, entities, s.mention)
                    .into_iter()
                    .filter(|&c| Some(c) != s.cluster)
                    .map(|c| {
                        let name = entities.clusters.get(c).map_or("", |cl| cl.name.as_str());
                        ((Some(c), String::new()), name, Some(c))
                    });
                for (key, name, cluster) in
                    std::iter::once((own, s.name.as_str(), s.cluster)).chain(others)
                {
                    let k = *speaker_of.entry(key).or_insert_with(|| {
                        speakers.push(SpeakerRecord {
                            id: format!("s{}", speakers.len()),
                            name: name.to_string(),
                            label: cluster
                                .and_then(|c| entities.clusters.get(c))
                                .map(|c| c.label.clone()),
                            cluster: cluster.map(|c| format!("c{c}")),
                            mentions: Vec::new(),
                            claims: Vec::new(),
                        });
                        speakers.len() - 1
                    });
                    if s.resolution != Resolution::Inherited && seen_mentions.insert((k, s.mention))
                    {
                        speakers[k].mentions.push(text_span(&s.mention));
                    }
                    speakers[k].claims.push(id.clone());
                }
            }
            claims.push(ClaimRecord {
                id,
                kind: q.kind.as_str(),
                text: content.slice(body).to_string(),
                start: ix.char_offset(content.start),
                end: ix.char_offset(content.end),
                pieces: q.pieces.iter().map(text_span).collect(),
                cue: q.cue.as_ref().map(text_span),
                speaker,
                rule: q.rule.as_str(),
                support: q.support.iter().map(|r| r.as_str()).collect(),
                confidence: round(q.reported_confidence(), 2),
                unclosed: q.unclosed,
            });
        }
        Record {
            schema_version: SCHEMA_VERSION,
            id: article.id.0.clone(),
            title: article.title.clone(),
            entities: entity_records,
            clusters,
            speakers,
            claims,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_match_python_slicing() {
        let body = "a“é😀\r\n東京 z";
        let ix = CharIndex::new(body);
        let want: Vec<usize> = body.char_indices().map(|(b, _)| b).collect();
        for (chars, &b) in want.iter().enumerate() {
            assert_eq!(ix.char_offset(b), chars, "byte {b}");
        }
        assert_eq!(ix.char_offset(body.len()), body.chars().count());
    }

    /// An unresolved bare pronoun keeps its claim's speaker mention but is not a speaker;
    /// an unresolved noun phrase is.
    #[test]
    fn unresolved_pronouns_are_not_speakers() {
        use crate::entity::ModelTags;
        let body =
            "They said that the plan would fail.\n\nOfficials said that the plan would fail.";
        let article = Article::new("t", body);
        let segments = crate::segment::segment(&article);
        let entities = Entities::default();
        let quotes = crate::quote::attribute(&article, &segments, &entities, &ModelTags::RulesOnly);
        let r = Record::new(&article, &entities, &quotes);
        let spoken: Vec<Option<&str>> = r
            .claims
            .iter()
            .map(|c| c.speaker.as_ref().map(|s| s.text.as_str()))
            .collect();
        assert_eq!(spoken, [Some("They"), Some("Officials")]);
        let listed: Vec<(&str, &[String])> = r
            .speakers
            .iter()
            .map(|s| (s.name.as_str(), s.claims.as_slice()))
            .collect();
        assert_eq!(listed, [("Officials", &["q1".to_string()][..])]);
        assert!(crate::quote::lexicon::is_bare_pronoun(" Who "));
        assert!(!crate::quote::lexicon::is_bare_pronoun("the president"));
    }
}
