//! placeholder, replaced below
use super::Quote;
use crate::segment::Segments;
use crate::span::Span;
/// Quoted spans.
pub fn quoted_spans(_body: &str, _s: &Segments) -> Vec<Span> {
    Vec::new()
}
/// Direct quotes.
pub fn direct_quotes(_body: &str, _s: &Segments, _q: &[Span]) -> Vec<Quote> {
    Vec::new()
}
