//! How far the quote rules look: byte windows around a quotation or a cue, and word counts
//! inside them, named once. Every window is cut to its sentence or paragraph and to char
//! boundaries, so a long article never makes a rule look further.

use crate::span::Span;

/// Bytes after a closing quotation mark searched for the cue and speaker (`direct.quote_cue`).
pub(crate) const AFTER_QUOTE_BYTES: usize = 400;
/// Bytes before an opening quotation mark searched for the speaker and cue
/// (`direct.cue_quote`).
pub(crate) const BEFORE_QUOTE_BYTES: usize = 400;
/// Words after a closing mark within which the speaker must start.
pub(crate) const SPEAKER_START_WORDS: usize = 20;
/// Words after the cue context within which the sentence must end (else the tail is too
/// long for the quote to be the cue's object).
pub(crate) const TAIL_WORDS: usize = 14;
/// Words after the speaker within which an inverted cue (`“Q,” Akar, 69, said`) may come.
pub(crate) const INVERTED_CUE_WORDS: usize = 16;
/// Bytes before a person mention searched for a role word (`Defence Minister Hulusi Akar`).
pub(crate) const ROLE_BEFORE_BYTES: usize = 120;
/// Bytes after a person mention searched for an apposition role (`Akar, the minister,`).
pub(crate) const ROLE_AFTER_BYTES: usize = 160;

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
