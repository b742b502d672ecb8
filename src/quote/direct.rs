//! Direct quotes: quotations with a cue and speaker next to them.
//!
//! Rules (ids stored on each quote; the first two are registry rows' functions, `Run::Chain`,
//! tried in registry order on each quotation chain):
//! - `direct.quote_cue`: `“Q,” Akar said.` / `“Q,” said Mr. Brown, who …` — the speaker and
//!   cue right after the closing mark of the chain's first quotation (else of its last), then
//!   the end of the sentence or a short tail.
//! - `direct.cue_quote`: `Akar said: “Q”` / `he told reporters, “Q”` — speaker and cue right
//!   before the opening mark, at most a short object between; also `Akar: “Q”` (the colon is
//!   the cue), and a cue ending the paragraph before.
//! - `direct.split`: `“Q1,” she said. “Q2.”` — a quotation that follows the cue sentence of an
//!   attributed one with nothing in between becomes another piece of the same claim.
//! - `direct.no_cue`: a speech-like quotation with no cue of its own; [`super::speaker`] lets
//!   it inherit the previous speaker under guards, or it is dropped.
//!
//! A quotation that is not speech (scare quotes, titles, nicknames) has no cue, is not
//! speech-like, and is not inherited, so it yields no claim on its own.

use super::claim::{ClaimKind, Quote, Speaker};
use super::cues::{cue_at, CueClass};
use super::indirect::speaker_label;
use super::lexicon::{self, is_dash, EM_DASH};
use super::marks::{quotations, Quoted};
use super::rules::{self, Run, DIRECT_NO_CUE as RULE_NO_CUE, DIRECT_SPLIT as RULE_SPLIT};
use super::source;
use super::window::{
    near_after, near_before, AFTER_QUOTE_BYTES, BEFORE_QUOTE_BYTES, INVERTED_CUE_WORDS,
    SPEAKER_START_WORDS, TAIL_WORDS,
};
use super::words::{Words, W};
use crate::segment::punct;
use crate::segment::{Segments, WEEKDAYS};
use crate::span::Span;

/// All quotations of the article (see [`super::marks`]).
pub(crate) fn quoted_spans(body: &str, segments: &Segments) -> Vec<Quoted> {
    quotations(body, segments)
}

fn is_terminator(w: &W<'_>) -> bool {
    lexicon::is_terminator(w.text)
}

/// True when word `k` of `ws` ends a sentence: a terminator, except the period of an
/// abbreviation closing a parenthesis or apposition ("(D-Wis.)", "R-Ky.,").
fn ends_sentence(ws: &[W<'_>], k: usize) -> bool {
    let abbreviation =
        ws[k].text == "." && ws.get(k + 1).is_some_and(|n| matches!(n.text, ")" | ","));
    is_terminator(&ws[k]) && !abbreviation
}

fn is_mark(w: &W<'_>) -> bool {
    punct::is_mark_token(w.text)
}

/// Attribution found after a quotation: (cue span, none for an epigraph; speaker; byte where
/// the cue context ends).
fn after_quote(
    words: &Words<'_>,
    q: &Quoted,
    para: Span,
) -> Option<(Option<Span>, Speaker, usize)> {
    let body = words.body();
    // a bounded look-ahead: the cue sits within a few words of the closing mark
    let ctx = words.within(near_after(body, q.span.end, para.end, AFTER_QUOTE_BYTES));
    let mut words: Vec<W<'_>> = Vec::new();
    for (k, w) in ctx.iter().enumerate().take(SPEAKER_START_WORDS) {
        if is_mark(w) {
            break;
        }
        words.push(*w);
        if ends_sentence(&ctx, k) {
            break;
        }
    }
    let mut s = 0;
    while s < words.len() && (matches!(words[s].text, "," | "-") || is_dash(words[s].text)) {
        s += 1;
    }
    let end_of = |from: usize| -> Option<usize> {
        // "that" right after the cue starts new content ("Akar said that …"): not this layout
        let rest = &words[from.min(words.len())..];
        if rest.first().is_some_and(|w| w.lower() == "that") {
            return None;
        }
        // the cue context ends at the terminator when one comes soon; otherwise (a mark or a
        // new clause follows) it ends right after the cue and source, so a following
        // quotation is only a split piece when nothing but punctuation sits in between
        match rest.iter().position(is_terminator) {
            Some(stop) if stop <= TAIL_WORDS => Some(rest[stop].span.end),
            // a short object or adjunct, then a comma or colon and the next quotation
            // (`“Q1,” Noori told the press, “Q2”`, `said in a statement, “Q2”`): the cue
            // context runs over it, so the next quotation is a split piece
            _ if ctx.get(words.len()).is_some_and(is_mark) && object_then_mark(rest) => {
                rest.iter().rev().find(|w| w.is_word()).map(|w| w.span.end)
            }
            _ => Some(
                words
                    .get(from.saturating_sub(1))
                    .map_or(q.span.end, |w| w.span.end),
            ),
        }
    };
    // a quotation that ended its sentence, then `He added, “…”`: the cue introduces the next
    // quotation, not this one
    let ended = q
        .inner
        .slice(body)
        .trim_end_matches(punct::can_close)
        .ends_with(['.', '!', '?']);
    let introduces_next = |after_phrase: usize| {
        ended
            && words
                .get(after_phrase)
                .is_some_and(|w| matches!(w.text, "," | ":"))
            && ctx.get(words.len()).is_some_and(is_mark)
    };
    // inverted: "said Mr. Brown"
    if let Some(m) = cue_at(&words, s) {
        if m.class == CueClass::Speech {
            let p = source::with_apposition(&words, source::after(&words, s + m.words)?);
            if introduces_next(p.1 + 1) {
                return None;
            }
            let cue = words[s].span.cover(&words[s + m.words - 1].span);
            let end = end_of(p.1 + 1)?;
            return Some((Some(cue), source::speaker(&words, p, body), end));
        }
    }
    // "“Q” ― Maria Lopez": a dash (also typed as a spaced hyphen or two: `"Q" - Maria
    // Lopez`) and a name closing the paragraph or sentence
    if s > 0 && (is_dash(words[s - 1].text) || matches!(words[s - 1].text, "-" | "--")) {
        if let Some(p) = source::after(&words, s) {
            let closes = words
                .get(p.1 + 1)
                .is_none_or(|w| is_terminator(w) || w.text == ",");
            if closes {
                let end = words
                    .get(p.1 + 1)
                    .map_or(words[p.1].span.end, |w| w.span.end);
                // `--` comes as two hyphens: the cue covers the run
                let d = (0..s - 1)
                    .rev()
                    .take_while(|&k| words[k].text == "-")
                    .last()
                    .unwrap_or(s - 1);
                let cue = words[d].span.cover(&words[s - 1].span);
                return Some((Some(cue), source::speaker(&words, p, body), end));
            }
        }
    }
    // an epigraph: a paragraph that is a quoted sentence and the name of who said it, and at
    // most the work it comes from (`"Q." Anonymous blogger, "Title"`): the name is the speaker,
    // and there is no cue
    if let Some(end) = epigraph_source(body, q, para, &words) {
        let p = (0, end);
        // the context runs to the paragraph end: the work's quotation is part of it
        return Some((None, source::speaker(&words, p, body), para.end));
    }
    // an apposition may sit between source and cue: "Vann Newkirk, a writer for X, said"
    for c in s + 1..words.len().min(s + INVERTED_CUE_WORDS) {
        if let Some(m) = cue_at(&words, c) {
            if m.class != CueClass::Speech {
                return None;
            }
            let p = source::before(&words, c, s)?;
            if p.0 != s || introduces_next(c + m.words) {
                return None;
            }
            let cue = words[c].span.cover(&words[c + m.words - 1].span);
            let end = end_of(c + m.words)?;
            return Some((Some(cue), source::speaker(&words, p, body), end));
        }
        if ends_sentence(&words, c) {
            break;
        }
    }
    None
}

/// Most words of an epigraph's source (`Anonymous blogger`, `Ana Ruiz, mayor of Ely`).
const EPIGRAPH_SOURCE_WORDS: usize = 6;

/// For a quotation that opens its paragraph and ends its sentence inside the marks, followed
/// only by a capitalised phrase of at most [`EPIGRAPH_SOURCE_WORDS`] words with no cue and no
/// terminator in it, and then the paragraph end or, after a comma, one quotation (the work
/// quoted from) ending it: the index in `words` (the words after the closing mark) of the
/// phrase's last word.
fn epigraph_source(body: &str, q: &Quoted, para: Span, words: &[W<'_>]) -> Option<usize> {
    let opens = body
        .get(para.start..q.span.start)
        .is_some_and(|g| g.trim().is_empty());
    let ended = q
        .inner
        .slice(body)
        .trim_end_matches(punct::can_close)
        .ends_with(['.', '!', '?']);
    if !opens || !ended || !words.first().is_some_and(|w| w.is_capitalized()) {
        return None;
    }
    let n = words
        .iter()
        .position(|w| !w.is_word())
        .unwrap_or(words.len());
    if n == 0 || n > EPIGRAPH_SOURCE_WORDS || (0..n).any(|k| cue_at(words, k).is_some()) {
        return None;
    }
    // a name, or a name and one common noun (`Anonymous blogger`), not a clause (`The mayor
    // left early`): no determiner first, one lower-case word at most besides `of`/`and`/`the`
    let lower = words[..n]
        .iter()
        .filter(|w| !w.is_capitalized() && !matches!(w.lower(), "of" | "and" | "the"))
        .count();
    if matches!(words[0].lower(), "the" | "a" | "an" | "this" | "that") || lower > 1 {
        return None;
    }
    let end = n - 1;
    let rest = body.get(words[end].span.end..para.end)?.trim();
    let rest = rest.strip_suffix('.').unwrap_or(rest);
    let work = rest.strip_prefix(',').map(str::trim).is_some_and(|w| {
        let quoted = |c: Option<char>| c.is_some_and(punct::is_quote_mark);
        w.len() > 2 && quoted(w.chars().next()) && quoted(w.chars().next_back())
    });
    (rest.is_empty() || work).then_some(end)
}

/// Attribution found before a quotation: (cue span, speaker).
fn before_quote(all: &Words<'_>, q: &Quoted, para: Span) -> Option<(Span, Speaker)> {
    let body = all.body();
    // a bounded look-back: the cue sits within a few words of the opening mark
    let ctx = all.within(near_before(
        body,
        para.start,
        q.span.start,
        BEFORE_QUOTE_BYTES,
    ));
    let floor = ctx
        .iter()
        .rposition(|w| is_terminator(w) || is_mark(w))
        .map_or(0, |i| i + 1);
    let words = &ctx[floor..];
    let mut e = words.len();
    if e > 0 && matches!(words[e - 1].text, ":" | "," | EM_DASH) {
        e -= 1;
    }
    // the cue is the last word, or is followed by a short object ("told reporters:")
    for c in (e.saturating_sub(CUE_BEFORE_QUOTE_WORDS)..e).rev() {
        if let Some(m) = cue_at(words, c) {
            if m.class != CueClass::Speech || c + m.words > e {
                continue;
            }
            let gap = e - (c + m.words);
            if gap > 0 && (e == words.len() || gap > MAX_OBJECT_WORDS) {
                continue; // an object needs a colon or comma before the quote
            }
            if gap > 0 && words[c + m.words..e].iter().any(|w| w.lower() == "that") {
                continue;
            }
            let p = if m.participle && c > 0 && words[c - 1].text == "," {
                // "…, telling Reuters, “Q”": the subject of the sentence speaks
                source::after(words, 0).filter(|p| p.1 < c)?
            } else {
                source::before(words, c, 0)?
            };
            let cue = words[c].span.cover(&words[c + m.words - 1].span);
            return Some((cue, source::speaker(words, p, body)));
        }
    }
    // "Michael P. McDonald: “Q”": a name right before a colon introduces the quote; the colon
    // is the cue (as PolNeAR marks it). A weekday is when, not who (`… a statement on
    // Sunday: “Q”`)
    let colon = words.len().checked_sub(1)?;
    if words[colon].text == ":" {
        let p = source::before(words, colon, 0)?;
        let named = words[p.0..=p.1]
            .iter()
            .filter(|w| w.is_word())
            .all(|w| w.is_capitalized());
        let weekday = WEEKDAYS.contains(&words[p.1].lower());
        if named && p.1 + 1 == colon && !weekday {
            return Some((words[colon].span, source::speaker(words, p, body)));
        }
    }
    None
}

/// Attribution in the previous paragraph when it ends with a colon right after the cue
/// (`Caddell continued:` / `The New York Times reports:`) and the quote opens its paragraph.
fn before_paragraph(words: &Words<'_>, q: &Quoted, segments: &Segments) -> Option<(Span, Speaker)> {
    let body = words.body();
    let para = segments.paragraphs.get(q.paragraph)?;
    if q.span.start != para.span.start || q.paragraph == 0 {
        return None;
    }
    let prev = segments.paragraphs.get(q.paragraph - 1)?;
    if !prev.span.slice(body).ends_with(':') {
        return None;
    }
    let fake = Quoted {
        span: Span::new(prev.span.end, prev.span.end),
        ..*q
    };
    before_quote(words, &fake, prev.span).or_else(|| lead_in(words, prev.span))
}

/// True when `rest` (the words between a cue context and the next opening mark) is a short
/// object or adjunct closed by a comma or colon: 1 to `MAX_OBJECT_WORDS` words, no other
/// punctuation (`the press ,`, `in a statement ,`).
fn object_then_mark(rest: &[W<'_>]) -> bool {
    let Some((last, object)) = rest.split_last() else {
        return false;
    };
    matches!(last.text, "," | ":")
        && (1..=MAX_OBJECT_WORDS).contains(&object.len())
        && object.iter().all(|w| w.is_word())
}

/// `US President Barack Obama tweeted using his account:` ¶ `“Q”`: a paragraph ending with a
/// colon introduces the quotation that opens the next one even when more than a short
/// object sits between the cue and the colon. The first speech cue of the paragraph's last
/// sentence, at most `LEAD_IN_WORDS` words before the colon, with its subject; no `that`
/// between (the cue's object is then other content).
fn lead_in(all: &Words<'_>, prev: Span) -> Option<(Span, Speaker)> {
    let body = all.body();
    let ctx = all.within(near_before(body, prev.start, prev.end, BEFORE_QUOTE_BYTES));
    let colon = ctx.len().checked_sub(1)?;
    if ctx[colon].text != ":" {
        return None;
    }
    let floor = ctx[..colon]
        .iter()
        .rposition(|w| is_terminator(w) || is_mark(w))
        .map_or(0, |i| i + 1);
    let words = &ctx[floor..];
    let colon = colon - floor;
    for c in colon.saturating_sub(LEAD_IN_WORDS)..colon {
        let Some(m) = cue_at(words, c) else {
            continue;
        };
        if m.class != CueClass::Speech || c + m.words > colon {
            continue;
        }
        if words[c + m.words..colon]
            .iter()
            .any(|w| w.lower() == "that")
        {
            return None;
        }
        let p = source::before(words, c, 0)?;
        let cue = words[c].span.cover(&words[c + m.words - 1].span);
        return Some((cue, source::speaker(words, p, body)));
    }
    None
}

/// True for a quotation (not a [`quoted_phrase`]) that reads like speech rather than a scare
/// quote or a title: at least six words, or a full sentence ending in punctuation inside the
/// marks, unless it is title cased ([`title_cased`]: `“Face the Nation,”`, `"Women in
/// Power,"`, a show or a slogan named in a list, its comma inside the marks).
fn speech_like(body: &str, q: &Quoted) -> bool {
    let inner = q.inner.slice(body);
    let words = inner.split_whitespace().count();
    let ends = inner
        .trim_end_matches(punct::can_close)
        .ends_with(['.', ',', '?', '!', '…', '—']);
    words >= SPEECH_WORDS || (words >= SPEECH_SENTENCE_WORDS && ends && !title_cased(inner))
}

/// True for a quotation that opens its paragraph with a speaker label inside the marks
/// (`"PENCE: Well, …`): a transcript line, whose speaker is the label.
fn transcript_line(words: &Words<'_>, q: &Quoted) -> bool {
    let para = words.paragraph(q.paragraph);
    para.first().is_some_and(|w| w.span.start == q.span.start)
        && speaker_label(&para).is_some_and(|(_, colon)| para[colon].span.end <= q.span.end)
}

/// True for a quotation that begins in lower case: a phrase quoted inside a sentence (`the
/// delay was “a matter of weeks, not months.”`, `called it “a disaster”`), part of the claim
/// around it (the model tags it mixed; the indirect rules read its sentence), never a direct
/// quote of its own. PolNeAR dev: treating them as direct quotes cost 1.7 points of content
/// exact F1 on articles.
fn quoted_phrase(body: &str, q: &Quoted) -> bool {
    q.inner
        .slice(body)
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .starts_with(char::is_lowercase)
}

/// True when the sentence runs on after the quotation's closing mark with a word in lower
/// case (`blame “You went on television …” workers.`, `''I have admiration for the
/// mechanics'' of the proposals`): the quotation is part of a longer content.
fn runs_on(body: &str, q: &Quoted) -> bool {
    body.get(q.span.end..)
        .and_then(|rest| rest.trim_start_matches([' ', '\u{a0}']).chars().next())
        .is_some_and(char::is_lowercase)
}

/// Short words a title leaves in lower case (`Face the Nation`, `War on Drugs`).
const TITLE_SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
];

/// True when every word of `text` that begins with a letter begins with a capital, small
/// words ([`TITLE_SMALL_WORDS`]) excepted, and at least two do: the casing of a title, not of
/// a sentence.
fn title_cased(text: &str) -> bool {
    let mut capitals = 0;
    for w in text.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = w.chars().next() else {
            continue;
        };
        if !first.is_alphabetic() {
            continue;
        }
        if first.is_uppercase() {
            capitals += 1;
        } else if !TITLE_SMALL_WORDS.contains(&w) {
            return false;
        }
    }
    capitals >= 2
}

/// Words from the opening mark back to the cue that may precede it: the cue and a short object.
const CUE_BEFORE_QUOTE_WORDS: usize = 4;
/// Most words of an object between a cue and the quotation ("told reporters at the scene:").
const MAX_OBJECT_WORDS: usize = 3;
/// Most words between a cue and the colon ending its paragraph when that paragraph introduces
/// the next one's quotation (`tweeted using his @POTUS account:`).
const LEAD_IN_WORDS: usize = 8;
/// Words that make a quotation speech-like on their own (titles and scare quotes are shorter).
const SPEECH_WORDS: usize = 6;
/// Words that make a quotation speech-like when it ends like a sentence inside the marks.
const SPEECH_SENTENCE_WORDS: usize = 3;

/// What a direct rule found for a quotation chain: the cue, the speaker, and where the cue
/// context ends (rules that look after the quotation: a split continuation may start there).
pub struct Found {
    cue: Option<Span>,
    speaker: Speaker,
    ctx_end: Option<usize>,
}

/// The paragraph span of `q` (its own span when the paragraph is unknown).
fn para_span(segments: &Segments, q: &Quoted) -> Span {
    segments
        .paragraphs
        .get(q.paragraph)
        .map_or(q.span, |p| p.span)
}

/// `direct.quote_cue` (a registry row's function): the cue after the closing mark of the
/// chain's first quotation, else, for a chain over paragraphs, of its last.
pub(crate) fn quote_cue(words: &Words<'_>, segments: &Segments, chain: &[Quoted]) -> Option<Found> {
    let after = |q: &Quoted| {
        after_quote(words, q, para_span(segments, q)).map(|(cue, speaker, end)| Found {
            cue,
            speaker,
            ctx_end: Some(end),
        })
    };
    let first = chain.first()?;
    after(first).or_else(|| match chain {
        [_, .., last] => after(last),
        _ => None,
    })
}

/// `direct.cue_quote` (a registry row's function): the speaker and cue before the opening
/// mark of the chain's first quotation in its paragraph, else a cue ending the paragraph
/// before (`Akar said:` ¶ `“Q”`).
pub(crate) fn cue_quote(words: &Words<'_>, segments: &Segments, chain: &[Quoted]) -> Option<Found> {
    let q = chain.first()?;
    before_quote(words, q, para_span(segments, q))
        .or_else(|| before_paragraph(words, q, segments))
        .map(|(cue, speaker)| Found {
            cue: Some(cue),
            speaker,
            ctx_end: None,
        })
}

/// `direct.split`: the quotations that continue an attributed one whose cue context ends at
/// `ctx_end` (`“Q1,” she said, “Q2.”`): each starts right after the previous one with
/// nothing between but spaces and `,;:—–`, in the same paragraph, and has no cue of its own.
/// Returns their pieces (a continuation may itself run over paragraphs) and the index of the
/// first quotation after them.
fn continuations(
    words: &Words<'_>,
    segments: &Segments,
    quoted: &[Quoted],
    mut next: usize,
    mut end: usize,
    paragraph: usize,
) -> (Vec<Span>, usize) {
    let body = words.body();
    let mut pieces = Vec::new();
    while next < quoted.len() && quoted[next].paragraph == paragraph {
        // no text between (the next quotation starts inside the cue context): not a
        // continuation
        let Some(gap) = body.get(end..quoted[next].span.start) else {
            break;
        };
        let gap = gap.trim_matches(|c: char| c.is_whitespace() || ",;:—–".contains(c));
        if !gap.is_empty()
            || after_quote(words, &quoted[next], para_span(segments, &quoted[next])).is_some()
        {
            break;
        }
        pieces.push(quoted[next].span);
        end = quoted[next].span.end;
        next += 1;
        // the split piece may itself run over paragraphs
        while next < quoted.len() && quoted[next - 1].continues {
            pieces.push(quoted[next].span);
            end = quoted[next].span.end;
            next += 1;
        }
    }
    (pieces, next)
}

/// Direct quotes of the article, one per claim (split and multi-paragraph quotes grouped).
pub(crate) fn direct_quotes(
    words: &Words<'_>,
    segments: &Segments,
    quoted: &[Quoted],
) -> Vec<Quote> {
    let body = words.body();
    let mut out: Vec<Quote> = Vec::new();
    let mut i = 0;
    while i < quoted.len() {
        // a multi-paragraph chain
        let mut last = i;
        while quoted[last].continues && last + 1 < quoted.len() {
            last += 1;
        }
        let chain = &quoted[i..=last];
        // a phrase quoted inside a sentence is part of the claim around it, not a quotation
        if quoted_phrase(body, &chain[0]) {
            i = last + 1;
            continue;
        }
        let unclosed = chain.iter().any(|q| q.unclosed);
        let mut pieces: Vec<Span> = chain.iter().map(|q| q.span).collect();
        let mut next = last + 1;
        // step 1: the chain rows of the registry, in order; the first that finds a cue wins
        let found = rules::RULES.iter().find_map(|r| match r.run {
            Run::Chain(f) => f(words, segments, chain).map(|f| (r.id, f)),
            _ => None,
        });
        match found {
            Some((id, f)) => {
                let mut rule = id;
                if let Some(end) = f.ctx_end {
                    let (more, after) =
                        continuations(words, segments, quoted, next, end, quoted[last].paragraph);
                    if !more.is_empty() {
                        pieces.extend(more);
                        rule = RULE_SPLIT;
                        next = after;
                    }
                    // a quotation inside the cue context belongs to it (the work an epigraph
                    // names), not a claim of its own
                    while quoted.get(next).is_some_and(|n| {
                        n.span.start < end && n.paragraph == quoted[last].paragraph
                    }) {
                        next += 1;
                    }
                }
                out.push(Quote {
                    unclosed,
                    ..Quote::found(rule, ClaimKind::Direct, pieces, f.cue, Some(f.speaker))
                });
            }
            // `direct.no_cue` (a transcript line in quotation marks is `indirect.colon`'s)
            None if speech_like(body, &chain[0])
                && !transcript_line(words, &chain[0])
                && !runs_on(body, &quoted[last]) =>
            {
                out.push(Quote {
                    unclosed,
                    ..Quote::found(RULE_NO_CUE, ClaimKind::Direct, pieces, None, None)
                })
            }
            None => {}
        }
        i = next;
    }
    out
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::quote::rules::{
        RuleId, DIRECT_CUE_QUOTE as RULE_CUE_QUOTE, DIRECT_QUOTE_CUE as RULE_QUOTE_CUE,
    };
    use crate::segment::segment_text;

    /// Each direct rule as a unit, on the first quotation chain of its text: which of the
    /// registry's chain rows find it, and the cue and speaker the first one gives.
    #[test]
    fn direct_rule_units_table() {
        use crate::quote::rules::RuleId::{DirectCueQuote, DirectQuoteCue};
        let cases: &[(&str, &[RuleId], &str, &str)] = &[
            (
                "“We stay,” Zoë Ångström said.",
                &[DirectQuoteCue],
                "said",
                "Zoë Ångström",
            ),
            (
                "Zoë Ångström said: “We stay.”",
                &[DirectCueQuote],
                "said",
                "Zoë Ångström",
            ),
            (
                "Zoë Ångström said:\n\n“We stay, whatever they offer us.”",
                &[DirectCueQuote],
                "said",
                "Zoë Ångström",
            ),
            (
                "“We stay,\n\n“whatever they offer,” Akar said.",
                &[DirectQuoteCue],
                "said",
                "Akar",
            ),
            (
                "He said: “Stay,” Akar added.",
                &[DirectQuoteCue, DirectCueQuote],
                "added",
                "Akar",
            ),
            // a role noun titling the name belongs to the inverted source
            (
                "“We stay,” spokeswoman Zoë Ångström said.",
                &[DirectQuoteCue],
                "said",
                "spokeswoman Zoë Ångström",
            ),
            // a paragraph ending in a colon introduces the next one's quotation, even with
            // more than a short object between its cue and the colon
            (
                "Mayor Inés Fajardo wrote on her official account last night:\n\n“We stay, whatever they offer us.”",
                &[DirectCueQuote],
                "wrote",
                "Mayor Inés Fajardo",
            ),
        ];
        let chain_rows: Vec<_> = rules::RULES
            .iter()
            .filter_map(|r| match r.run {
                Run::Chain(f) => Some((r.id, f)),
                _ => None,
            })
            .collect();
        for (body, want, cue, speaker) in cases {
            let seg = segment_text(body);
            let q = quoted_spans(body, &seg);
            let mut last = 0;
            while q[last].continues && last + 1 < q.len() {
                last += 1;
            }
            let chain = &q[..=last];
            let words = Words::new(body, &seg);
            let fired: Vec<RuleId> = chain_rows
                .iter()
                .filter(|(_, f)| f(&words, &seg, chain).is_some())
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(fired, *want, "{body:?}");
            let f = chain_rows
                .iter()
                .find_map(|(_, f)| f(&words, &seg, chain))
                .unwrap();
            assert_eq!(
                (
                    f.cue.map_or("", |c| c.slice(body)),
                    f.speaker.mention.slice(body)
                ),
                (*cue, *speaker),
                "{body:?}"
            );
        }
    }

    /// `direct.split` as a unit: what continues an attributed quotation and what does not.
    #[test]
    fn continuations_table() {
        let cases: &[(&str, usize)] = &[
            ("“One,” she said, “two.”", 1),
            ("“One,” she said. “Two.” “Three.”", 2),
            ("“One,” she said. Then silence. “Two.”", 0),
            ("“One,” she said. “Two,” he replied.", 0),
            // a short object or adjunct, then a comma: still the same claim
            ("“One,” she told the press, “two.”", 1),
            ("“One,” she said in a statement, “two.”", 1),
            // a clause is not an object
            ("“One,” she said as the crowd left the hall, “two.”", 0),
        ];
        for (body, want) in cases {
            let seg = segment_text(body);
            let q = quoted_spans(body, &seg);
            let words = Words::new(body, &seg);
            let f = quote_cue(&words, &seg, &q[..1]).unwrap();
            let (more, _) = continuations(&words, &seg, &q, 1, f.ctx_end.unwrap(), q[0].paragraph);
            assert_eq!(more.len(), *want, "{body:?}");
        }
    }

    fn run(body: &str) -> Vec<(Vec<&str>, Option<&str>, Option<&str>, RuleId)> {
        let seg = segment_text(body);
        let q = quoted_spans(body, &seg);
        direct_quotes(&Words::new(body, &seg), &seg, &q)
            .into_iter()
            .map(|x| {
                (
                    x.pieces.iter().map(|p| p.slice(body)).collect(),
                    x.cue.map(|c| c.slice(body)),
                    x.speaker.map(|s| s.mention.slice(body)),
                    x.rule,
                )
            })
            .collect()
    }

    #[test]
    fn quote_then_cue() {
        let got = run("“Azerbaijan is a fraternal country for us,” Akar said.");
        assert_eq!(got[0].0, ["“Azerbaijan is a fraternal country for us,”"]);
        assert_eq!(
            (got[0].1, got[0].2, got[0].3),
            (Some("said"), Some("Akar"), RULE_QUOTE_CUE)
        );
    }

    #[test]
    fn inverted_cue() {
        let got = run("\"We will win,\" said Mr. Brown, who leads the party.");
        // the apposition belongs to the source, as PolNeAR marks it
        assert_eq!(
            (got[0].1, got[0].2),
            (Some("said"), Some("Mr. Brown, who leads the party"))
        );
    }

    #[test]
    fn cue_then_quote() {
        let got = run("Zoë Ångström said: “Ça suffit.” Then she left.");
        assert_eq!(got[0].0, ["“Ça suffit.”"]);
        assert_eq!((got[0].2, got[0].3), (Some("Zoë Ångström"), RULE_CUE_QUOTE));
        let got = run("He told reporters, \"It is over.\"");
        assert_eq!((got[0].1, got[0].2), (Some("told"), Some("He")));
    }

    #[test]
    fn name_colon_introduces_a_quote() {
        let got = run("TURNOUT ROSE - Zoë Ångström: “The numbers are in.”");
        assert_eq!((got[0].1, got[0].2), (Some(":"), Some("Zoë Ångström")));
        // a lower-case phrase before a colon is not a speaker
        assert!(run("the list: “alpha”, “beta” and “gamma”.").is_empty());
    }

    #[test]
    fn split_quote_is_one_claim() {
        let got = run("“The first part,” she said. “The second part.”");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, ["“The first part,”", "“The second part.”"]);
        assert_eq!(got[0].3, RULE_SPLIT);
    }

    #[test]
    fn manner_verbs_and_appositions() {
        let got = run("“Not again,” Sarandon, 69, grumbled on Monday.");
        assert_eq!(
            (got[0].1, got[0].2),
            (Some("grumbled"), Some("Sarandon, 69,"))
        );
    }

    #[test]
    fn dash_names_the_speaker() {
        let got = run("“We are tired of waiting.” ― Inés Fajardo\n“Next one.”");
        assert_eq!((got[0].1, got[0].2), (Some("―"), Some("Inés Fajardo")));
        // typed as a spaced hyphen, or two
        for dash in ["-", "--"] {
            let body = format!("\"So far, so good. But it is long.\" {dash} Zoë Ångström\n\nNext.");
            let got = run(&body);
            assert_eq!(
                (got[0].1, got[0].2),
                (Some(dash), Some("Zoë Ångström")),
                "{dash}"
            );
        }
        // a hyphen that does not close on a name is not a cue
        assert!(
            run("\"So far, so good. But it is long.\" - and then it rained.")
                .iter()
                .all(|g| g.1.is_none())
        );
    }

    #[test]
    fn abbreviations_and_long_appositions_before_the_cue() {
        let got = run("“It is a dog whistle,” Rep. Ana Ruiz (D-Wis.) said Friday.");
        assert_eq!(
            (got[0].1, got[0].2),
            (Some("said"), Some("Rep. Ana Ruiz (D-Wis.)"))
        );
        let got = run("“Not now,” Senate leader Tom Ode, R-Ky., said Tuesday.");
        assert_eq!(got[0].1, Some("said"));
        let got = run("“Absolutely not,” Vann Ortiz II, a writer for The Ledger, said on Twitter.");
        assert_eq!(
            (got[0].1, got[0].2),
            (
                Some("said"),
                Some("Vann Ortiz II, a writer for The Ledger,")
            )
        );
    }

    #[test]
    fn scare_quotes_and_quoted_phrases_are_not_direct_quotes() {
        assert!(run("The so-called “experts” were wrong about the “deal”.").is_empty());
        // a phrase quoted in lower case is part of its sentence's claim, also after a cue
        assert!(run("Ana Ruiz called it “a disaster for the city and everyone in it.”").is_empty());
        // a cue-less quotation the sentence runs on after is part of a longer content
        assert!(
            run("Their list had “Everyone who sat on the board that year” among others.")
                .is_empty()
        );
        assert_eq!(
            run(
                "Their list had more.\n\n“Everyone who sat on the board that year.” Then it ended."
            )
            .len(),
            1
        );
        // a long phrase quoted inside a sentence is not a sentence of speech on its own
        assert!(
            run("The plan calls the bridge “a matter of weeks, not months, of work.”").is_empty()
        );
    }

    #[test]
    fn a_transcript_line_in_quotation_marks_is_no_cue_less_quotation() {
        assert!(run("\"ANA RUIZ: Well, the question really is why we waited so long.").is_empty());
        assert!(run("“ANA RUIZ: Well, the question really is why we waited so long.”").is_empty());
        // a label-like colon later in the quotation is text
        assert_eq!(
            run("“We asked one thing of them: Why did we wait so long?”").len(),
            1
        );
    }

    /// An epigraph: a paragraph that is a quoted sentence, the name of who said it and at most
    /// the work quoted; the name is the speaker and there is no cue.
    #[test]
    fn an_epigraph_names_its_speaker_without_a_cue() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "“We stay, whatever they offer us.” Anonymous blogger, “Notes from Ely”\n\nNext.",
                Some("Anonymous blogger"),
            ),
            (
                "“We stay, whatever they offer us.” Zoë Ångström\n\nNext.",
                Some("Zoë Ångström"),
            ),
            // a sentence goes on after the quotation: not an epigraph
            (
                "“We stay, whatever they offer us.” The mayor left early.\n\nNext.",
                None,
            ),
            (
                "“We stay, whatever they offer us.” Officials left early.\n\nNext.",
                None,
            ),
            // the quotation does not open its paragraph
            (
                "Later: “We stay, whatever they offer us.” Zoë Ångström\n\nNext.",
                None,
            ),
            // the quotation is not a sentence
            (
                "“We stay, whatever they offer us” Zoë Ångström\n\nNext.",
                None,
            ),
        ];
        for (body, want) in cases {
            let got = run(body);
            let first = got.first().map(|g| (g.1, g.2));
            match want {
                Some(name) => assert_eq!(first, Some((None, Some(*name))), "{body}"),
                None => assert!(
                    first.is_none_or(|f| f.1.is_none() || f.0.is_some()),
                    "{body}"
                ),
            }
        }
    }

    #[test]
    fn a_weekday_before_the_colon_is_no_speaker() {
        let got = run("It came in a long letter to the parish on Sunday: “We face a ruling we cannot accept.”");
        assert!(got.iter().all(|g| g.2 != Some("Sunday")), "{got:?}");
        let got = run("Michael P. McDonald: “We face a ruling we cannot accept.”");
        assert_eq!(
            (got[0].1, got[0].2),
            (Some(":"), Some("Michael P. McDonald"))
        );
    }

    #[test]
    fn titles_named_in_a_list_are_not_claims() {
        // a title keeps its comma inside the marks; a sentence as short is still speech
        assert!(
            run("She has appeared on “Face the Nation,” “Meet Élan Today,” and radio.").is_empty()
        );
        assert_eq!(run("Later:\n\n“We stay, all of us.”").len(), 1);
        let cases = [
            ("Face the Nation,", true),
            ("War On Drugs,", true),
            ("The Zoë Ångström Morning Show,", true),
            ("We stay, all of us.", false),
            ("If he thinks that makes him smart,", false),
            ("Melania, tell your story,", false),
            ("Yes.", false),
        ];
        for (text, want) in cases {
            assert_eq!(title_cased(text), want, "{text}");
        }
        // a short phrase quoted from a sentence is not speech; a short sentence is
        assert!(run("They were granted entry as a “significant public benefit.”").is_empty());
        assert_eq!(run("Later:\n\n“We stay here.”").len(), 1);
    }

    #[test]
    fn multi_paragraph_quote_is_one_claim() {
        let body =
            "“We start here and keep going,” Akar said. “This part runs on.\n\n“And ends here.”";
        let got = run(body);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0.len(), 3);
    }
}
