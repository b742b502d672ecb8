//! Claim scoring against attribution gold (the PolNeAR JSONL layout): per line `text` and
//! `attributions`, each with `source`, `cue`, `content` lists of `{start, end, text}` in code
//! points.
//!
//! Predicted claims are matched one-to-one to gold attributions, greedily by the number of
//! content characters they share. A pair matches *exactly* when the two content character sets
//! are equal after trimming whitespace at piece ends, and *by overlap* when their intersection
//! over union is at least 0.5. Precision divides by all predicted claims, recall by all gold
//! attributions. Source and cue are scored over overlap-matched pairs: a pair is a true
//! positive when both sides have one and they match (exactly / by overlap), a false positive
//! when the prediction has one that does not match, a false negative when the gold has one
//! that was not matched.
//!
//! Split by concern: the gold reader ([`gold`]), the reliability table ([`reliability`]),
//! the scorer (here) and the run over an evaluation's predictions ([`run`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::metrics::{Counts, Prf};

mod gold;
mod reliability;
mod run;

pub use gold::parse_gold;
use reliability::ReliabilityAcc;
pub use reliability::{Reliability, ReliabilityBin, RELIABILITY_BINS};
pub use run::{score_predictions, QuotesOutcome};

/// A gold or predicted piece, code points.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Piece {
    /// Start.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Text (unused for scoring).
    #[serde(default)]
    pub text: String,
}

/// One gold attribution.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
pub struct GoldAttribution {
    /// Source pieces.
    #[serde(default)]
    pub source: Vec<Piece>,
    /// Cue pieces.
    #[serde(default)]
    pub cue: Vec<Piece>,
    /// Content pieces.
    #[serde(default)]
    pub content: Vec<Piece>,
}

/// One gold article.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    /// Article name, if present.
    #[serde(default, alias = "id")]
    pub article: Option<String>,
    /// The text.
    pub text: String,
    /// Its attributions.
    #[serde(default)]
    pub attributions: Vec<GoldAttribution>,
}

/// The gold articles as articles to run: id `article` (or `id`), else `line{n}`.
pub fn to_items(gold: &[GoldArticle]) -> Vec<super::driver::Item> {
    gold.iter()
        .enumerate()
        .map(|(i, g)| {
            let id = g
                .article
                .clone()
                .unwrap_or_else(|| format!("line{}", i + 1));
            super::driver::item(id, g.text.clone())
        })
        .collect()
}

/// A predicted claim reduced to what is scored.
#[derive(Debug, Clone, Default)]
pub struct PredClaim {
    /// Content pieces.
    pub content: Vec<(usize, usize)>,
    /// Speaker mention.
    pub source: Option<(usize, usize)>,
    /// Cue.
    pub cue: Option<(usize, usize)>,
    /// The claim's provenance: its rule id, then the rules that agree with it, joined by `+`
    /// (`direct.no_cue+model.tagged`; what the by-rule table and the calibration group by).
    pub rule: String,
    /// Claim kind.
    pub kind: String,
    /// The claim's confidence as its record gives it (0 when absent).
    pub confidence: f64,
    /// Who the speaker was resolved to, when the record says (what `eval speakers` reads).
    pub speaker: Option<PredSpeaker>,
}

/// A claim's speaker as its record resolves it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PredSpeaker {
    /// The speaker mention's text.
    pub text: String,
    /// The name the record gives (the cluster's canonical name, or the mention text).
    pub name: String,
    /// How it was resolved (`name`, `title`, `pronoun`, `inherited`, `none`).
    pub resolution: String,
    /// Code point spans of every entity mention of the cluster it was resolved to (empty when
    /// unresolved).
    pub cluster_mentions: Vec<(usize, usize)>,
}

/// Exact and overlap scores of one role.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoleScores {
    /// Exact match.
    pub exact: Prf,
    /// Overlap match.
    pub overlap: Prf,
}

/// Scores of one slice (a kind or a rule).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SliceScores {
    /// Content scores.
    pub content: RoleScores,
    /// Source scores over overlap-matched pairs.
    pub source: RoleScores,
    /// Predicted claims in the slice.
    pub predicted: usize,
    /// Gold attributions in the slice.
    pub gold: usize,
}

/// The full report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuoteScores {
    /// Content.
    pub content: RoleScores,
    /// Source.
    pub source: RoleScores,
    /// Cue.
    pub cue: RoleScores,
    /// By gold kind (direct / mixed / indirect, from quote marks in the gold content); the
    /// predicted side of a slice is the claims matched to it plus unmatched claims of that kind.
    pub by_kind: BTreeMap<String, SliceScores>,
    /// By rule (recall is over the gold attributions matched by that rule's claims).
    pub by_rule: BTreeMap<String, SliceScores>,
    /// Claim confidence against measured precision (content overlap), over all claims.
    pub reliability: Reliability,
    /// The same per rule.
    pub reliability_by_rule: BTreeMap<String, Reliability>,
    /// Articles scored.
    pub articles: usize,
    /// Gold attributions.
    pub gold: usize,
    /// Predicted claims.
    pub predicted: usize,
}

/// Character set of pieces, whitespace trimmed at piece ends.
pub fn char_set(text: &[char], pieces: &[(usize, usize)]) -> BTreeSet<usize> {
    let mut set = BTreeSet::new();
    for &(s, e) in pieces {
        let e = e.min(text.len());
        let mut a = s.min(e);
        let mut b = e;
        while a < b && text[a].is_whitespace() {
            a += 1;
        }
        while b > a && text[b - 1].is_whitespace() {
            b -= 1;
        }
        set.extend(a..b);
    }
    set
}

fn iou(a: &BTreeSet<usize>, b: &BTreeSet<usize>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Kinds of the gold attributions of one article, by the one definition of direct / mixed /
/// indirect the claims use ([`crate::quote::marks::claim_kind`]): the article's quotations
/// are found as the pipeline finds them, then each content is judged by them.
pub fn gold_kinds(text: &str, gold: &[GoldAttribution]) -> Vec<&'static str> {
    let segments = crate::segment::segment_text(text);
    let quoted = crate::quote::marks::quotations(text, &segments);
    // code point → byte offsets
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let at = |c: usize| bytes[c.min(bytes.len() - 1)];
    gold.iter()
        .map(|g| {
            let pieces: Vec<crate::span::Span> = g
                .content
                .iter()
                .map(|p| crate::span::Span::new(at(p.start), at(p.end.max(p.start))))
                .collect();
            match crate::quote::marks::claim_kind(&pieces, &quoted, false) {
                crate::quote::ClaimKind::Direct => "direct",
                crate::quote::ClaimKind::Mixed => "mixed",
                _ => "indirect",
            }
        })
        .collect()
}

fn pred_bucket(kind: &str) -> &'static str {
    match kind {
        "direct" => "direct",
        "mixed" => "mixed",
        _ => "indirect",
    }
}

#[derive(Default)]
struct Acc {
    content_exact: Counts,
    content_overlap: Counts,
    source_exact: Counts,
    source_overlap: Counts,
    cue_exact: Counts,
    cue_overlap: Counts,
    predicted: usize,
    gold: usize,
}

impl Acc {
    fn role(&self) -> (RoleScores, RoleScores, RoleScores) {
        (
            RoleScores {
                exact: self.content_exact.prf(),
                overlap: self.content_overlap.prf(),
            },
            RoleScores {
                exact: self.source_exact.prf(),
                overlap: self.source_overlap.prf(),
            },
            RoleScores {
                exact: self.cue_exact.prf(),
                overlap: self.cue_overlap.prf(),
            },
        )
    }

    fn slice(&self) -> SliceScores {
        let (content, source, _) = self.role();
        SliceScores {
            content,
            source,
            predicted: self.predicted,
            gold: self.gold,
        }
    }
}

fn role_counts(
    exact: &mut Counts,
    overlap: &mut Counts,
    text: &[char],
    pred: Option<(usize, usize)>,
    gold: &[Piece],
) {
    let g: Vec<(usize, usize)> = gold.iter().map(|p| (p.start, p.end)).collect();
    let gs = char_set(text, &g);
    let ps = pred.map(|p| char_set(text, &[p])).unwrap_or_default();
    let (has_p, has_g) = (!ps.is_empty(), !gs.is_empty());
    let ex = has_p && has_g && ps == gs;
    let ov = has_p && has_g && iou(&ps, &gs) >= 0.5;
    for (c, hit) in [(exact, ex), (overlap, ov)] {
        if hit {
            c.tp += 1;
        } else {
            c.fp += usize::from(has_p);
            c.fn_ += usize::from(has_g);
        }
    }
}

/// Gold attributions missed and claims invented in one article (indices), overlap matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Misses {
    /// Gold attributions with no overlap-matched claim.
    pub missed: Vec<usize>,
    /// Predicted claims with no overlap-matched gold attribution.
    pub invented: Vec<usize>,
}

/// Accumulates scores over articles.
#[derive(Default)]
pub struct QuoteScorer {
    all: Acc,
    kinds: BTreeMap<String, Acc>,
    rules: BTreeMap<String, Acc>,
    reliability: ReliabilityAcc,
    reliability_by_rule: BTreeMap<String, ReliabilityAcc>,
    articles: usize,
}

impl QuoteScorer {
    /// Adds one article: its text, gold attributions and predicted claims. Returns which gold
    /// attributions were missed and which claims invented (no overlap match), for reports.
    pub fn add(&mut self, text: &str, gold: &[GoldAttribution], pred: &[PredClaim]) -> Misses {
        let chars: Vec<char> = text.chars().collect();
        self.articles += 1;
        let gsets: Vec<BTreeSet<usize>> = gold
            .iter()
            .map(|g| {
                char_set(
                    &chars,
                    &g.content
                        .iter()
                        .map(|p| (p.start, p.end))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let psets: Vec<BTreeSet<usize>> =
            pred.iter().map(|p| char_set(&chars, &p.content)).collect();
        // greedy one-to-one matching by shared characters
        let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
        for (pi, ps) in psets.iter().enumerate() {
            for (gi, gs) in gsets.iter().enumerate() {
                let inter = ps.intersection(gs).count();
                if inter > 0 {
                    pairs.push((inter, pi, gi));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut p_used = vec![None; pred.len()];
        let mut g_used = vec![None; gold.len()];
        for (_, pi, gi) in pairs {
            if p_used[pi].is_none() && g_used[gi].is_none() {
                p_used[pi] = Some(gi);
                g_used[gi] = Some(pi);
            }
        }
        let gkinds = gold_kinds(text, gold);
        self.all.gold += gold.len();
        self.all.predicted += pred.len();
        for k in &gkinds {
            self.kinds.entry(k.to_string()).or_default().gold += 1;
        }
        for (pi, p) in pred.iter().enumerate() {
            let matched = p_used[pi];
            let kind = matched.map_or(pred_bucket(&p.kind), |g| gkinds[g]);
            let rule_acc = self.rules.entry(p.rule.clone()).or_default();
            rule_acc.predicted += 1;
            let kind_acc = self.kinds.entry(kind.to_string()).or_default();
            kind_acc.predicted += 1;
            let (exact, overlap) = match matched {
                Some(gi) => (psets[pi] == gsets[gi], iou(&psets[pi], &gsets[gi]) >= 0.5),
                None => (false, false),
            };
            self.reliability.add(p.confidence, overlap);
            self.reliability_by_rule
                .entry(p.rule.clone())
                .or_default()
                .add(p.confidence, overlap);
            for acc in [&mut self.all, kind_acc, rule_acc] {
                if exact {
                    acc.content_exact.tp += 1;
                } else {
                    acc.content_exact.fp += 1;
                }
                if overlap {
                    acc.content_overlap.tp += 1;
                } else {
                    acc.content_overlap.fp += 1;
                }
            }
            if let (true, Some(gi)) = (overlap, matched) {
                let g = &gold[gi];
                let kind_acc = self.kinds.entry(kind.to_string()).or_default();
                role_counts(
                    &mut kind_acc.source_exact,
                    &mut kind_acc.source_overlap,
                    &chars,
                    p.source,
                    &g.source,
                );
                let rule_acc = self.rules.entry(p.rule.clone()).or_default();
                role_counts(
                    &mut rule_acc.source_exact,
                    &mut rule_acc.source_overlap,
                    &chars,
                    p.source,
                    &g.source,
                );
                role_counts(
                    &mut self.all.source_exact,
                    &mut self.all.source_overlap,
                    &chars,
                    p.source,
                    &g.source,
                );
                role_counts(
                    &mut self.all.cue_exact,
                    &mut self.all.cue_overlap,
                    &chars,
                    p.cue,
                    &g.cue,
                );
            }
            if matched.is_some() {
                self.rules.entry(p.rule.clone()).or_default().gold += 1;
            }
        }
        // gold not matched (exactly / by overlap) are false negatives
        for (gi, _) in gold.iter().enumerate() {
            let (exact, overlap) = match g_used[gi] {
                Some(pi) => (psets[pi] == gsets[gi], iou(&psets[pi], &gsets[gi]) >= 0.5),
                None => (false, false),
            };
            let kind_acc = self.kinds.entry(gkinds[gi].to_string()).or_default();
            for acc in [&mut self.all, kind_acc] {
                if !exact {
                    acc.content_exact.fn_ += 1;
                }
                if !overlap {
                    acc.content_overlap.fn_ += 1;
                }
            }
        }
        let overlap = |pi: usize, gi: usize| iou(&psets[pi], &gsets[gi]) >= 0.5;
        Misses {
            missed: (0..gold.len())
                .filter(|&gi| !g_used[gi].is_some_and(|pi| overlap(pi, gi)))
                .collect(),
            invented: (0..pred.len())
                .filter(|&pi| !p_used[pi].is_some_and(|gi| overlap(pi, gi)))
                .collect(),
        }
    }

    /// Final report.
    pub fn scores(&self) -> QuoteScores {
        let (content, source, cue) = self.all.role();
        QuoteScores {
            content,
            source,
            cue,
            by_kind: self
                .kinds
                .iter()
                .map(|(k, a)| (k.clone(), a.slice()))
                .collect(),
            by_rule: self
                .rules
                .iter()
                .map(|(k, a)| (k.clone(), a.slice()))
                .collect(),
            reliability: self.reliability.table(),
            reliability_by_rule: self
                .reliability_by_rule
                .iter()
                .map(|(k, a)| (k.clone(), a.table()))
                .collect(),
            articles: self.articles,
            gold: self.all.gold,
            predicted: self.all.predicted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, sub: &str) -> Piece {
        let b = text.find(sub).unwrap();
        let start = text[..b].chars().count();
        Piece {
            start,
            end: start + sub.chars().count(),
            text: sub.into(),
        }
    }

    fn pc(p: &Piece) -> (usize, usize) {
        (p.start, p.end)
    }

    #[test]
    fn hand_computed_counts() {
        let text =
            "“Ça va bien,” Zoë said. Officials said the vote was fair and open. Bo added nothing.";
        let g1 = GoldAttribution {
            source: vec![piece(text, "Zoë")],
            cue: vec![piece(text, "said")],
            content: vec![piece(text, "“Ça va bien,”")],
        };
        let g2 = GoldAttribution {
            source: vec![piece(text, "Officials")],
            cue: vec![piece(text, "said the")]
                .into_iter()
                .map(|mut p| {
                    p.end -= 4;
                    p
                })
                .collect(),
            content: vec![piece(text, "the vote was fair and open")],
        };
        // p1: exact content, exact source; p2: overlap only ("the vote was fair"), wrong source;
        // p3: invented
        let p1 = PredClaim {
            content: vec![pc(&g1.content[0])],
            source: Some(pc(&g1.source[0])),
            cue: Some(pc(&g1.cue[0])),
            rule: "r1".into(),
            kind: "direct".into(),
            confidence: 0.95,
            speaker: None,
        };
        let p2 = PredClaim {
            content: vec![pc(&piece(text, "the vote was fair and"))],
            source: Some(pc(&piece(text, "Officials said"))),
            cue: None,
            rule: "r2".into(),
            kind: "indirect".into(),
            confidence: 0.62,
            speaker: None,
        };
        let p3 = PredClaim {
            content: vec![pc(&piece(text, "added nothing"))],
            source: None,
            cue: None,
            rule: "r2".into(),
            kind: "indirect".into(),
            confidence: 0.68,
            speaker: None,
        };
        let mut s = QuoteScorer::default();
        s.add(text, &[g1, g2], &[p1, p2, p3]);
        let r = s.scores();
        // content exact: tp 1, fp 2, fn 1 → P 1/3, R 1/2
        assert!((r.content.exact.precision - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.content.exact.recall, 0.5);
        // content overlap: tp 2 (IoU of p2 = 21/26 ≥ 0.5), fp 1, fn 0
        assert!((r.content.overlap.precision - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.content.overlap.recall, 1.0);
        // source exact over the two overlap pairs: tp 1 (Zoë), fp 1 + fn 1 (Officials said)
        assert_eq!(r.source.exact.precision, 0.5);
        assert_eq!(r.source.exact.recall, 0.5);
        // source overlap: "Officials said" vs "Officials": IoU 9/14 ≥ 0.5 → tp
        assert_eq!(r.source.overlap.f1, 1.0);
        // cue: p1 exact; p2 none → fn
        assert_eq!(r.cue.exact.precision, 1.0);
        assert_eq!(r.cue.exact.recall, 0.5);
        assert_eq!(r.by_kind["direct"].content.exact.f1, 1.0);
        assert_eq!(r.by_rule["r2"].predicted, 2);
        // reliability: p1 (0.95) right in bin 9; p2 (0.62, right) and p3 (0.68, wrong) in bin 6
        let bins = &r.reliability.bins;
        assert_eq!(bins.len(), RELIABILITY_BINS);
        assert_eq!((bins[9].predicted, bins[9].correct), (1, 1));
        assert_eq!((bins[6].predicted, bins[6].correct), (2, 1));
        assert!((bins[6].mean_confidence - 0.65).abs() < 1e-12);
        assert_eq!(bins[6].precision, 0.5);
        // ECE = 1/3 · |1 − 0.95| + 2/3 · |0.5 − 0.65| = 0.11667
        assert!((r.reliability.ece - (0.05 / 3.0 + 0.3 / 3.0)).abs() < 1e-9);
        // Brier: (0.95 - 1)² + (0.62 - 1)² + (0.68 - 0)², over 3
        let want = (0.05f64.powi(2) + 0.38f64.powi(2) + 0.68f64.powi(2)) / 3.0;
        assert!(
            (r.reliability.brier - want).abs() < 1e-9,
            "{}",
            r.reliability.brier
        );
        assert_eq!(r.reliability_by_rule["r2"].bins[6].predicted, 2);
    }

    #[test]
    fn gold_kinds_follow_the_claims_definition() {
        let text = "“A b,” x. He said “c” d. He said e.";
        let g = |s: usize, e: usize| GoldAttribution {
            content: vec![Piece {
                start: s,
                end: e,
                text: String::new(),
            }],
            ..Default::default()
        };
        let got = gold_kinds(text, &[g(0, 6), g(18, 23), g(33, 34)]);
        assert_eq!(got, ["direct", "mixed", "indirect"]);
    }
}
