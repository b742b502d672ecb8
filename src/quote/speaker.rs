//! placeholder
use super::Quote;
use crate::entity::Entities;
use crate::segment::Segments;
/// Resolve.
pub fn resolve(_body: &str, _s: &Segments, _e: &Entities, _q: &mut [Quote]) {}
