//! Token-level attribution scoring, CofeNet's definition: sentence-level instances (a token
//! list with one BIO label per token over `source`, `cue` and `content`), each role scored on
//! its own, a span right only when its first and last token both match (*exact*), or when its
//! first token matches (*begin*, boundary errors visible). Micro over all instances.
//!
//! The pipeline reads articles, not tokens, so each instance is detokenized the way news is
//! written ([`detokenize`]: ``` `` ```/`''` → curly quotes, no space before punctuation and
//! clitics such as `'s` and `n't`), keeping each token's code point offsets; the record's
//! claims are then painted back onto the tokens ([`paint`]): a token takes a role when it
//! overlaps a span of that role, cue and source over content.

use serde::{Deserialize, Serialize};

use super::driver::{item, Item, Predictions};
use super::metrics::{Counts, Prf};
use super::quotes::PredClaim;
use crate::error::Result;

/// The roles, in painting priority (a token painted by several takes the first).
pub const ROLES: [&str; 3] = ["cue", "source", "content"];

/// One gold instance.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldInstance {
    /// Instance id (CofeNet's article id), if present.
    #[serde(default)]
    pub id: Option<String>,
    /// Tokens (Penn Treebank style).
    pub tokens: Vec<String>,
    /// One label per token: `O`, or `B-`/`I-` and a role.
    pub labels: Vec<String>,
}

/// Reads token-level BIO JSONL (`tokens`, `labels`, optional `id`; other fields ignored) and
/// checks it: one label per token, every label `O` or `B-`/`I-` + `source`|`cue`|`content`.
/// Any problem is an [`Error::Gold`] naming the file, the line and the field.
pub fn parse_gold(bytes: &[u8], path: &std::path::Path) -> Result<Vec<GoldInstance>> {
    super::read_jsonl(
        bytes,
        path,
        "a token instance (`tokens`, `labels`)",
        |g: &GoldInstance| {
            if g.tokens.len() != g.labels.len() {
                return Err(format!(
                    "{} tokens but {} labels",
                    g.tokens.len(),
                    g.labels.len()
                ));
            }
            match g.labels.iter().position(|l| role_of(l).is_none() && l != "O") {
                Some(k) => Err(format!(
                    "labels[{k}]: malformed label `{}` (want `O` or `B-`/`I-` + source, cue or content)",
                    g.labels[k]
                )),
                None => Ok(()),
            }
        },
    )
}

/// `(prefix, role index)` of a label (`B-cue` → `('B', 0)`), `None` for `O` or anything else.
fn role_of(label: &str) -> Option<(char, usize)> {
    let (p, role) = label.split_once('-')?;
    let prefix = match p {
        "B" => 'B',
        "I" => 'I',
        _ => return None,
    };
    Some((prefix, ROLES.iter().position(|r| *r == role)?))
}

/// Text written the way news is, from Penn Treebank tokens, and each token's code point span
/// in it.
pub fn detokenize(tokens: &[String]) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut chars = 0usize;
    let mut spans = Vec::with_capacity(tokens.len());
    let mut glue_next = false;
    for t in tokens {
        let shown: &str = match t.as_str() {
            "``" => "“",
            "''" => "”",
            "`" => "‘",
            "'" => "’",
            "-LRB-" => "(",
            "-RRB-" => ")",
            "-LSB-" => "[",
            "-RSB-" => "]",
            "-LCB-" => "{",
            "-RCB-" => "}",
            "--" => "—",
            other => other,
        };
        let lower = shown.to_lowercase();
        let glue_before = matches!(
            shown,
            "." | "," | ";" | ":" | "!" | "?" | ")" | "]" | "}" | "%" | "”" | "’" | "..."
        ) || matches!(
            lower.as_str(),
            "'s" | "n't" | "'re" | "'ve" | "'ll" | "'d" | "'m" | "’s"
        );
        if !text.is_empty() && !glue_before && !glue_next {
            text.push(' ');
            chars += 1;
        }
        let n = shown.chars().count();
        spans.push((chars, chars + n));
        text.push_str(shown);
        chars += n;
        glue_next = matches!(shown, "(" | "[" | "{" | "$" | "“" | "‘");
    }
    (text, spans)
}

/// Paints claims onto tokens: one BIO label per token. A token takes a role when it overlaps a
/// span of that role (cue and source over content); consecutive tokens painted by the same
/// span form one span, so two spans side by side stay two (`B` at each start).
pub fn paint(token_spans: &[(usize, usize)], claims: &[PredClaim]) -> Vec<String> {
    // per token: (role, span number) of the highest-priority span overlapping it
    let mut best: Vec<Option<(usize, usize)>> = vec![None; token_spans.len()];
    let mut span_no = 0usize;
    for c in claims {
        let mut spans: Vec<(usize, (usize, usize))> = Vec::new();
        spans.extend(c.cue.map(|s| (0, s)));
        spans.extend(c.source.map(|s| (1, s)));
        spans.extend(c.content.iter().map(|&s| (2, s)));
        for (role, (s, e)) in spans {
            span_no += 1;
            for (t, &(ts, te)) in token_spans.iter().enumerate() {
                let overlaps = ts < e && s < te;
                if overlaps && best[t].is_none_or(|(r, _)| role < r) {
                    best[t] = Some((role, span_no));
                }
            }
        }
    }
    let mut out = Vec::with_capacity(best.len());
    for t in 0..best.len() {
        out.push(match best[t] {
            None => "O".to_string(),
            Some((role, no)) => {
                let continues = t > 0 && best[t - 1] == Some((role, no));
                format!("{}-{}", if continues { 'I' } else { 'B' }, ROLES[role])
            }
        });
    }
    out
}

/// Spans `(first token, last token, role index)` of a BIO sequence: `B` opens a span, `I`
/// continues one of its role (or opens one after `O` or another role), anything else closes.
pub fn spans(labels: &[String]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, l) in labels.iter().enumerate() {
        let tag = role_of(l);
        let continues = matches!((tag, open), (Some(('I', r)), Some((_, o))) if r == o);
        if continues {
            continue;
        }
        if let Some((s, r)) = open.take() {
            out.push((s, i - 1, r));
        }
        if let Some((_, r)) = tag {
            open = Some((i, r));
        }
    }
    if let Some((s, r)) = open {
        out.push((s, labels.len() - 1, r));
    }
    out
}

/// The instances as articles (`{id}#{n}`, or `line{n}#{n}` without an id: each instance
/// detokenized, [`detokenize`]) and each instance's token spans in code points.
pub fn to_items(gold: &[GoldInstance]) -> (Vec<Item>, Vec<Vec<(usize, usize)>>) {
    gold.iter()
        .enumerate()
        .map(|(i, g)| {
            let (text, spans) = detokenize(&g.tokens);
            let id = g.id.clone().unwrap_or_else(|| format!("line{}", i + 1));
            (item(format!("{id}#{}", i + 1), text), spans)
        })
        .unzip()
}

/// Scores each instance against its prediction, painted onto its tokens (an instance the
/// pipeline failed on is not scored); `columns` receives `token gold predicted` lines.
pub fn score_predictions(
    gold: &[GoldInstance],
    token_spans: &[Vec<(usize, usize)>],
    predictions: &Predictions,
    mut columns: Option<&mut dyn std::io::Write>,
) -> std::io::Result<AttributionScores> {
    let mut scorer = AttributionScorer::default();
    for ((g, spans), p) in gold.iter().zip(token_spans).zip(&predictions.items) {
        let Some(p) = p else {
            continue;
        };
        let pred = paint(spans, &p.scored.claims);
        scorer.add(&g.labels, &pred);
        if let Some(w) = columns.as_deref_mut() {
            super::text::write_columns(w, &g.tokens, &g.labels, &pred)?;
        }
    }
    Ok(scorer.scores())
}

/// Exact and begin scores of one role, and where its errors lie.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoleScores {
    /// First and last token match.
    pub exact: Prf,
    /// First token matches.
    pub begin: Prf,
    /// How the gold spans fared.
    pub errors: ErrorClasses,
}

/// How the gold spans of one role fared, each in one class, and the predicted spans that
/// overlap no gold span. A gold span no predicted span equals is *missed* when none overlaps
/// it, *split* when several do, else *over-extended* when the one that does starts earlier or
/// ends later, else *cut short* (it starts later or ends earlier, inside the gold span).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct ErrorClasses {
    /// Gold spans.
    pub gold: usize,
    /// Matched exactly.
    pub exact: usize,
    /// No predicted span overlaps.
    pub missed: usize,
    /// One predicted span overlaps and reaches past it (starts early or ends late).
    pub over_extended: usize,
    /// One predicted span overlaps, inside it (starts late or ends short).
    pub cut_short: usize,
    /// Several predicted spans overlap.
    pub split: usize,
    /// Predicted spans overlapping no gold span.
    pub spurious: usize,
}

impl std::ops::AddAssign for ErrorClasses {
    fn add_assign(&mut self, o: ErrorClasses) {
        self.gold += o.gold;
        self.exact += o.exact;
        self.missed += o.missed;
        self.over_extended += o.over_extended;
        self.cut_short += o.cut_short;
        self.split += o.split;
        self.spurious += o.spurious;
    }
}

/// The error classes of one instance's gold and predicted spans of one role (token spans,
/// first and last token inclusive).
pub fn error_classes(gold: &[(usize, usize)], pred: &[(usize, usize)]) -> ErrorClasses {
    let touches = |a: &(usize, usize), b: &(usize, usize)| a.0 <= b.1 && b.0 <= a.1;
    let mut e = ErrorClasses {
        gold: gold.len(),
        spurious: pred
            .iter()
            .filter(|p| !gold.iter().any(|g| touches(g, p)))
            .count(),
        ..ErrorClasses::default()
    };
    for g in gold {
        let over: Vec<&(usize, usize)> = pred.iter().filter(|p| touches(g, p)).collect();
        match over[..] {
            _ if over.contains(&g) => e.exact += 1,
            [] => e.missed += 1,
            [p] if p.0 < g.0 || p.1 > g.1 => e.over_extended += 1,
            [_] => e.cut_short += 1,
            _ => e.split += 1,
        }
    }
    e
}

/// The report of `eval attribution`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AttributionScores {
    /// Per role: `source`, `cue`, `content`.
    pub source: RoleScores,
    /// Cue.
    pub cue: RoleScores,
    /// Content.
    pub content: RoleScores,
    /// Instances scored.
    pub instances: usize,
}

/// Accumulates counts over instances.
#[derive(Debug, Default)]
pub struct AttributionScorer {
    exact: [Counts; 3],
    begin: [Counts; 3],
    errors: [ErrorClasses; 3],
    instances: usize,
}

/// Matches two multisets of keys: true positives are the keys both hold (each at most once).
fn matched<K: Ord + Clone>(gold: &[K], pred: &[K]) -> Counts {
    let mut g = gold.to_vec();
    let mut p = pred.to_vec();
    g.sort();
    p.sort();
    let (mut i, mut j, mut tp) = (0, 0, 0);
    while i < g.len() && j < p.len() {
        match g[i].cmp(&p[j]) {
            std::cmp::Ordering::Equal => {
                tp += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    Counts {
        tp,
        fp: p.len() - tp,
        fn_: g.len() - tp,
    }
}

impl AttributionScorer {
    /// Adds one instance: gold labels and predicted labels, one per token.
    pub fn add(&mut self, gold: &[String], pred: &[String]) {
        self.instances += 1;
        let (gs, ps) = (spans(gold), spans(pred));
        for role in 0..3 {
            let g: Vec<(usize, usize)> = gs
                .iter()
                .filter(|s| s.2 == role)
                .map(|s| (s.0, s.1))
                .collect();
            let p: Vec<(usize, usize)> = ps
                .iter()
                .filter(|s| s.2 == role)
                .map(|s| (s.0, s.1))
                .collect();
            self.exact[role] += matched(&g, &p);
            let gb: Vec<usize> = g.iter().map(|s| s.0).collect();
            let pb: Vec<usize> = p.iter().map(|s| s.0).collect();
            self.begin[role] += matched(&gb, &pb);
            self.errors[role] += error_classes(&g, &p);
        }
    }

    /// The scores so far.
    pub fn scores(&self) -> AttributionScores {
        let role = |r: usize| RoleScores {
            exact: self.exact[r].prf(),
            begin: self.begin[r].prf(),
            errors: self.errors[r],
        };
        AttributionScores {
            cue: role(0),
            source: role(1),
            content: role(2),
            instances: self.instances,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn v(x: &[&str]) -> Vec<String> {
        x.iter().map(|s| s.to_string()).collect()
    }

    fn slice(text: &str, (s, e): (usize, usize)) -> String {
        text.chars().skip(s).take(e - s).collect()
    }

    #[test]
    fn detokenizes_like_news_and_keeps_token_offsets() {
        let toks = v(&[
            "``", "We", "wo", "n't", "go", ",", "''", "Zoë", "'s", "aide", "said", "-LRB-", "in",
            "Bonn", "-RRB-", "--", "costing", "$", "5", "%", ".",
        ]);
        let (text, spans) = detokenize(&toks);
        assert_eq!(
            text,
            "“We won't go,” Zoë's aide said (in Bonn) — costing $5%."
        );
        let shown: Vec<String> = spans.iter().map(|&s| slice(&text, s)).collect();
        assert_eq!(
            shown,
            [
                "“", "We", "wo", "n't", "go", ",", "”", "Zoë", "'s", "aide", "said", "(", "in",
                "Bonn", ")", "—", "costing", "$", "5", "%", "."
            ]
        );
    }

    #[test]
    fn spans_from_bio_repair_a_stray_i() {
        let l = v(&[
            "B-source",
            "I-source",
            "B-cue",
            "I-content",
            "I-content",
            "O",
            "I-cue",
            "B-cue",
        ]);
        assert_eq!(
            spans(&l),
            [(0, 1, 1), (2, 2, 0), (3, 4, 2), (6, 6, 0), (7, 7, 0)]
        );
    }

    #[test]
    fn painting_gives_cue_and_source_priority_and_covers_mid_token_spans() {
        // tokens: Zoë(0,3) said(4,8) the(9,12) talks(13,18) failed(19,25) .(25,26)
        let toks = [(0, 3), (4, 8), (9, 12), (13, 18), (19, 25), (25, 26)];
        let claims = [PredClaim {
            // content starts mid-"said" and ends mid-"failed": both tokens overlap it
            content: vec![(6, 21)],
            cue: Some((4, 8)),
            source: Some((0, 3)),
            ..PredClaim::default()
        }];
        assert_eq!(
            paint(&toks, &claims),
            v(&[
                "B-source",
                "B-cue",
                "B-content",
                "I-content",
                "I-content",
                "O"
            ])
        );
    }

    #[test]
    fn error_classes_table() {
        // gold spans (first, last): exact, missed, over-extended, cut short, split
        let gold = [(0, 2), (5, 6), (10, 12), (20, 25), (30, 35)];
        let pred = [(0, 2), (9, 12), (21, 25), (30, 31), (33, 35), (40, 41)];
        let e = error_classes(&gold, &pred);
        assert_eq!(
            e,
            ErrorClasses {
                gold: 5,
                exact: 1,
                missed: 1,
                over_extended: 1,
                cut_short: 1,
                split: 1,
                spurious: 1,
            }
        );
        // a span that starts early and ends short still reaches past the gold: over-extended
        assert_eq!(error_classes(&[(5, 9)], &[(3, 7)]).over_extended, 1);
    }

    #[test]
    fn adjacent_spans_of_one_role_stay_two() {
        let toks = [(0, 1), (2, 3), (4, 5)];
        let claims = [
            PredClaim {
                content: vec![(0, 1)],
                ..PredClaim::default()
            },
            PredClaim {
                content: vec![(2, 5)],
                ..PredClaim::default()
            },
        ];
        assert_eq!(
            paint(&toks, &claims),
            v(&["B-content", "B-content", "I-content"])
        );
    }

    #[test]
    fn hand_computed_counts() {
        let mut s = AttributionScorer::default();
        // gold: source 0-1, cue 2, content 3-6
        let gold = v(&[
            "B-source",
            "I-source",
            "B-cue",
            "B-content",
            "I-content",
            "I-content",
            "I-content",
        ]);
        // pred: source 1 (wrong start), cue 2 (right), content 3-5 (right start, wrong end)
        let pred = v(&[
            "O",
            "B-source",
            "B-cue",
            "B-content",
            "I-content",
            "I-content",
            "O",
        ]);
        s.add(&gold, &pred);
        // second instance: nothing gold, one invented content
        s.add(&v(&["O", "O"]), &v(&["B-content", "O"]));
        let r = s.scores();
        assert_eq!(r.instances, 2);
        // cue: tp 1
        assert_eq!(r.cue.exact.f1, 1.0);
        // source: exact tp 0 fp 1 fn 1; begin the same (start 1 vs 0)
        assert_eq!(r.source.exact.f1, 0.0);
        assert_eq!(r.source.begin.f1, 0.0);
        // content exact: tp 0, fp 2, fn 1; begin: tp 1, fp 1, fn 0 → P 1/2, R 1
        assert_eq!(r.content.exact.precision, 0.0);
        assert_eq!(r.content.exact.support, 1);
        assert_eq!(r.content.begin.precision, 0.5);
        assert_eq!(r.content.begin.recall, 1.0);
        assert!((r.content.begin.f1 - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn malformed_gold_names_line_and_field() {
        let p = std::path::Path::new("g.jsonl");
        let cases: [(&[u8], &str); 3] = [
            (
                b"{\"tokens\": [\"a\"], \"labels\": [\"B-speaker\"]}",
                "labels[0]",
            ),
            (
                b"\n{\"tokens\": [\"a\", \"b\"], \"labels\": [\"O\"]}",
                "2 tokens but 1 labels",
            ),
            (b"{\"tokens\": [\"caf\xe9\"]}", "UTF-8"),
        ];
        for (bytes, want) in cases {
            match parse_gold(bytes, p) {
                Err(Error::Gold { message, .. }) => assert!(message.contains(want), "{message}"),
                other => panic!("want a gold error, got {other:?}"),
            }
        }
    }
}
