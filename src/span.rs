//! The offset convention every stage leans on.
//!
//! A [`Span`] is a half-open UTF-8 **byte** range `[start, end)` into `Article.body`, exactly
//! as read. Spans are built with [`Span::checked`], which refuses ranges that do not sit on
//! char boundaries; the record writer is the only place that converts bytes to the Unicode
//! code point offsets of the JSON output (see `record::CharIndex`).

use std::fmt;

/// A half-open byte range `[start, end)` into an article body, on char boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span whose bounds are already known to be valid char boundaries of the body
    /// (tokenizer offsets, positions found by `char_indices`).
    pub(crate) fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end, "span start after end");
        Span { start, end }
    }

    /// A span checked against `body`: `None` when the range is reversed, out of bounds or
    /// cuts a multi-byte character.
    pub fn checked(body: &str, start: usize, end: usize) -> Option<Span> {
        (start <= end
            && end <= body.len()
            && body.is_char_boundary(start)
            && body.is_char_boundary(end))
        .then_some(Span { start, end })
    }

    /// The text this span covers. Returns `""` for a span that does not fit `body`
    /// (never panics), so a bug upstream shows as an empty text, not a crashed batch.
    pub fn slice<'a>(&self, body: &'a str) -> &'a str {
        body.get(self.start..self.end).unwrap_or("")
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The span moved right by `by` bytes (segment-relative → article-relative).
    pub(crate) fn shift(&self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The span with leading and trailing whitespace removed.
    pub fn trim(&self, body: &str) -> Span {
        let text = self.slice(body);
        let lead = text.len() - text.trim_start().len();
        let trimmed = text.trim();
        Span::new(self.start + lead, self.start + lead + trimmed.len())
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: &Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// The identifier of one article, carried by every stage output and every error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ArticleId(pub String);

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_refuses_cut_characters() {
        let body = "Zoë “said”";
        assert_eq!(Span::checked(body, 0, 3), None); // cuts ë
        let s = Span::checked(body, 0, 4).unwrap();
        assert_eq!(s.slice(body), "Zoë");
        assert_eq!(Span::checked(body, 5, 8).unwrap().slice(body), "“");
        assert_eq!(Span::checked(body, 3, 2), None);
        assert_eq!(Span::checked(body, 0, 99), None);
    }

    #[test]
    fn trim_keeps_char_boundaries() {
        let body = "  é😀 \r\n";
        let s = Span::new(0, body.len()).trim(body);
        assert_eq!(s.slice(body), "é😀");
    }

    #[test]
    fn slice_out_of_range_is_empty_not_panic() {
        assert_eq!(Span::new(2, 50).slice("abc"), "");
    }
}
