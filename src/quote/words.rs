//! The carrier of the quote stage: the words of one article, scanned once.
//!
//! [`Words::new`] scans every sentence once (the scanner below), lower-cases every word once,
//! and records the sentence and paragraph of each word; every rule then reads slices of it
//! ([`Words::sentence`], [`Words::paragraph`], [`Words::within`]) instead of re-reading the
//! text. A word never crosses a sentence, so the words of a paragraph are those of its
//! sentences (tested), and a byte window (`quote::window`) holds the words that lie wholly
//! inside it. The role-word windows of speaker resolution still scan their own text
//! ([`Words::of_span`]): there a window edge inside a word keeps the piece, which decides a
//! few role matches (records change in 14 of 924 PolNeAR articles when they read the carrier).

use crate::segment::Segments;
use crate::span::Span;
use std::ops::Range;

/// A word or punctuation mark of the rule layer, with its byte span and lower-case form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct W<'a> {
    /// Byte span in the body.
    pub span: Span,
    /// The text.
    pub text: &'a str,
    /// The text lower-cased (computed once per article).
    lower: &'a str,
}

impl<'a> W<'a> {
    /// True for a word starting with a letter or digit.
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }

    /// True when the word starts with an upper-case letter.
    pub fn is_capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Lower-cased text.
    pub fn lower(&self) -> &'a str {
        self.lower
    }
}

/// The words of one article: spans, lower-case forms, and the sentence and paragraph of each.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    body: &'a str,
    spans: Vec<Span>,
    /// All lower-case forms, concatenated; word `i`'s is `lower[lower_end[i-1]..lower_end[i]]`.
    lower: String,
    lower_end: Vec<usize>,
    /// First word of each sentence, and one past the last word of the last (`len + 1`).
    sentence_first: Vec<usize>,
    /// First word of each paragraph, and one past the last word of the last (`len + 1`).
    paragraph_first: Vec<usize>,
}

impl<'a> Words<'a> {
    /// Scans every sentence of `body` once.
    pub fn new(body: &'a str, segments: &Segments) -> Words<'a> {
        let mut w = Words {
            body,
            spans: Vec::new(),
            lower: String::new(),
            lower_end: Vec::new(),
            sentence_first: Vec::with_capacity(segments.sentences.len() + 1),
            paragraph_first: Vec::with_capacity(segments.paragraphs.len() + 1),
        };
        let mut sentences = segments.sentences.iter().enumerate().peekable();
        for (p, para) in segments.paragraphs.iter().enumerate() {
            w.paragraph_first.push(w.spans.len());
            while let Some((_, sent)) = sentences.next_if(|(_, s)| s.paragraph <= p) {
                w.sentence_first.push(w.spans.len());
                if sent.paragraph == p && para.span.contains(&sent.span) {
                    w.push_sentence(sent.span);
                }
            }
        }
        // sentences outside every paragraph hold no words
        for _ in sentences {
            w.sentence_first.push(w.spans.len());
        }
        w.sentence_first.push(w.spans.len());
        w.paragraph_first.push(w.spans.len());
        w
    }

    /// The words of a whole text taken as one sentence in one paragraph (tests).
    #[cfg(test)]
    pub fn of(text: &'a str) -> Words<'a> {
        Words::of_span(text, Span::new(0, text.len()))
    }

    /// The words of `span` of `body` scanned as a text of its own, as one sentence: an edge
    /// inside a word keeps the piece, and a final dot is decided without what follows `span`.
    pub fn of_span(body: &'a str, span: Span) -> Words<'a> {
        let mut w = Words {
            body,
            spans: Vec::new(),
            lower: String::new(),
            lower_end: Vec::new(),
            sentence_first: vec![0],
            paragraph_first: vec![0],
        };
        w.push_sentence(span);
        w.sentence_first.push(w.spans.len());
        w.paragraph_first.push(w.spans.len());
        w
    }

    fn push_sentence(&mut self, span: Span) {
        for s in scan(self.body, span) {
            self.lower.push_str(&s.slice(self.body).to_lowercase());
            self.lower_end.push(self.lower.len());
            self.spans.push(s);
        }
    }

    /// The body the words are in.
    pub fn body(&self) -> &'a str {
        self.body
    }

    /// Number of words.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when the article has no words.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Word `i`.
    fn word(&self, i: usize) -> W<'_> {
        let span = self.spans[i];
        let from = if i == 0 { 0 } else { self.lower_end[i - 1] };
        W {
            span,
            text: span.slice(self.body),
            lower: &self.lower[from..self.lower_end[i]],
        }
    }

    /// Words `range`, in order.
    pub fn range(&self, range: Range<usize>) -> Vec<W<'_>> {
        range.map(|i| self.word(i)).collect()
    }

    /// Indices of the words of sentence `s` (empty past the last sentence).
    pub fn sentence_range(&self, s: usize) -> Range<usize> {
        match (self.sentence_first.get(s), self.sentence_first.get(s + 1)) {
            (Some(&a), Some(&b)) => a..b,
            _ => 0..0,
        }
    }

    /// The words of sentence `s`.
    pub fn sentence(&self, s: usize) -> Vec<W<'_>> {
        self.range(self.sentence_range(s))
    }

    /// The words of paragraph `p`.
    pub fn paragraph(&self, p: usize) -> Vec<W<'_>> {
        match (self.paragraph_first.get(p), self.paragraph_first.get(p + 1)) {
            (Some(&a), Some(&b)) => self.range(a..b),
            _ => Vec::new(),
        }
    }

    /// Indices of the words lying wholly inside `span`.
    pub fn within_range(&self, span: Span) -> Range<usize> {
        let first = self.spans.partition_point(|w| w.start < span.start);
        let end = first + self.spans[first..].partition_point(|w| w.end <= span.end);
        first..end
    }

    /// The words lying wholly inside `span` (a byte window cut inside a word leaves it out).
    pub fn within(&self, span: Span) -> Vec<W<'_>> {
        self.range(self.within_range(span))
    }
}

/// Byte spans of the words and punctuation of `span`: a word is a run of letters, digits and
/// inner `'’-.` (so `don't`, `U.S.`, `Mr.` stay whole); every other non-space char is its own
/// token.
fn scan(body: &str, span: Span) -> Vec<Span> {
    let text = span.slice(body);
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (p, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = p;
        let mut j = i + 1;
        if c.is_alphanumeric() {
            while j < chars.len() {
                let d = chars[j].1;
                let next_alnum = chars.get(j + 1).is_some_and(|(_, n)| n.is_alphanumeric());
                let inner = d.is_alphanumeric() || (matches!(d, '\'' | '’' | '-') && next_alnum);
                if inner || (d == '.' && abbreviation(text, start, chars[j].0, next_alnum)) {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        let end = chars.get(j).map_or(text.len(), |(q, _)| *q);
        out.push(Span::new(span.start + start, span.start + end));
        i = j;
    }
    out
}

/// Keeps the dot at byte `dot` of `text` inside the word that ends there: inner dots of
/// short pieces (`U.S`, `e.g`), and an abbreviation's final dot wherever segmentation does
/// not end a sentence on it (`segment::abbreviation_dot`, one list and one decision), and
/// single capitals (`F. Smith`).
fn abbreviation(text: &str, start: usize, dot: usize, next_alnum: bool) -> bool {
    let word = &text[start..dot];
    if next_alnum {
        return word.chars().count() <= 2; // U.S, e.g
    }
    let bare = word.trim_end_matches('.');
    crate::segment::abbreviation_dot(text, dot)
        || (bare.chars().count() == 1 && bare.chars().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment_text;

    fn texts(s: &str) -> Vec<String> {
        let w = Words::of(s);
        w.range(0..w.len())
            .iter()
            .map(|w| w.text.to_string())
            .collect()
    }

    #[test]
    fn scan_table() {
        assert_eq!(
            texts("Mr. Müller didn't say “no,” U.S. officials said."),
            [
                "Mr.",
                "Müller",
                "didn't",
                "say",
                "“",
                "no",
                ",",
                "”",
                "U.S.",
                "officials",
                "said",
                "."
            ]
        );
        assert_eq!(texts("well-known 3.5 😀"), ["well-known", "3.5", "😀"]);
        // a dot that ends a sentence is its own token, as segmentation splits there
        assert_eq!(
            texts("7 p.m. Trump spoke at 9 a.m. Tuesday in the U.S."),
            [
                "7", "p.m", ".", "Trump", "spoke", "at", "9", "a.m.", "Tuesday", "in", "the",
                "U.S", "."
            ]
        );
    }

    #[test]
    fn lower_forms_are_the_words_lower_cased_once() {
        let w = Words::of("ÖZİL Said ΟΔΟΣ");
        let lower: Vec<&str> = w.range(0..w.len()).iter().map(|w| w.lower()).collect();
        // str::to_lowercase: the final sigma stays final, İ keeps its dot
        assert_eq!(lower, ["özi̇l", "said", "οδος"]);
        assert_eq!(w.range(0..w.len())[0].text, "ÖZİL");
    }

    #[test]
    fn sentences_and_paragraphs_hold_their_words() {
        let body = "Ana Lóp said so. Then she left.\n\n“Yes,” Zoë said.";
        let seg = segment_text(body);
        let w = Words::new(body, &seg);
        let text = |v: Vec<W<'_>>| v.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
        assert_eq!(text(w.sentence(0)), "Ana Lóp said so .");
        assert_eq!(text(w.sentence(1)), "Then she left .");
        assert_eq!(text(w.paragraph(0)), "Ana Lóp said so . Then she left .");
        assert_eq!(text(w.paragraph(1)), "“ Yes , ” Zoë said .");
        assert!(w.sentence(9).is_empty() && w.paragraph(9).is_empty());
        let at = body.find("said").unwrap();
        let said = w.within_range(Span::new(at, at + 4));
        assert_eq!(said, 2..3);
        assert_eq!(w.sentence_range(1), 5..9);
        assert!(!w.is_empty());
        // a window cut inside a word leaves that word out
        assert_eq!(text(w.within(Span::new(1, at + 4))), "Lóp said");
        assert_eq!(w.within(Span::new(0, body.len())).len(), w.len());
    }

    #[test]
    fn a_paragraph_reads_as_the_scan_of_its_whole_text() {
        // the words of a paragraph are the words of its sentences: no word crosses a sentence
        let body = "Sen. Ana Lóp (D-Wis.) spoke at 9 a.m. Tuesday. It grew in the U.S. The rest fell.\n\nShe said: “Plan B.” Then F. Smith left.";
        let seg = segment_text(body);
        let w = Words::new(body, &seg);
        for (p, para) in seg.paragraphs.iter().enumerate() {
            let whole: Vec<Span> = scan(body, para.span);
            let carried: Vec<Span> = w.paragraph(p).iter().map(|w| w.span).collect();
            assert_eq!(carried, whole, "paragraph {p}");
        }
    }
}
