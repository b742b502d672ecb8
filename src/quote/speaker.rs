//! Speaker resolution: from the mention next to the cue to an entity cluster.
//!
//! - A mention that holds a named entity resolves to its cluster (`name`).
//! - `he`/`she`/`I` resolve to the previous speaker when that was a person within two
//!   paragraphs, else to the most recent person mentioned before (`pronoun`); `they`/`it`/`we`
//!   to the most recent organisation speaker or mention.
//! - A role phrase (`the minister`, `a campaign spokesman`) resolves to the person introduced
//!   with that role word (`Defence Minister Hulusi Akar`, `Akar, the minister,`) (`title`).
//! - A quote without a cue inherits the previous quote's speaker only when guarded: same
//!   paragraph with no other person mentioned in between, or a quote-only paragraph right after
//!   that speaker's paragraph with no other person in between (`inherited`). Inheriting across
//!   a paragraph break unguarded is right only 3–17% of the time on PolNeAR.

use super::cues::{is_pronoun, scan};
use super::direct::RULE_NO_CUE;
use super::{ClaimKind, Quote, Resolution, Speaker};
use crate::entity::{is_org, is_person, Entities, Entity};
use crate::segment::Segments;
use crate::span::Span;

/// Rule id given to a cue-less quote that inherited its speaker.
pub const RULE_INHERITED: &str = "direct.inherited";

/// Resolves every quote's speaker in place, in body order.
pub fn resolve(body: &str, segments: &Segments, entities: &Entities, quotes: &mut [Quote]) {
    let para_of = |pos: usize| segments.paragraph_at(pos).unwrap_or(usize::MAX);
    // the last quote before `q` that has a speaker (kept as we go, so the walk is linear)
    let mut last_with_speaker: Option<usize> = None;
    for q in 0..quotes.len() {
        if q > 0 && quotes[q - 1].speaker.is_some() {
            last_with_speaker = Some(q - 1);
        }
        let (before, rest) = quotes.split_at_mut(q);
        let quote = &mut rest[0];
        match quote.speaker.as_mut() {
            Some(s) => resolve_mention(body, segments, entities, before, s),
            None if quote.rule == RULE_NO_CUE => {
                let Some(prev) = last_with_speaker.and_then(|p| before.get(p)) else {
                    continue;
                };
                let Some(ps) = prev.speaker.as_ref() else {
                    continue;
                };
                let prev_end = prev.content().end.max(ps.mention.end);
                let start = quote.content().start;
                let (pp, qp) = (para_of(prev.content().start), para_of(start));
                let other_person = mentions_in(entities, Span::new(prev_end, start.max(prev_end)))
                    .any(|e| {
                        is_person(&e.label)
                            && e.span.start >= prev_end
                            && e.span.end <= start
                            && (ps.cluster != Some(e.cluster))
                    });
                let quote_only = segments.paragraphs.get(qp).is_some_and(|p| {
                    let covered: usize = quote
                        .pieces
                        .iter()
                        .filter(|x| p.span.contains(x))
                        .map(Span::len)
                        .sum();
                    covered * 10 >= p.span.len() * 8
                });
                let guarded =
                    !other_person && (pp == qp || (quote_only && qp == para_of(prev_end) + 1));
                if guarded {
                    quote.speaker = Some(Speaker {
                        resolution: Resolution::Inherited,
                        ..ps.clone()
                    });
                    quote.rule = RULE_INHERITED;
                    quote.confidence = 0.7;
                }
            }
            None => {}
        }
    }
}

fn resolve_mention(
    body: &str,
    segments: &Segments,
    entities: &Entities,
    before: &[Quote],
    s: &mut Speaker,
) {
    let cluster_name = |c: usize| entities.clusters.get(c).map(|c| c.name.clone());
    // 1. a named entity inside the mention: the first person ("Kenji Mori, a strategist at
    // Daiwa"), else the first organisation, else any entity
    let inside = |want: &dyn Fn(&str) -> bool| {
        mentions_in(entities, s.mention).find(|e| e.span.overlaps(&s.mention) && want(&e.label))
    };
    let named = inside(&|l| is_person(l))
        .or_else(|| inside(&|l| is_org(l)))
        .or_else(|| inside(&|_| true));
    if let Some(e) = named {
        s.cluster = Some(e.cluster);
        s.name = cluster_name(e.cluster).unwrap_or_else(|| s.name.clone());
        s.resolution = Resolution::Name;
        return;
    }
    let text = s.mention.slice(body).to_lowercase();
    let para = segments.paragraph_at(s.mention.start).unwrap_or(0);
    // 2. pronouns
    if is_pronoun(&text) {
        let personal = matches!(text.as_str(), "he" | "she" | "i");
        let want = |label: &str| {
            if personal {
                is_person(label)
            } else {
                is_org(label)
            }
        };
        let prev_speaker = before.iter().rev().take(PRONOUN_LOOKBACK).find_map(|p| {
            let ps = p.speaker.as_ref()?;
            let c = ps.cluster?;
            let near = segments
                .paragraph_at(ps.mention.start)
                .is_some_and(|pp| para.saturating_sub(pp) <= 2);
            (near && entities.clusters.get(c).is_some_and(|cl| want(&cl.label))).then_some(c)
        });
        let recent = || {
            // walking back from the mention, stop once two paragraphs back are passed
            mentions_before(entities, s.mention.start)
                .rev()
                .take_while(|e| {
                    segments
                        .paragraph_at(e.span.start)
                        .is_some_and(|pp| para.saturating_sub(pp) <= 2)
                })
                .find(|e| e.span.end <= s.mention.start && want(&e.label))
                .map(|e| e.cluster)
        };
        if let Some(c) = prev_speaker.or_else(recent) {
            s.cluster = Some(c);
            s.name = cluster_name(c).unwrap_or_else(|| s.name.clone());
            s.resolution = Resolution::Pronoun;
        }
        return;
    }
    // 3. role phrases: find the person introduced with the head role word
    let words = scan(body, s.mention);
    let Some(head) = words.iter().rev().find(|w| w.is_word()).map(|w| w.lower()) else {
        return;
    };
    let role_person = mentions_before(entities, s.mention.start)
        .rev()
        .filter(|e| e.span.end <= s.mention.start && is_person(&e.label))
        .take(ROLE_CANDIDATES)
        .find(|e| {
            let Some(si) = segments.sentence_at(e.span.start) else {
                return false;
            };
            let sent = segments.sentences[si].span;
            // "Defence Minister Hulusi Akar": the role word within four words before the name
            let pre = scan(body, near_before(body, sent.start, e.span.start, 120));
            let pre_hit = pre.iter().rev().take(4).any(|w| w.lower() == head);
            // "Akar, the minister,": the role word within five words after the name
            let post = scan(body, near_after(body, e.span.end, sent.end, 160));
            let post_hit = post.first().is_some_and(|w| w.text == ",")
                && post.iter().take(6).any(|w| w.lower() == head);
            pre_hit || post_hit
        });
    if let Some(e) = role_person {
        s.cluster = Some(e.cluster);
        s.name = cluster_name(e.cluster).unwrap_or_else(|| s.name.clone());
        s.resolution = Resolution::Title;
    }
}

/// How many earlier claims a pronoun looks back over for the previous speaker (far more than
/// two paragraphs hold; it bounds the cost in an article of thousands of claims).
const PRONOUN_LOOKBACK: usize = 64;

/// How many earlier person mentions a role phrase is checked against.
const ROLE_CANDIDATES: usize = 200;

/// Mentions overlapping `range` (mentions are in body order and do not overlap, so their ends
/// are sorted too).
fn mentions_in(entities: &Entities, range: Span) -> impl Iterator<Item = &Entity> {
    let first = entities
        .mentions
        .partition_point(|e| e.span.end <= range.start);
    entities.mentions[first..]
        .iter()
        .take_while(move |e| e.span.start < range.end)
}

/// Mentions starting before byte `pos`, in body order.
fn mentions_before(entities: &Entities, pos: usize) -> std::slice::Iter<'_, Entity> {
    let end = entities.mentions.partition_point(|e| e.span.start < pos);
    entities.mentions[..end].iter()
}

/// At most `max` bytes of `[floor, pos)`, ending at `pos`, on a char boundary.
pub(crate) fn near_before(body: &str, floor: usize, pos: usize, max: usize) -> Span {
    let mut start = pos.saturating_sub(max).max(floor);
    while start < pos && !body.is_char_boundary(start) {
        start += 1;
    }
    Span::new(start, pos)
}

/// At most `max` bytes of `[pos, ceiling)`, starting at `pos`, on a char boundary.
pub(crate) fn near_after(body: &str, pos: usize, ceiling: usize, max: usize) -> Span {
    let mut end = (pos + max).min(ceiling).min(body.len());
    while end > pos && !body.is_char_boundary(end) {
        end -= 1;
    }
    Span::new(pos, end)
}

/// Folds an inherited quote into the claim right before it when both are direct quotes of the
/// same speaker in the same paragraph: PolNeAR (and readers) treat `“Q1,” she said. “Q2.” …
/// “Q3.”` as one claim in several pieces.
pub fn merge_continuations(segments: &Segments, quotes: &mut Vec<Quote>) {
    let mut out: Vec<Quote> = Vec::with_capacity(quotes.len());
    for q in quotes.drain(..) {
        if let Some(prev) = out.last_mut() {
            let same_para = |a: usize, b: usize| {
                segments.paragraph_at(a).is_some()
                    && segments.paragraph_at(a) == segments.paragraph_at(b)
            };
            let mergeable = q.rule == RULE_INHERITED
                && prev.kind == ClaimKind::Direct
                && q.kind == ClaimKind::Direct
                && prev.speaker.as_ref().map(|s| s.mention)
                    == q.speaker.as_ref().map(|s| s.mention)
                && same_para(prev.content().end.saturating_sub(1), q.content().start);
            if mergeable {
                prev.pieces.extend(q.pieces);
                prev.unclosed |= q.unclosed;
                continue;
            }
        }
        out.push(q);
    }
    *quotes = out;
}
