//! Speaker scoring at the entity level (the GUM speakers gold: `id`, `text`, `attributions[]`
//! with the content, the speaker mention and every mention of the speaker entity; code
//! points). Was the claim found, and was its speaker the right *entity*?
//!
//! For each gold attribution: **found** when some predicted claim's pieces overlap the gold
//! content (the claim with the largest overlap is its claim); **right** when that claim's
//! speaker mention overlaps the core of a gold mention of the speaker entity, or its cluster
//! holds an entity mention that does; **strict**: a pronoun speaker, or one resolved by title,
//! counts only through its cluster. `end_to_end_strict` = found and right (strict) / gold, the
//! headline. `claim_precision` = predicted claims overlapping some gold content / predicted
//! claims (a guard against claiming everything: the gold does not mark every attribution).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::driver::Predictions;
use super::quotes::PredClaim;
use crate::error::Result;

/// A span with the bounds of its head or name (`core_start`, `core_end`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
pub struct Mention {
    /// Start.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Text.
    #[serde(default)]
    pub text: String,
    /// Start of the head or name (the mention's start when absent).
    #[serde(default)]
    pub core_start: Option<usize>,
    /// End of the head or name.
    #[serde(default)]
    pub core_end: Option<usize>,
}

impl Mention {
    /// The core span (head or name), or the whole mention.
    pub fn core(&self) -> (usize, usize) {
        (
            self.core_start.unwrap_or(self.start),
            self.core_end.unwrap_or(self.end),
        )
    }
}

/// One gold attribution with its speaker entity.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct GoldSpeakerAttribution {
    /// The content (first piece start to last piece end).
    pub content: Mention,
    /// The content pieces, when discontinuous.
    #[serde(default)]
    pub content_pieces: Vec<Mention>,
    /// How the speaker is mentioned there: `name`, `nominal`, `pronoun`.
    #[serde(default)]
    pub speaker_kind: Option<String>,
    /// The speaker entity's id (null when the attribution has no speaker).
    #[serde(default)]
    pub speaker_entity: Option<String>,
    /// Every mention of the speaker entity.
    #[serde(default)]
    pub speaker_mentions: Vec<Mention>,
    /// The fullest proper-name mention of the entity.
    #[serde(default)]
    pub speaker_name: Option<String>,
}

/// One gold document.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSpeakerDoc {
    /// Document id.
    pub id: String,
    /// Text.
    pub text: String,
    /// Attributions.
    #[serde(default)]
    pub attributions: Vec<GoldSpeakerAttribution>,
}

/// Reads speaker gold JSONL; a bad line, or a span past the text or reversed, is an
/// [`Error::Gold`](crate::error::Error::Gold) naming the file, the line and the field.
pub fn parse_gold(bytes: &[u8], path: &std::path::Path) -> Result<Vec<GoldSpeakerDoc>> {
    super::read_jsonl(
        bytes,
        path,
        "a speaker gold document (`id`, `text`, `attributions`)",
        |d: &GoldSpeakerDoc| {
            let n = d.text.chars().count();
            for (i, a) in d.attributions.iter().enumerate() {
                let spans = std::iter::once(("content", &a.content))
                    .chain(a.content_pieces.iter().map(|m| ("content_pieces", m)))
                    .chain(a.speaker_mentions.iter().map(|m| ("speaker_mentions", m)));
                for (field, m) in spans {
                    if m.start > m.end || m.end > n {
                        return Err(format!(
                            "attributions[{i}].{field}: span [{}, {}) is not inside the text ({n} code points)",
                            m.start, m.end
                        ));
                    }
                }
            }
            Ok(())
        },
    )
}

/// Found / right counts of one slice.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SpeakerSlice {
    /// Gold attributions in the slice.
    pub gold: usize,
    /// Found (a claim overlaps the content).
    pub found: usize,
    /// Found, with a gold speaker entity.
    pub found_with_entity: usize,
    /// Speaker right.
    pub right: usize,
    /// Speaker right, strictly.
    pub right_strict: usize,
}

impl SpeakerSlice {
    pub(crate) fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 {
            0.0
        } else {
            a as f64 / b as f64
        }
    }

    /// Found / gold.
    pub fn claim_recall(&self) -> f64 {
        Self::ratio(self.found, self.gold)
    }

    /// Right / found with an entity.
    pub fn accuracy(&self) -> f64 {
        Self::ratio(self.right, self.found_with_entity)
    }

    /// Right (strict) / found with an entity.
    pub fn accuracy_strict(&self) -> f64 {
        Self::ratio(self.right_strict, self.found_with_entity)
    }

    /// Found and right (strict) / gold: the headline.
    pub fn end_to_end_strict(&self) -> f64 {
        Self::ratio(self.right_strict, self.gold)
    }
}

/// The report of `eval speakers`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SpeakerScores {
    /// Over all attributions.
    pub all: SpeakerSlice,
    /// By gold speaker kind (`name`, `nominal`, `pronoun`, `none`).
    pub by_speaker_kind: BTreeMap<String, SpeakerSlice>,
    /// By the predicted speaker's `resolution` (`no speaker` when the found claim has none);
    /// found attributions only.
    pub by_resolution: BTreeMap<String, SpeakerSlice>,
    /// Found attributions whose gold entity has a name, and of those, how many predicted speaker
    /// names contain its last word.
    pub named: usize,
    /// See `named`.
    pub name_right: usize,
    /// Each gold attribution in one class: `right` (strictly), or why not (see
    /// [`error_class`]).
    pub classes: BTreeMap<String, usize>,
    /// Predicted claims overlapping some gold content, and all predicted claims.
    pub claims_overlapping_gold: usize,
    /// See `claims_overlapping_gold`.
    pub predicted: usize,
    /// Documents scored.
    pub documents: usize,
}

impl SpeakerScores {
    /// Predicted speaker names that contain the last word of the gold name / named.
    pub fn name_accuracy(&self) -> f64 {
        SpeakerSlice::ratio(self.name_right, self.named)
    }

    /// Predicted claims overlapping some gold content / predicted claims.
    pub fn claim_precision(&self) -> f64 {
        SpeakerSlice::ratio(self.claims_overlapping_gold, self.predicted)
    }

    /// The scores with the headline figures of the gold's README beside them.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "scores": self,
            "claim_recall": self.all.claim_recall(),
            "speaker_entity_accuracy": self.all.accuracy(),
            "speaker_entity_accuracy_strict": self.all.accuracy_strict(),
            "end_to_end_strict": self.all.end_to_end_strict(),
            "speaker_name_accuracy": self.name_accuracy(),
            "claim_precision": self.claim_precision(),
        })
    }
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

fn pieces(a: &GoldSpeakerAttribution) -> Vec<(usize, usize)> {
    if a.content_pieces.is_empty() {
        vec![(a.content.start, a.content.end)]
    } else {
        a.content_pieces.iter().map(|m| (m.start, m.end)).collect()
    }
}

/// Characters a claim shares with gold pieces.
fn shared(claim: &PredClaim, gold: &[(usize, usize)]) -> usize {
    claim
        .content
        .iter()
        .map(|&c| gold.iter().map(|&g| overlap(c, g)).sum::<usize>())
        .sum()
}

/// Whether `claim`'s speaker is the gold entity: (right, right strictly).
fn speaker_right(claim: &PredClaim, gold: &GoldSpeakerAttribution) -> (bool, bool) {
    if gold.speaker_entity.is_none() {
        return (false, false);
    }
    let cores: Vec<(usize, usize)> = gold.speaker_mentions.iter().map(Mention::core).collect();
    let hits = |span: (usize, usize)| cores.iter().any(|&c| overlap(span, c) > 0);
    let by_mention = claim.source.is_some_and(hits);
    let by_cluster = claim
        .speaker
        .as_ref()
        .is_some_and(|s| s.cluster_mentions.iter().any(|&m| hits(m)));
    let indirect = claim.speaker.as_ref().is_some_and(|s| {
        matches!(s.resolution.as_str(), "pronoun" | "title")
            || crate::quote::lexicon::pronoun(&s.text.to_lowercase()).is_some()
    });
    let right = by_mention || by_cluster;
    (right, by_cluster || (by_mention && !indirect))
}

/// The class of one gold attribution given the claim `eval speakers` takes for it (`None`: no
/// claim overlaps its content): `right` (found and right, strictly), else the first of `no
/// gold speaker entity`, `not found`, `found, no speaker`, `right mention, not resolved to
/// the entity` (a pronoun or title on the gold mention whose cluster is not the gold entity's,
/// or none), `gold speaker unnamed, another speaker` (the gold entity has no proper name: a
/// generic `you`, `researchers`), `another entity` (resolved to a cluster of someone else),
/// `wrong mention, unresolved`.
pub fn error_class(claim: Option<&PredClaim>, gold: &GoldSpeakerAttribution) -> &'static str {
    if gold.speaker_entity.is_none() {
        return "no gold speaker entity";
    }
    let Some(claim) = claim else {
        return "not found";
    };
    let (_, strict) = speaker_right(claim, gold);
    if strict {
        return "right";
    }
    let Some(speaker) = &claim.speaker else {
        return "found, no speaker";
    };
    let cores: Vec<(usize, usize)> = gold.speaker_mentions.iter().map(Mention::core).collect();
    if claim
        .source
        .is_some_and(|m| cores.iter().any(|&c| overlap(m, c) > 0))
    {
        return "right mention, not resolved to the entity";
    }
    if gold.speaker_name.is_none() {
        return "gold speaker unnamed, another speaker";
    }
    if speaker.cluster_mentions.is_empty() {
        "wrong mention, unresolved"
    } else {
        "another entity"
    }
}

/// Accumulates counts over documents.
#[derive(Debug, Default)]
pub struct SpeakerScorer {
    scores: SpeakerScores,
}

impl SpeakerScorer {
    /// Adds one document's gold attributions and predicted claims.
    pub fn add(&mut self, gold: &GoldSpeakerDoc, claims: &[PredClaim]) {
        let s = &mut self.scores;
        s.documents += 1;
        let all_gold: Vec<(usize, usize)> = gold.attributions.iter().flat_map(pieces).collect();
        s.predicted += claims.len();
        s.claims_overlapping_gold += claims.iter().filter(|c| shared(c, &all_gold) > 0).count();
        for a in &gold.attributions {
            let g = pieces(a);
            let best = claims
                .iter()
                .map(|c| (shared(c, &g), c))
                .filter(|(n, _)| *n > 0)
                .max_by_key(|(n, _)| *n)
                .map(|(_, c)| c);
            *s.classes
                .entry(error_class(best, a).to_string())
                .or_default() += 1;
            let kind = a.speaker_kind.clone().unwrap_or_else(|| "none".into());
            let mut slices = vec![&mut s.all];
            slices.push(s.by_speaker_kind.entry(kind).or_default());
            let Some(claim) = best else {
                for sl in slices {
                    sl.gold += 1;
                }
                continue;
            };
            let resolution = claim
                .speaker
                .as_ref()
                .map_or("no speaker".to_string(), |p| p.resolution.clone());
            slices.push(s.by_resolution.entry(resolution).or_default());
            let (right, strict) = speaker_right(claim, a);
            for sl in slices {
                sl.gold += 1;
                sl.found += 1;
                sl.found_with_entity += usize::from(a.speaker_entity.is_some());
                sl.right += usize::from(right);
                sl.right_strict += usize::from(strict);
            }
            if let Some(name) = &a.speaker_name {
                s.named += 1;
                let last = name.split_whitespace().last().unwrap_or("");
                if claim
                    .speaker
                    .as_ref()
                    .is_some_and(|p| !last.is_empty() && p.name.contains(last))
                {
                    s.name_right += 1;
                }
            }
        }
    }

    /// Final scores.
    pub fn scores(&self) -> SpeakerScores {
        self.scores.clone()
    }
}

/// Scores each document against its prediction (a document the pipeline failed on is scored as
/// predicting nothing).
pub fn score_predictions(gold: &[GoldSpeakerDoc], predictions: &Predictions) -> SpeakerScores {
    let mut scorer = SpeakerScorer::default();
    for (g, p) in gold.iter().zip(&predictions.items) {
        scorer.add(g, p.as_ref().map_or(&[], |p| &p.scored.claims));
    }
    scorer.scores()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::quotes::PredSpeaker;

    fn m(start: usize, end: usize) -> Mention {
        Mention {
            start,
            end,
            ..Mention::default()
        }
    }

    fn claim(
        content: (usize, usize),
        source: (usize, usize),
        res: &str,
        cluster: &[(usize, usize)],
    ) -> PredClaim {
        PredClaim {
            content: vec![content],
            source: Some(source),
            speaker: Some(PredSpeaker {
                text: if res == "pronoun" {
                    "he".into()
                } else {
                    "Ana Ruiz".into()
                },
                name: "Ana Ruiz".into(),
                resolution: res.into(),
                cluster_mentions: cluster.to_vec(),
            }),
            ..PredClaim::default()
        }
    }

    /// Hand-computed: four gold attributions of one entity (mentions at 0..8 and 50..52).
    #[test]
    fn hand_computed_counts() {
        let gold_att = |content: (usize, usize), kind: &str| GoldSpeakerAttribution {
            content: m(content.0, content.1),
            speaker_kind: Some(kind.into()),
            speaker_entity: Some("1".into()),
            speaker_mentions: vec![m(0, 8), m(50, 52)],
            speaker_name: Some("Ana Ruiz".into()),
            ..GoldSpeakerAttribution::default()
        };
        let doc = GoldSpeakerDoc {
            id: "d".into(),
            text: "x".repeat(200),
            attributions: vec![
                gold_att((10, 30), "name"),      // found, right by mention
                gold_att((60, 80), "pronoun"), // found by a pronoun in the gold mention, wrong cluster
                gold_att((100, 120), "pronoun"), // found, pronoun resolved to the right cluster
                gold_att((150, 170), "name"),  // missed
            ],
        };
        let claims = vec![
            claim((12, 28), (0, 8), "name", &[(0, 8)]),
            claim((61, 79), (50, 52), "pronoun", &[(180, 185)]),
            claim((100, 110), (90, 92), "pronoun", &[(0, 8), (50, 52)]),
            claim((190, 199), (185, 188), "name", &[]), // invented
        ];
        let mut scorer = SpeakerScorer::default();
        scorer.add(&doc, &claims);
        let s = scorer.scores();
        assert_eq!(
            (s.all.gold, s.all.found, s.all.right, s.all.right_strict),
            (4, 3, 3, 2)
        );
        assert!((s.all.end_to_end_strict() - 0.5).abs() < 1e-9);
        assert!((s.all.accuracy() - 1.0).abs() < 1e-9);
        assert_eq!(s.by_speaker_kind["pronoun"].right_strict, 1);
        assert_eq!(s.by_resolution["pronoun"].found, 2);
        assert_eq!((s.claims_overlapping_gold, s.predicted), (3, 4));
        assert_eq!((s.named, s.name_right), (3, 3));
        // one class each: right by mention, right through the cluster, a pronoun on the gold
        // mention resolved elsewhere, a miss
        let classes: Vec<(&str, usize)> = s.classes.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            classes,
            [
                ("not found", 1),
                ("right", 2),
                ("right mention, not resolved to the entity", 1)
            ]
        );
    }

    /// The remaining classes, one attribution each.
    #[test]
    fn error_classes_table() {
        let gold = |name: Option<&str>, entity: bool| GoldSpeakerAttribution {
            content: m(10, 30),
            speaker_entity: entity.then(|| "1".into()),
            speaker_mentions: vec![m(0, 8)],
            speaker_name: name.map(str::to_string),
            ..GoldSpeakerAttribution::default()
        };
        let named = gold(Some("Ana Ruiz"), true);
        let speakerless = PredClaim {
            speaker: None,
            ..claim((12, 28), (40, 44), "name", &[])
        };
        let cases: Vec<(Option<PredClaim>, GoldSpeakerAttribution, &str)> = vec![
            (None, gold(None, false), "no gold speaker entity"),
            (Some(speakerless), named.clone(), "found, no speaker"),
            (
                Some(claim((12, 28), (40, 44), "name", &[(40, 44)])),
                gold(None, true),
                "gold speaker unnamed, another speaker",
            ),
            (
                Some(claim((12, 28), (40, 44), "name", &[(40, 44)])),
                named.clone(),
                "another entity",
            ),
            (
                Some(claim((12, 28), (40, 44), "none", &[])),
                named,
                "wrong mention, unresolved",
            ),
        ];
        for (c, g, want) in &cases {
            assert_eq!(error_class(c.as_ref(), g), *want);
        }
    }

    #[test]
    fn gold_spans_are_checked() {
        let p = std::path::Path::new("g.jsonl");
        let bad =
            r#"{"id": "d", "text": "abc", "attributions": [{"content": {"start": 0, "end": 9}}]}"#;
        let e = parse_gold(bad.as_bytes(), p).unwrap_err().to_string();
        assert!(e.contains("attributions[0].content"), "{e}");
        let good = r#"{"id": "d", "text": "abc", "attributions": [{"content": {"start": 0, "end": 3}, "speaker_entity": null}]}"#;
        assert_eq!(
            parse_gold(good.as_bytes(), p).unwrap()[0]
                .attributions
                .len(),
            1
        );
    }
}
