//! STAGE 1 · [`Article`] → [`Segments`]: paragraphs and sentences with byte spans.
//!
//! Invariants: paragraphs are in order, do not overlap, hold no leading or trailing
//! whitespace, and the gaps between them are whitespace only; the same holds for the
//! sentences of each paragraph. Every span sits on char boundaries. Segmentation is a total
//! function over any `&str`: it never fails and never panics.
//! Must not know about tokenizers, models or quotes.

mod paragraph;
pub(crate) mod punct;
mod sentence;

pub(crate) use sentence::{abbreviation_dot, WEEKDAYS};

use crate::article::Article;
use crate::span::Span;

/// A paragraph of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte span in the body, trimmed.
    pub span: Span,
}

/// A sentence of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span in the body, trimmed.
    pub span: Span,
    /// Index of the paragraph holding it.
    pub paragraph: usize,
}

/// Paragraphs and sentences of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segments {
    /// Paragraphs in body order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in body order.
    pub sentences: Vec<Sentence>,
}

impl Segments {
    /// Segments given by the caller: one paragraph per span, each one sentence (evaluation on
    /// gold sentence boundaries). Spans that do not fit the body are dropped.
    pub fn from_sentences(body: &str, spans: &[Span]) -> Segments {
        let mut out = Segments::default();
        for s in spans {
            if Span::checked(body, s.start, s.end).is_none() {
                continue;
            }
            out.sentences.push(Sentence {
                span: *s,
                paragraph: out.paragraphs.len(),
            });
            out.paragraphs.push(Paragraph { span: *s });
        }
        out
    }

    /// Index of the sentence holding byte `pos`, if any.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    /// Index of the paragraph holding byte `pos`, if any.
    pub fn paragraph_at(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.span.end <= pos);
        (i < self.paragraphs.len() && self.paragraphs[i].span.start <= pos).then_some(i)
    }
}

/// Splits an article into paragraphs and sentences.
pub fn segment(article: &Article) -> Segments {
    segment_text(&article.body)
}

/// [`segment`] on a bare string.
pub fn segment_text(body: &str) -> Segments {
    let mut out = Segments::default();
    for p in paragraph::paragraphs(body) {
        let idx = out.paragraphs.len();
        out.paragraphs.push(Paragraph { span: p });
        for s in sentence::sentences(body, p) {
            out.sentences.push(Sentence {
                span: s,
                paragraph: idx,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_sentences_slice_back() {
        let body = "Zoë Café said “no.” Then she left.\r\n\r\nThe U.S. Sen. Hill agreed. 😀 Done.";
        let seg = segment_text(body);
        let paras: Vec<_> = seg.paragraphs.iter().map(|p| p.span.slice(body)).collect();
        assert_eq!(
            paras,
            [
                "Zoë Café said “no.” Then she left.",
                "The U.S. Sen. Hill agreed. 😀 Done."
            ]
        );
        let sents: Vec<_> = seg.sentences.iter().map(|s| s.span.slice(body)).collect();
        assert_eq!(
            sents,
            [
                "Zoë Café said “no.”",
                "Then she left.",
                "The U.S. Sen. Hill agreed.",
                "😀 Done."
            ]
        );
        assert_eq!(seg.sentences[3].paragraph, 1);
    }

    #[test]
    fn sentence_at_finds_the_holder() {
        let body = "One. Two.";
        let seg = segment_text(body);
        assert_eq!(seg.sentence_at(0), Some(0));
        assert_eq!(seg.sentence_at(4), None); // the gap
        assert_eq!(seg.sentence_at(6), Some(1));
    }
}
