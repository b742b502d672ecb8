//! Indirect and mixed speech, beliefs and findings: reporting cues without quotation marks
//! around the content.
//!
//! Rules (ids stored on each quote):
//! - `indirect.cue_content`: `SOURCE CUE (that) CONTENT.` — `Akar said (that) …`, `X told
//!   reporters …`, `X said in a statement that …`, `X believes …`, `the poll shows …`.
//! - `indirect.content_cue`: `CONTENT, SOURCE CUE.` / `CONTENT, CUE SOURCE.` — `Azerbaijan is
//!   a fraternal country for us, Akar said.`
//! - `indirect.according_to`: `According to SOURCE, CONTENT.` / `CONTENT, according to SOURCE.`
//! - `indirect.participle`: `SOURCE did X, saying (that) CONTENT.`
//! - `indirect.quoted_as`: `SOURCE was quoted as saying CONTENT.`
//! - `indirect.colon`: a headline or transcript line `SOURCE: CONTENT` (`Poll: Clinton leads
//!   in Ohio`, `WALLACE: Let's start …`), where SOURCE is a short capitalised name.
//!
//! Content that holds a quotation is a `mixed` claim. Content that would overlap an attributed
//! direct quote is left to the direct rules.

use super::claim::{ClaimKind, Quote};
use super::cues::{cue_at, CueClass, CueMatch};
use super::lexicon::{is_pronoun, is_terminator, EM_DASH, EN_DASH};
use super::marks::{claim_kind, touching, Quoted};
use super::source;
use super::words::{Words, W};
use crate::segment::Segments;
use crate::span::{Span, SpanIndex};

use super::rules::{
    self, RuleId, Run, BELIEF_SCORE, INDIRECT_ACCORDING_TO as RULE_ACCORDING_TO,
    INDIRECT_COLON as RULE_COLON, INDIRECT_CONTENT_CUE as RULE_CONTENT_CUE,
    INDIRECT_CUE_CONTENT as RULE_CUE_CONTENT, INDIRECT_PARTICIPLE as RULE_PARTICIPLE,
    INDIRECT_QUOTED_AS as RULE_QUOTED_AS, SAY_TELL_SCORE,
};
use crate::segment::punct;

/// Labels that open a line with a colon without naming a source.
const NOT_SOURCES: &[&str] = &[
    "note",
    "update",
    "updated",
    "related",
    "photo",
    "photos",
    "video",
    "watch",
    "source",
    "sources",
    "correction",
    "disclosure",
    "advertisement",
    "share",
    "tags",
    "click",
    "read",
    "see",
    "editor",
    "editors",
    "listen",
    "subscribe",
    "contact",
    "email",
    "follow",
    "warning",
    "breaking",
    "exclusive",
    "live",
    "opinion",
    "analysis",
    "q",
    "a",
    "question",
    "answer",
    "transcript",
    "caption",
    "credit",
    "image",
    "more",
    "also",
    "topics",
    "filed",
];

/// Most words a `SOURCE:` label may have.
const MAX_LABEL_WORDS: usize = 5;

/// The speaker label a paragraph's words open with (`Nick Bos:`, `WALLACE:`, not `Image:` or
/// `Q:`): the word range of the label and the index of its colon. Read by `indirect.colon`
/// and by the interview layout ([`super::turns`]).
pub(crate) fn speaker_label(words: &[W<'_>]) -> Option<(std::ops::Range<usize>, usize)> {
    // a transcript line may open with a stray quotation mark
    let first = usize::from(words.first().is_some_and(|w| matches!(w.text, "\"" | "“")));
    let colon =
        (first..words.len().min(first + MAX_LABEL_WORDS + 1)).find(|&k| words[k].text == ":")?;
    let label = &words[first..colon];
    let name_like = |w: &W<'_>| {
        w.is_capitalized() || matches!(w.text, "of" | "the" | "and" | "&" | "." | "-" | "’s" | "'s")
    };
    if label.is_empty()
        || !label[0].is_capitalized()
        || !label.iter().all(name_like)
        || NOT_SOURCES.contains(&label[0].lower())
        || label
            .iter()
            .any(|w| w.text.chars().any(|c| c.is_ascii_digit()))
    {
        return None;
    }
    Some((first..colon, colon))
}

/// `SOURCE: CONTENT` at the start of a paragraph (headlines, interview transcripts).
pub(crate) fn colon_line(
    all: &Words<'_>,
    p: usize,
    para: Span,
    quoted: &[Quoted],
) -> Option<Quote> {
    let body = all.body();
    let words = all.paragraph(p);
    let (label, colon) = speaker_label(&words)?;
    let first = label.start;
    let rest = &words[colon + 1..];
    let mut end = rest.len();
    while end > 0 && (is_end(&rest[end - 1]) || punct::is_closing_token(rest[end - 1].text)) {
        end -= 1;
    }
    if rest[..end].iter().filter(|w| w.is_word()).count() < MIN_CONTENT_WORDS {
        return None;
    }
    let mut content = rest[0].span.cover(&rest[end - 1].span);
    // keep the closing mark of a quotation the content opens
    if let Some(q) = touching(quoted, content)
        .iter()
        .find(|q| q.span.start >= content.start && q.span.start < content.end)
    {
        if q.span.end > content.end && q.span.end <= para.end {
            content = content.cover(&q.span);
        }
    }
    let speaker = source::speaker(&words, (first, colon - 1), body);
    Some(Quote::found(
        RULE_COLON,
        speech_kind(content, quoted),
        vec![content],
        Some(words[colon].span),
        Some(speaker),
    ))
}

/// Verbs whose object (the hearer) sits between cue and content: "told reporters (that)".
const TELL: &[&str] = &[
    "tell", "inform", "assure", "reassure", "remind", "warn", "urge", "ask", "advise", "notify",
    "brief", "promise", "email", "text", "message", "thank",
];

/// Words that may open a prepositional phrase between cue and content ("said in a statement").
const PREP: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "for",
    "from",
    "via",
    "with",
    "late",
    "early",
    "last",
    "this",
    "yesterday",
    "today",
    "earlier",
    "later",
    "recently",
    "repeatedly",
    "again",
    "publicly",
    "privately",
    "also",
    "then",
    "once",
    "previously",
    "flatly",
    "simply",
];

/// True for a terminator a content ends before: `.` and `;`. A question or exclamation mark
/// is part of what was said and stays in the content (PolNeAR dev's sentence instances: `?`
/// inside the gold content 8 times of 11, `.` 88 of 1111).
fn is_end(w: &W<'_>) -> bool {
    is_terminator(w.text) && !matches!(w.text, "?" | "!")
}

fn kind_of(m: &CueMatch, content: Span, quoted: &[Quoted]) -> ClaimKind {
    let belief = matches!(m.class, CueClass::Belief | CueClass::Finding);
    claim_kind(&[content], quoted, belief)
}

/// The kind of a claim whose cue is always a speech cue.
fn speech_kind(content: Span, quoted: &[Quoted]) -> ClaimKind {
    claim_kind(&[content], quoted, false)
}

/// Where content starting at `from` ends: before `, but`, before a coordinated or
/// participial cue (`and said`, `, adding`, `, he added`), before `, compared with`,
/// `, according to`, a semicolon or a dash; else at the sentence end.
fn clause_end(words: &[W<'_>], from: usize) -> usize {
    let mut depth = 0usize;
    // content runs at most MAX_CONTENT_WORDS tokens: a runaway sentence cannot make this quadratic
    let limit = words.len().min(from + MAX_CONTENT_WORDS);
    for k in from + 1..limit {
        let w = &words[k];
        match punct::mark_token(w.text) {
            Some(c) if punct::opens_double(c) => depth += 1,
            Some(c) if punct::closes_double(c) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 {
            continue;
        }
        let l = w.lower();
        let next_cue = |at: usize| {
            (at..(at + CUE_AFTER_CONJUNCTION_WORDS).min(words.len()))
                .any(|j| cue_at(words, j).is_some_and(|m| m.class == CueClass::Speech))
        };
        let boundary = match l {
            ";" | EM_DASH | EN_DASH => true,
            "," => {
                let n = words.get(k + 1).map(|x| x.lower()).unwrap_or_default();
                matches!(n, "but" | "compared" | "according" | "while" | "whereas")
                    || (matches!(n, "and" | "yet") && next_cue(k + 2))
                    || cue_at(words, k + 1).is_some_and(|m| m.participle)
                    || (next_cue(k + 1)
                        && words
                            .get(k + 1)
                            .is_some_and(|x| is_pronoun(x.lower()) || x.is_capitalized()))
            }
            "but" => true,
            "and" => {
                cue_at(words, k + 1).is_some()
                    || words.get(k + 1).is_some_and(|x| x.lower() == "also")
                        && cue_at(words, k + 2).is_some()
            }
            _ => false,
        };
        if boundary {
            return k;
        }
    }
    limit
}

/// Fewest words of a content (`Akar said no.` is a reply, not a claim worth a record).
const MIN_CONTENT_WORDS: usize = 3;
/// Words after `, and` / `, yet` within which a speech cue makes it a new clause (`, and
/// the minister said`).
const CUE_AFTER_CONJUNCTION_WORDS: usize = 3;
/// Most words of the hearer after a verb of telling, up to `that` (`told reporters at the
/// scene that`); the infinitive content (`told his supporters at a rally to go`) may start
/// one word further.
const HEARER_WORDS: usize = 8;
/// Most words of a prepositional phrase or date between cue and content (`said on Friday
/// in a statement that`).
const PREPOSITIONAL_WORDS: usize = 10;
/// Most words after the cue and source of `CONTENT, SOURCE CUE` before the sentence ends (a
/// longer tail is a new clause, not an attribution).
const CONTENT_CUE_TAIL_WORDS: usize = 8;

/// Longest indirect content, in scanner tokens (news sentences rarely pass 80 words).
const MAX_CONTENT_WORDS: usize = 200;

/// Content from word `from` to the end of its clause (terminator and closing marks
/// excluded), or `None` if it is too short.
fn content_to_end(words: &[W<'_>], from: usize) -> Option<Span> {
    let words = &words[..clause_end(words, from)];
    let mut end = words.len();
    while end > from
        && (is_end(&words[end - 1])
            || punct::is_closing_token(words[end - 1].text)
            || words[end - 1].text == ")")
    {
        end -= 1;
    }
    // keep a closing mark that closes a quotation opened inside the content
    let opened = words[from..end]
        .iter()
        .filter(|w| punct::is_double_opening_token(w.text))
        .count();
    let mut stop = end;
    let directional_open = |w: &W<'_>| punct::mark_token(w.text).is_some_and(punct::opens_double);
    if opened % 2 == 1 || words[from..end].iter().any(directional_open) {
        if let Some(k) = (end..words.len()).find(|&k| punct::is_double_closing_token(words[k].text))
        {
            stop = k + 1;
        }
    }
    let n_words = words[from..end].iter().filter(|w| w.is_word()).count();
    (n_words >= MIN_CONTENT_WORDS).then(|| words[from].span.cover(&words[stop - 1].span))
}

/// Skips the hearer after a verb of telling, or a prepositional phrase, up to "that" or the
/// content; returns the index where content starts.
fn skip_to_content(words: &[W<'_>], at: usize, m: &CueMatch) -> Option<usize> {
    let mut k = at;
    let w = words.get(k)?;
    let l = w.lower();
    if l == "that" {
        return Some(k);
    }
    if TELL.contains(&m.lemma) {
        // the hearer: a pronoun, a name run, or a short phrase, then optionally "that"
        let limit = (k + HEARER_WORDS).min(words.len());
        if let Some(t) = (k..limit).find(|&j| words[j].lower() == "that") {
            return Some(t);
        }
        // "told his supporters at a rally to go …": the content is the infinitive
        let far = (k + HEARER_WORDS + 1).min(words.len());
        if let Some(t) = (k..far).find(|&j| {
            words[j].lower() == "to" && words.get(j + 1).is_some_and(|n| !n.is_capitalized())
        }) {
            if words[k..t].iter().all(|w| w.is_word()) {
                return Some(t);
            }
        }
        if is_pronoun(l)
            || w.is_capitalized()
            || matches!(
                l,
                "reporters"
                    | "journalists"
                    | "supporters"
                    | "the"
                    | "a"
                    | "an"
                    | "voters"
                    | "members"
                    | "officials"
            )
        {
            k += 1;
            while k < limit
                && (words[k].is_capitalized()
                    || matches!(
                        words[k].lower(),
                        "audience"
                            | "crowd"
                            | "reporters"
                            | "press"
                            | "committee"
                            | "newspaper"
                            | "network"
                    ))
            {
                k += 1;
            }
            return (k < words.len() && words[k].is_word()).then_some(k);
        }
        return None;
    }
    if PREP.contains(&l) || crate::segment::WEEKDAYS.contains(&l) {
        let limit = (k + PREPOSITIONAL_WORDS).min(words.len());
        if let Some(t) = (k..limit).find(|&j| words[j].lower() == "that") {
            return Some(t);
        }
        if let Some(c) = (k..limit).find(|&j| words[j].text == ",") {
            return Some(c + 1);
        }
        return None;
    }
    if !w.is_word() {
        return None;
    }
    Some(k)
}

/// Indirect, mixed and belief claims of the article.
pub(crate) fn indirect_quotes(
    all: &Words<'_>,
    segments: &Segments,
    quoted: &[Quoted],
    direct: &[Quote],
) -> Vec<Quote> {
    let body = all.body();
    let cued: Vec<&Quote> = direct.iter().filter(|q| q.cue.is_some()).collect();
    // spans the direct rules already attributed, with their cue context
    let taken = SpanIndex::new(cued.iter().map(|q| {
        let mut s = q.content();
        if let Some(c) = q.cue {
            s = s.cover(&c);
        }
        if let Some(sp) = &q.speaker {
            s = s.cover(&sp.mention);
        }
        s
    }));
    // their contents alone
    let cued_direct = SpanIndex::new(cued.iter().map(|q| q.content()));
    let mut out = Vec::new();
    // the paragraph rows of the registry
    for (p, para) in segments.paragraphs.iter().enumerate() {
        for r in rules::RULES {
            let Run::Paragraph(f) = r.run else { continue };
            if let Some(q) = f(all, p, para.span, quoted) {
                if !cued_direct.any_overlaps(q.content()) {
                    out.push(q);
                }
            }
        }
    }
    for sentence in 0..segments.sentences.len() {
        let words = all.sentence(sentence);
        let mut i = 0;
        while i < words.len() {
            let at = At {
                body,
                words: &words,
                i,
                // a cue inside a quotation is the quoted speaker's, not a report of it
                cue: cue_at(&words, i).filter(|_| !inside_quotation(words[i].span, quoted)),
                quoted,
            };
            // the word rows of the registry, in order: the first that finds a claim here wins
            let found = rules::RULES.iter().find_map(|r| match r.run {
                Run::Word(f) => f(&at),
                _ => None,
            });
            match found {
                Some(q)
                    if !taken.any_overlaps(q.content())
                        && (q.rule == RULE_ACCORDING_TO
                            || !taken.any_overlaps(q.cue.unwrap_or_default())) =>
                {
                    // go on after the cue
                    let cue = q.cue.unwrap_or_default();
                    i += words[i..]
                        .iter()
                        .take_while(|w| w.span.end <= cue.end)
                        .count()
                        .max(1);
                    out.push(q);
                }
                _ => i += 1,
            }
        }
    }
    out
}

/// Where a word rule is tried: word `i` of a sentence's `words`, the reporting cue that starts
/// there (none inside a quotation), and the article's quotations.
pub struct At<'s, 'w> {
    body: &'s str,
    words: &'s [W<'w>],
    i: usize,
    cue: Option<CueMatch>,
    quoted: &'s [Quoted],
}

fn inside_quotation(span: Span, quoted: &[Quoted]) -> bool {
    touching(quoted, span)
        .iter()
        .any(|q| q.inner.contains(&span))
}

/// The cue at `at` when content may follow it: not a direct quote or the content-first
/// layout (punctuation right after the cue), not the `quoted` of `quoted as saying`. Returns
/// the cue and the index of the word after it.
fn cue_before_content(at: &At<'_, '_>) -> Option<(CueMatch, Span, usize)> {
    let (words, i) = (at.words, at.i);
    let m = at.cue?;
    let after = i + m.words;
    let next = words.get(after)?;
    if matches!(next.text, "," | ":" | "." | "!" | "?" | ";" | "“" | "\"") {
        return None; // a direct quote or the content-first layout
    }
    if m.lemma == "quote" && next.lower() == "as" {
        return None; // "was quoted as saying": the cue is "saying"
    }
    Some((m, words[i].span.cover(&words[after - 1].span), after))
}

/// The claim of a cue-first rule: the content from the word after the cue to the clause end.
fn content_after(
    at: &At<'_, '_>,
    rule: RuleId,
    (m, cue, after): (CueMatch, Span, usize),
    p: source::Phrase,
) -> Option<Quote> {
    let words = at.words;
    let speaker = source::speaker(words, p, at.body);
    let start = skip_to_content(words, after, &m)?;
    let content = content_to_end(words, start)?;
    let kind = kind_of(&m, content, at.quoted);
    let q = Quote::found(rule, kind, vec![content], Some(cue), Some(speaker));
    Some(match (kind, rule) {
        (ClaimKind::Belief, _) => q.scored(BELIEF_SCORE),
        (_, RULE_CUE_CONTENT) if m.lemma == "say" || m.lemma == "tell" => q.scored(SAY_TELL_SCORE),
        _ => q,
    })
}

/// `indirect.participle` (a registry row's function): `SOURCE did X, saying (that) CONTENT`;
/// the speaker of an earlier cue in the sentence, else its subject.
pub(crate) fn participle(at: &At<'_, '_>) -> Option<Quote> {
    let (words, i) = (at.words, at.i);
    let found = cue_before_content(at)?;
    if !(found.0.participle && i > 0 && words[i - 1].text == ",") {
        return None;
    }
    let p = earlier_source(words, i).or_else(|| source::after(words, 0).filter(|p| p.1 < i))?;
    content_after(at, RULE_PARTICIPLE, found, p)
}

/// `indirect.quoted_as` (a registry row's function): `SOURCE was quoted as saying CONTENT`.
pub(crate) fn quoted_as(at: &At<'_, '_>) -> Option<Quote> {
    let (words, i) = (at.words, at.i);
    let found = cue_before_content(at)?;
    let quoted_as = found.0.participle
        && i >= 2
        && words[i - 1].lower() == "as"
        && words[i - 2].lower() == "quoted";
    if !quoted_as {
        return None;
    }
    // the auxiliary of `was quoted as saying`: three words before the cue
    let aux = i.checked_sub(3)?;
    let p = source::before(
        words,
        aux + usize::from(!matches!(
            words[aux].lower(),
            "was" | "is" | "were" | "has" | "been"
        )),
        0,
    )?;
    content_after(at, RULE_QUOTED_AS, found, p)
}

/// `indirect.cue_content` (a registry row's function): `SOURCE CUE (that) CONTENT`, also
/// beliefs and findings; a coordinated cue (`He said A and said B`) shares the earlier cue's
/// source.
pub(crate) fn cue_content(at: &At<'_, '_>) -> Option<Quote> {
    let (words, i) = (at.words, at.i);
    let found = cue_before_content(at)?;
    if found.0.participle {
        return None;
    }
    let p = source::before(words, i, 0).or_else(|| {
        let prev = words.get(i.checked_sub(1)?)?.lower();
        let prev = if prev == "also" {
            words.get(i.checked_sub(2)?)?.lower()
        } else {
            prev
        };
        matches!(prev, "and" | "but" | "or")
            .then(|| earlier_source(words, i))
            .flatten()
    })?;
    content_after(at, RULE_CUE_CONTENT, found, p)
}

/// The source of the nearest earlier speech cue in the sentence.
fn earlier_source(words: &[W<'_>], before: usize) -> Option<source::Phrase> {
    (0..before).rev().find_map(|k| {
        let m = cue_at(words, k)?;
        if m.participle {
            return None;
        }
        source::before(words, k, 0).or_else(|| {
            (k > 0 && words[k - 1].text == ",")
                .then(|| source::after(words, k + m.words))
                .flatten()
        })
    })
}

/// `indirect.content_cue` (a registry row's function): `CONTENT, SOURCE CUE.` and
/// `CONTENT, CUE SOURCE.`
pub(crate) fn content_cue(at: &At<'_, '_>) -> Option<Quote> {
    let (body, words, i, quoted) = (at.body, at.words, at.i, at.quoted);
    let m = &at.cue?;
    if m.class != CueClass::Speech || m.participle {
        return None;
    }
    let after = i + m.words;
    // the tail after the cue (and an inverted source) must be short and end the sentence
    let (speaker, tail_from, comma) = if i > 0 && words[i - 1].text == "," {
        let p = source::with_apposition(words, source::after(words, after)?);
        (p, p.1 + 1, i - 1)
    } else {
        let p = source::before(words, i, 0)?;
        let comma = p.0.checked_sub(1)?;
        if words[comma].text != "," {
            return None;
        }
        (p, after, comma)
    };
    let tail = &words[tail_from.min(words.len())..];
    let stop = tail.iter().position(is_end).unwrap_or(tail.len());
    if stop > CONTENT_CUE_TAIL_WORDS
        || tail[..stop]
            .iter()
            .any(|w| matches!(w.lower(), "that" | "and" | "but"))
    {
        return None;
    }
    if comma == 0 {
        return None;
    }
    // a quotation opening the sentence makes this a direct quote: leave it
    if matches!(words[0].text, "“" | "\"" | "'" | "‘") {
        return None;
    }
    let content = content_before(words, comma)?;
    let cue = words[i].span.cover(&words[after - 1].span);
    Some(Quote::found(
        RULE_CONTENT_CUE,
        kind_of(m, content, quoted),
        vec![content],
        Some(cue),
        Some(source::speaker(words, speaker, body)),
    ))
}

/// Content from the first word of the sentence up to (not including) the comma at `comma`, or
/// `None` when it holds fewer than three words.
fn content_before(words: &[W<'_>], comma: usize) -> Option<Span> {
    let start = (0..comma).find(|&k| words[k].is_word())?;
    if words[start..comma].iter().filter(|w| w.is_word()).count() < MIN_CONTENT_WORDS {
        return None;
    }
    Some(words[start].span.cover(&words[comma - 1].span))
}

/// `indirect.according_to` (a registry row's function): `According to SOURCE, CONTENT.` /
/// `CONTENT, according to SOURCE.`
pub(crate) fn according_to(at: &At<'_, '_>) -> Option<Quote> {
    let (body, words, i, quoted) = (at.body, at.words, at.i, at.quoted);
    if words.get(i)?.lower() != "according" || words.get(i + 1)?.lower() != "to" {
        return None;
    }
    let cue = words[i].span.cover(&words[i + 1].span);
    let p = source::after(words, i + 2)?;
    let speaker = source::speaker(words, p, body);
    let content = if i == 0 || (i > 0 && !words[..i].iter().any(|w| w.is_word())) {
        // According to X, CONTENT.
        let comma = (p.1 + 1..words.len()).find(|&k| words[k].text == ",")?;
        content_to_end(words, comma + 1)?
    } else if words[i - 1].text == "," {
        content_before(words, i - 1)?
    } else {
        return None;
    };
    Some(Quote::found(
        RULE_ACCORDING_TO,
        speech_kind(content, quoted),
        vec![content],
        Some(cue),
        Some(speaker),
    ))
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::quote::rules::RuleId;

    /// A word given twice in a list is a list that drifted.
    #[test]
    fn word_lists_hold_each_word_once() {
        for (name, list) in [("NOT_SOURCES", NOT_SOURCES), ("TELL", TELL), ("PREP", PREP)] {
            let mut seen = std::collections::HashSet::new();
            for w in list.iter() {
                assert!(seen.insert(*w), "{name} lists {w:?} twice");
            }
        }
    }
    use crate::quote::direct;
    use crate::segment::segment_text;

    /// Each word rule as a unit, at the word where its cue (or `according`) starts: which of
    /// the registry's word rows find a claim there (at most one: their conditions exclude
    /// each other, so the registry order decides nothing among them), and its content.
    #[test]
    fn word_rule_units_table() {
        use crate::quote::rules::{self, Run};
        let cases: &[(&str, &str, &[RuleId], &str)] = &[
            (
                "According to the ministry, the talks will resume in May.",
                "According",
                &[RULE_ACCORDING_TO],
                "the talks will resume in May",
            ),
            (
                "The minister left early, saying that the offer was an insult.",
                "saying",
                &[RULE_PARTICIPLE],
                "that the offer was an insult",
            ),
            (
                "The coach was quoted as saying the team would recover.",
                "saying",
                &[RULE_QUOTED_AS],
                "the team would recover",
            ),
            (
                "Zoë Ångström said the bridge would reopen in June.",
                "said",
                &[RULE_CUE_CONTENT],
                "the bridge would reopen in June",
            ),
            (
                "The bridge will reopen in June, the mayor said.",
                "said",
                &[RULE_CONTENT_CUE],
                "The bridge will reopen in June",
            ),
            ("The mayor is saying nothing.", "saying", &[], ""),
        ];
        for (body, at_word, want, content) in cases {
            let words = Words::of(body);
            let words = words.sentence(0);
            let i = words.iter().position(|w| w.text == *at_word).unwrap();
            let at = At {
                body,
                words: &words,
                i,
                cue: cue_at(&words, i),
                quoted: &[],
            };
            let found: Vec<Quote> = rules::RULES
                .iter()
                .filter_map(|r| match r.run {
                    Run::Word(f) => f(&at),
                    _ => None,
                })
                .collect();
            let ids: Vec<RuleId> = found.iter().map(|q| q.rule).collect();
            assert_eq!(ids, *want, "{body:?}");
            if let Some(q) = found.first() {
                assert_eq!(q.content().slice(body), *content, "{body:?}");
            }
        }
    }

    fn run(body: &str) -> Vec<(&str, &str, &str, RuleId, ClaimKind)> {
        let seg = segment_text(body);
        let q = direct::quoted_spans(body, &seg);
        let words = Words::new(body, &seg);
        let d = direct::direct_quotes(&words, &seg, &q);
        indirect_quotes(&words, &seg, &q, &d)
            .into_iter()
            .map(|x| {
                (
                    x.content().slice(body),
                    x.cue.map_or("", |c| c.slice(body)),
                    x.speaker.map_or("", |s| s.mention.slice(body)),
                    x.rule,
                    x.kind,
                )
            })
            .collect()
    }

    #[test]
    fn indirect_rule_table() {
        use ClaimKind::*;
        let cases: &[(&str, (&str, &str, &str, RuleId, ClaimKind))] = &[
            (
                "The ministry is saying that the report is wrong.",
                (
                    "that the report is wrong",
                    "saying",
                    "The ministry",
                    RULE_CUE_CONTENT,
                    Indirect,
                ),
            ),
            (
                // a question mark stays in the content; a full stop does not
                "Okafor now says she opposes the deal, or does she?",
                (
                    "she opposes the deal, or does she?",
                    "says",
                    "Okafor",
                    RULE_CUE_CONTENT,
                    Indirect,
                ),
            ),
            (
                "Okafor now says she opposes the deal.",
                (
                    "she opposes the deal",
                    "says",
                    "Okafor",
                    RULE_CUE_CONTENT,
                    Indirect,
                ),
            ),
            (
                "The mayor defended the new budget plan on Monday.",
                (
                    "the new budget plan on Monday",
                    "defended",
                    "The mayor",
                    RULE_CUE_CONTENT,
                    Indirect,
                ),
            ),
            (
                "Poll: Ortiz leads the race in Ohio.",
                (
                    "Ortiz leads the race in Ohio",
                    ":",
                    "Poll",
                    RULE_COLON,
                    Indirect,
                ),
            ),
            (
                "\"WALLACE: Let’s start with the debate tonight.",
                (
                    "Let’s start with the debate tonight",
                    ":",
                    "WALLACE",
                    RULE_COLON,
                    Indirect,
                ),
            ),
            (
                "Akar said that the talks went well.",
                (
                    "that the talks went well",
                    "said",
                    "Akar",
                    RULE_CUE_CONTENT,
                    Indirect,
                ),
            ),
            (
                "The minister told reporters the deal was close.",
                (
                    "the deal was close",
                    "told",
                    "The minister",
                    RULE_CUE_CONTENT,
                    Indirect,
                ),
            ),
            (
                "Zoë Ångström said in a statement that costs rose sharply.",
                (
                    "that costs rose sharply",
                    "said",
                    "Zoë Ångström",
                    RULE_CUE_CONTENT,
                    Indirect,
                ),
            ),
            (
                "Azerbaijan is a fraternal country for us, Akar said.",
                (
                    "Azerbaijan is a fraternal country for us",
                    "said",
                    "Akar",
                    RULE_CONTENT_CUE,
                    Indirect,
                ),
            ),
            (
                "The plan will fail, said Sen. Bo Kim on Monday.",
                (
                    "The plan will fail",
                    "said",
                    "Sen. Bo Kim",
                    RULE_CONTENT_CUE,
                    Indirect,
                ),
            ),
            (
                "According to the ministry, 40 people were hurt.",
                (
                    "40 people were hurt",
                    "According to",
                    "the ministry",
                    RULE_ACCORDING_TO,
                    Indirect,
                ),
            ),
            (
                "Turnout fell by a third, according to officials.",
                (
                    "Turnout fell by a third",
                    "according to",
                    "officials",
                    RULE_ACCORDING_TO,
                    Indirect,
                ),
            ),
            (
                "The poll shows Clinton leads in Ohio.",
                (
                    "Clinton leads in Ohio",
                    "shows",
                    "The poll",
                    RULE_CUE_CONTENT,
                    Belief,
                ),
            ),
            (
                "Critics believe the law is unfair.",
                (
                    "the law is unfair",
                    "believe",
                    "Critics",
                    RULE_CUE_CONTENT,
                    Belief,
                ),
            ),
            (
                "He attacked the bill, saying it would cost jobs.",
                (
                    "it would cost jobs",
                    "saying",
                    "He",
                    RULE_PARTICIPLE,
                    Indirect,
                ),
            ),
            (
                "Trump said the plan was “a total disaster” for all.",
                (
                    "the plan was “a total disaster” for all",
                    "said",
                    "Trump",
                    RULE_CUE_CONTENT,
                    Mixed,
                ),
            ),
            (
                "Kim was quoted as saying the war is over.",
                ("the war is over", "saying", "Kim", RULE_QUOTED_AS, Indirect),
            ),
        ];
        for (body, want) in cases {
            let got = run(body);
            assert_eq!(got.first().copied(), Some(*want), "{body}");
        }
    }

    #[test]
    fn no_claim_without_source_or_content() {
        assert!(run("It rained, and the game was said to be over.").is_empty());
        assert!(run("The report said.").is_empty());
        // a colon label that names no source, a short tail, a number
        assert!(run("Update: the story was corrected on Monday.").is_empty());
        assert!(run("Ortiz: no.").is_empty());
        assert!(run("At 5:45 the polls closed in every county.").is_empty());
    }

    #[test]
    fn direct_quotes_are_left_to_direct_rules() {
        assert!(run("“It is over,” Akar said.").is_empty());
        assert!(run("Akar said: “It is over now.”").is_empty());
    }
}
