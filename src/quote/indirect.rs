//! placeholder
use super::Quote;
use crate::segment::Segments;
use crate::span::Span;
/// Indirect quotes.
pub fn indirect_quotes(_body: &str, _s: &Segments, _q: &[Span], _d: &[Quote]) -> Vec<Quote> {
    Vec::new()
}
