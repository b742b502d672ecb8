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

/// Distance in bytes between two spans: 0 when they overlap or touch.
pub fn gap(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// A set of spans (in any order, overlapping or not) that answers "which of them lie near
/// this span" in O(log n + k) for k answers, so that a stage looking up, for each of n
/// items, its neighbours among n others stays n log n instead of n².
///
/// Spans are kept sorted by start with the running maximum of their ends: walking back from
/// the last span starting early enough, the walk stops as soon as no earlier span can reach
/// the query.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    /// (span, index in the input), sorted by (start, end, index).
    sorted: Vec<(Span, usize)>,
    /// `max_end[i]`: the largest end among `sorted[..=i]`.
    max_end: Vec<usize>,
}

impl SpanIndex {
    /// An index over `spans`; answers are their positions in this sequence.
    pub fn new(spans: impl IntoIterator<Item = Span>) -> SpanIndex {
        let mut sorted: Vec<(Span, usize)> =
            spans.into_iter().enumerate().map(|(i, s)| (s, i)).collect();
        sorted.sort_by_key(|&(s, i)| (s.start, s.end, i));
        let mut max_end = Vec::with_capacity(sorted.len());
        let mut m = 0;
        for (s, _) in &sorted {
            m = m.max(s.end);
            max_end.push(m);
        }
        SpanIndex { sorted, max_end }
    }

    /// Positions of the spans within `max_gap` bytes of `target` ([`gap`] ≤ `max_gap`), with
    /// each span, in no particular order.
    pub fn near(&self, target: Span, max_gap: usize) -> impl Iterator<Item = (usize, Span)> + '_ {
        let reach = target.end.saturating_add(max_gap);
        let hi = self.sorted.partition_point(|(s, _)| s.start <= reach);
        let floor = target.start.saturating_sub(max_gap);
        (0..hi)
            .rev()
            .take_while(move |&i| self.max_end[i] >= floor)
            .map(move |i| self.sorted[i])
            .filter(move |(s, _)| gap(*s, target) <= max_gap)
            .map(|(s, i)| (i, s))
    }

    /// Positions of the spans that share a byte with `target` ([`Span::overlaps`]).
    pub fn overlapping(&self, target: Span) -> impl Iterator<Item = (usize, Span)> + '_ {
        self.near(target, 0)
            .filter(move |(_, s)| s.overlaps(&target))
    }

    /// True when some span shares a byte with `target`.
    pub fn any_overlaps(&self, target: Span) -> bool {
        self.overlapping(target).next().is_some()
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

    /// The brute-force answer the index must give.
    fn brute(spans: &[Span], t: Span, max_gap: usize) -> Vec<usize> {
        (0..spans.len())
            .filter(|&i| gap(spans[i], t) <= max_gap)
            .collect()
    }

    #[test]
    fn span_index_agrees_with_brute_force() {
        // nested, overlapping, touching, empty and duplicate spans, out of order
        let spans: Vec<Span> = [
            (10, 20),
            (0, 100),
            (15, 16),
            (20, 30),
            (40, 40),
            (55, 70),
            (10, 20),
            (200, 260),
            (90, 95),
        ]
        .iter()
        .map(|&(a, b)| Span::new(a, b))
        .collect();
        let idx = SpanIndex::new(spans.iter().copied());
        for start in (0..300).step_by(7) {
            for len in [0, 1, 5, 30] {
                for max_gap in [0, 3, 25, 160] {
                    let t = Span::new(start, start + len);
                    let mut got: Vec<usize> = idx.near(t, max_gap).map(|(i, _)| i).collect();
                    got.sort();
                    assert_eq!(got, brute(&spans, t, max_gap), "{t} gap {max_gap}");
                    let mut ov: Vec<usize> = idx.overlapping(t).map(|(i, _)| i).collect();
                    ov.sort();
                    let want: Vec<usize> = (0..spans.len())
                        .filter(|&i| spans[i].overlaps(&t))
                        .collect();
                    assert_eq!(ov, want, "{t}");
                }
            }
        }
    }

    #[test]
    fn slice_out_of_range_is_empty_not_panic() {
        assert_eq!(Span::new(2, 50).slice("abc"), "");
    }
}
