//! Claims from the model's attribution tags (rule id `model.tagged`).
//!
//! When the model has an attribution output, it tags cue, source and content spans
//! ([`Tagged`]); this module turns them into claims: every tagged content takes the nearest
//! tagged cue in its paragraph (contents on both sides of one cue in one sentence become one
//! split claim), and the cue takes the nearest tagged source in its sentence, else the source
//! the rules find next to it. The kind comes from the text: a content that is one quotation is
//! `direct`, one holding a quotation `mixed`, one whose cue is a belief or finding verb
//! `belief`, else `indirect`.

use super::claim::{ClaimKind, Quote, Speaker};
use super::cues::{cue_at, CueClass};
use super::marks::{claim_kind, Quoted};
use super::source;
use super::window::{near_after, near_before};
use super::words::Words;
use crate::entity::{Tagged, TaggedSpan};
use crate::segment::Segments;
use crate::span::{gap, Span, SpanIndex};

pub(crate) use super::rules::MODEL_TAGGED as RULE_TAGGED;

/// Farthest a cue may sit from its content, in bytes (about 25 words).
const MAX_CUE_GAP: usize = 160;
/// Farthest a source may sit from its cue, in bytes.
const MAX_SOURCE_GAP: usize = 120;
/// A sentence longer than this (bytes) is scanned only [`SOURCE_REACH`] bytes around a cue
/// when the rules look for its source.
const LONG_SENTENCE: usize = 4096;
/// Bytes on each side of a cue scanned for its source in a long sentence.
const SOURCE_REACH: usize = 1024;

/// `pos` moved back to the start of the word it cuts (not before `floor`).
fn word_start(body: &str, pos: usize, floor: usize) -> usize {
    let head = &body[floor..pos];
    match head.char_indices().next_back() {
        Some((_, c)) if !c.is_whitespace() => head.rfind(char::is_whitespace).map_or(floor, |k| {
            floor + k + head[k..].chars().next().map_or(1, char::len_utf8)
        }),
        _ => pos,
    }
}

/// The span of `spans` (indexed by `index`) nearest to `target` within `max_gap` bytes among
/// those `keep` accepts (ties: the earlier one, then the first listed).
fn nearest<'a>(
    spans: &'a [TaggedSpan],
    index: &SpanIndex,
    target: Span,
    max_gap: usize,
    keep: impl Fn(&TaggedSpan) -> bool,
) -> Option<(usize, &'a TaggedSpan)> {
    index
        .near(target, max_gap)
        .map(|(i, _)| (i, &spans[i]))
        .filter(|(_, s)| keep(s))
        .min_by_key(|(i, s)| (gap(s.span, target), s.span.start, *i))
}

/// Claims for the tagged contents of one article, in body order.
///
/// Linear in the number of tags (n log n with the lookups): each content looks only at the
/// cues within reach ([`SpanIndex`]), and the second piece of a split claim is looked for
/// only among the contents that chose the same cue.
pub(crate) fn tagged_quotes(
    words: &Words<'_>,
    segments: &Segments,
    quoted: &[Quoted],
    tagged: &Tagged,
) -> Vec<Quote> {
    let para = |pos: usize| segments.paragraph_at(pos);
    let sentence = |pos: usize| segments.sentence_at(pos);
    let mut contents = tagged.contents.clone();
    contents.sort_by_key(|c| (c.span.start, c.span.end));
    let cue_index = SpanIndex::new(tagged.cues.iter().map(|k| k.span));
    let source_index = SpanIndex::new(tagged.sources.iter().map(|k| k.span));
    // each content's cue: the nearest tagged cue outside it in a sentence it touches, else
    // the nearest in its paragraph ("X said that A. Critics say B": A's cue is "said", though
    // "say" is nearer)
    let cue_of: Vec<Option<(usize, &TaggedSpan)>> = contents
        .iter()
        .map(|c| {
            let (first, last) = (para(c.span.start), para(c.span.end.saturating_sub(1)));
            let in_para = |k: &TaggedSpan| {
                let p = para(k.span.start);
                !k.span.overlaps(&c.span) && (p == first || p == last)
            };
            let (s0, s1) = (
                sentence(c.span.start),
                sentence(c.span.end.saturating_sub(1)),
            );
            nearest(&tagged.cues, &cue_index, c.span, MAX_CUE_GAP, |k| {
                let s = sentence(k.span.start);
                in_para(k) && (s == s0 || s == s1)
            })
            .or_else(|| nearest(&tagged.cues, &cue_index, c.span, MAX_CUE_GAP, in_para))
        })
        .collect();
    // the contents that chose each cue, in body order
    let mut by_cue: Vec<Vec<usize>> = vec![Vec::new(); tagged.cues.len()];
    for (j, k) in cue_of.iter().enumerate() {
        if let Some((ki, _)) = k {
            by_cue[*ki].push(j);
        }
    }
    let mut out: Vec<Quote> = Vec::new();
    let mut used = vec![false; contents.len()];
    for i in 0..contents.len() {
        if used[i] {
            continue;
        }
        used[i] = true;
        let cue = cue_of[i];
        // a tagged cue of auxiliaries alone (`had been`, `are`, `to`) attributes nothing: no
        // claim (a rule that finds the same content still makes one); the other contents that
        // chose the same cue are skipped here in their turn
        if cue.is_some_and(|(_, k)| auxiliaries_only(words, k.span)) {
            continue;
        }
        let mut pieces = vec![contents[i].span];
        let mut score = contents[i].score;
        if let Some((ki, k)) = cue {
            // `Q1, X said, Q2`: a later content of the same sentence on the other side of the
            // same cue is the second piece of this claim
            for &j in &by_cue[ki] {
                let c = &contents[j];
                if j > i
                    && !used[j]
                    && pieces[0].end <= k.span.start
                    && c.span.start >= k.span.end
                    && sentence(c.span.start) == sentence(k.span.start)
                {
                    used[j] = true;
                    pieces.push(c.span);
                    score = score.min(c.score);
                    break;
                }
            }
        }
        let content = pieces[0].cover(&pieces[pieces.len() - 1]);
        let speaker = cue.and_then(|(_, k)| {
            speaker_for(words, segments, tagged, &source_index, k.span, &pieces)
        });
        let class = cue.and_then(|(_, k)| cue_class(words, k.span));
        out.push(
            Quote::found(
                RULE_TAGGED,
                kind_of(class, content, quoted),
                pieces,
                cue.map(|(_, k)| k.span),
                speaker,
            )
            .scored(score),
        );
    }
    out
}

/// Words that make no cue on their own: forms of `be`, `have` and `do`, and the infinitive
/// and purpose markers. A tagged cue of these alone is the model reading a copula or a
/// purpose clause as an attribution (`critics had been …`, `Kamen to …`).
const AUXILIARIES: &[&str] = &[
    "be", "is", "are", "was", "were", "been", "being", "am", "'s", "’s", "has", "have", "had",
    "having", "do", "does", "did", "to", "for",
];

/// True when every word of the tagged cue span is in [`AUXILIARIES`].
fn auxiliaries_only(all: &Words<'_>, cue: Span) -> bool {
    let words = all.within(cue);
    !words.is_empty() && words.iter().all(|w| AUXILIARIES.contains(&w.lower()))
}

/// The class of the lexicon cue at the end of `cue` ("has said" → speech), if it is one.
fn cue_class(all: &Words<'_>, cue: Span) -> Option<CueClass> {
    let words = all.within(cue);
    (0..words.len())
        .rev()
        .find_map(|i| cue_at(&words, i))
        .map(|m| m.class)
}

fn kind_of(class: Option<CueClass>, content: Span, quoted: &[Quoted]) -> ClaimKind {
    let belief = matches!(class, Some(CueClass::Belief | CueClass::Finding));
    claim_kind(&[content], quoted, belief)
}

/// The source of `cue`: the nearest tagged source in its sentence, outside the content's
/// pieces (between the two pieces of a split claim, "Q1, X said, Q2", is outside); else the
/// phrase the rules take next to the cue.
fn speaker_for(
    words: &Words<'_>,
    segments: &Segments,
    tagged: &Tagged,
    source_index: &SpanIndex,
    cue: Span,
    pieces: &[Span],
) -> Option<Speaker> {
    let sentence = segments.sentence_at(cue.start);
    let tagged_source = nearest(&tagged.sources, source_index, cue, MAX_SOURCE_GAP, |s| {
        outside(pieces, s.span)
            && !s.span.overlaps(&cue)
            && segments.sentence_at(s.span.start) == sentence
    });
    let body = words.body();
    let rules = || rules_source(words, segments, sentence, cue, pieces);
    if let Some((_, s)) = tagged_source {
        // the model's source boundary can stop short ("The" of "The minister"): when the
        // rules' source phrase next to the cue holds the tagged source, the phrase wins
        return match rules() {
            Some(r) if r.mention.contains(&s.span) => Some(r),
            _ => Some(source::mention(s.span, body)),
        };
    }
    // else the rules' source phrase next to the cue
    rules()
}

/// True when `span` overlaps none of a claim's content `pieces` (a source between the two
/// pieces of a split claim is outside its content).
fn outside(pieces: &[Span], span: Span) -> bool {
    !pieces.iter().any(|p| p.overlaps(&span))
}

/// The rules' source phrase next to `cue` in its sentence, outside the content's `pieces`
/// (the first piece bounds the search before the cue).
fn rules_source(
    all: &Words<'_>,
    segments: &Segments,
    sentence: Option<usize>,
    cue: Span,
    pieces: &[Span],
) -> Option<Speaker> {
    let content = *pieces.first()?;
    let body = all.body();
    let sent = segments.sentences.get(sentence?)?.span;
    // the source phrase sits within a few words of the cue: in a sentence of thousands of
    // words, scan only the stretch around it (so each cue costs the same at any length)
    let sent = if sent.len() > LONG_SENTENCE {
        let before = near_before(body, sent.start, cue.start, SOURCE_REACH);
        let after = near_after(body, cue.end, sent.end, SOURCE_REACH);
        let start = word_start(body, before.start, sent.start);
        Span::new(start, after.end)
    } else {
        sent
    };
    let words = all.within(sent);
    let first = words.iter().position(|w| w.span.start >= cue.start)?;
    let last = words.iter().rposition(|w| w.span.end <= cue.end)?;
    let floor = words
        .iter()
        .rposition(|w| w.span.end <= content.start && content.start <= cue.start)
        .map_or(0, |k| k + 1);
    let phrase = source::before(&words, first, floor)
        .or_else(|| source::after(&words, last + 1))
        .filter(|p| outside(pieces, words[p.0].span.cover(&words[p.1].span)))?;
    Some(source::speaker(&words, phrase, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::segment::segment;

    fn span_of(body: &str, text: &str) -> Span {
        let s = body.find(text).expect("fixture text");
        Span::new(s, s + text.len())
    }

    fn tagged(body: &str, cues: &[&str], sources: &[&str], contents: &[&str]) -> Tagged {
        let t = |xs: &[&str]| {
            xs.iter()
                .map(|x| TaggedSpan {
                    span: span_of(body, x),
                    score: 0.9,
                })
                .collect()
        };
        Tagged {
            cues: t(cues),
            sources: t(sources),
            contents: t(contents),
        }
    }

    fn run(body: &str, t: &Tagged) -> Vec<Quote> {
        let a = Article::new("t", body);
        let s = segment(&a);
        let q = super::super::direct::quoted_spans(body, &s);
        tagged_quotes(&Words::new(body, &s), &s, &q, t)
    }

    #[test]
    fn content_takes_nearest_cue_and_its_source() {
        let body = "The minister said the talks would resume in May. Rain fell.";
        let t = tagged(
            body,
            &["said"],
            &["The minister"],
            &["the talks would resume in May"],
        );
        let q = run(body, &t);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].kind, ClaimKind::Indirect);
        assert_eq!(q[0].cue.map(|c| c.slice(body)), Some("said"));
        let sp = q[0].speaker.as_ref().map(|s| s.mention.slice(body));
        assert_eq!(sp, Some("The minister"));
        assert_eq!(q[0].rule, RULE_TAGGED);
    }

    #[test]
    fn a_content_takes_the_cue_of_its_own_sentence_over_a_nearer_one() {
        let body = "The museum said in a statement on Tuesday the crates would ship in May. \
                    Critics say it is late.";
        let t = tagged(
            body,
            &["said", "say"],
            &["The museum", "Critics"],
            &["the crates would ship in May", "it is late"],
        );
        let q = run(body, &t);
        let got: Vec<_> = q
            .iter()
            .map(|q| (q.cue.map(|c| c.slice(body)), q.pieces.len()))
            .collect();
        assert_eq!(got, [(Some("said"), 1), (Some("say"), 1)]);
    }

    #[test]
    fn contents_around_one_cue_are_one_split_claim() {
        let body = "Prices will fall, Ms. Ortiz said, and wages will rise.";
        let t = tagged(
            body,
            &["said"],
            &["Ms. Ortiz"],
            &["Prices will fall", "wages will rise"],
        );
        let q = run(body, &t);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].pieces.len(), 2);
        // the speaker sits between the pieces, inside their cover but outside each piece
        let sp = q[0].speaker.as_ref().map(|s| s.mention.slice(body));
        assert_eq!(sp, Some("Ms. Ortiz"));
        // the same without a tagged source: the rules' phrase next to the cue
        let t = tagged(
            body,
            &["said"],
            &[],
            &["Prices will fall", "wages will rise"],
        );
        let sp = run(body, &t)[0]
            .speaker
            .as_ref()
            .map(|s| s.mention.slice(body));
        assert_eq!(sp, Some("Ms. Ortiz"));
    }

    /// A cue of auxiliaries alone makes no claim; an auxiliary inside a real cue does not
    /// matter.
    #[test]
    fn auxiliary_cues_make_no_claim() {
        let body = "Critics had been sure of it. Zoë Ångström has said the vote is lost.";
        let t = tagged(
            body,
            &["had been", "has said"],
            &["Critics", "Zoë Ångström"],
            &["sure of it", "the vote is lost"],
        );
        let q = run(body, &t);
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].cue.map(|c| c.slice(body)), Some("has said"));
    }

    #[test]
    fn belief_and_mixed_kinds() {
        let body =
            "Voters believe the race is close. Okafor said the plan was “dead on arrival” today.";
        let t = tagged(
            body,
            &["believe", "said"],
            &["Voters", "Okafor"],
            &["the race is close", "the plan was “dead on arrival” today"],
        );
        let q = run(body, &t);
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].kind, ClaimKind::Belief);
        assert_eq!(q[1].kind, ClaimKind::Mixed);
    }

    #[test]
    fn missing_tagged_source_falls_back_on_the_rules() {
        let body = "Jonas Berg, the mayor, said the bridge will reopen soon.";
        let t = tagged(body, &["said"], &[], &["the bridge will reopen soon"]);
        let q = run(body, &t);
        let sp = q[0].speaker.as_ref().map(|s| s.mention.slice(body));
        assert!(sp.is_some_and(|s| s.contains("Berg")), "{sp:?}");
    }

    #[test]
    fn no_cue_in_reach_leaves_no_speaker() {
        let body = "The harbour froze.\n\nOfficials said little.";
        let t = tagged(body, &["said"], &["Officials"], &["The harbour froze"]);
        let q = run(body, &t);
        assert_eq!(q.len(), 1);
        assert!(q[0].cue.is_none() && q[0].speaker.is_none());
    }
}
