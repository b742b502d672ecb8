//! Windows over the article's tokens.
//!
//! Whole sentences are packed into a window while they fit (or one sentence per window when
//! packing is off). A sentence longer than a window is cut into windows that overlap by
//! `overlap` tokens; the seam between two overlapping windows sits in the middle of the
//! overlap, so each token is owned by the window in which it has the most context.

use std::ops::Range;

use super::Window;

/// Plans windows over sentences given as token ranges (in order, tiling `0..n`).
///
/// `capacity` is the number of tokens a window holds (the model length minus special tokens);
/// `overlap` is how many tokens consecutive windows of a long sentence share.
pub fn plan_windows(
    sentences: &[Range<usize>],
    capacity: usize,
    overlap: usize,
    pack: bool,
) -> Vec<Window> {
    let capacity = capacity.max(1);
    let overlap = overlap.min(capacity / 2);
    let mut out = Vec::new();
    let mut cur: Option<Range<usize>> = None;
    for s in sentences {
        if s.is_empty() {
            continue;
        }
        if s.len() > capacity {
            if let Some(c) = cur.take() {
                out.push(whole(c));
            }
            split_long(s.clone(), capacity, overlap, &mut out);
            continue;
        }
        cur = match cur {
            Some(c) if pack && s.end - c.start <= capacity => Some(c.start..s.end),
            Some(c) => {
                out.push(whole(c));
                Some(s.clone())
            }
            None => Some(s.clone()),
        };
    }
    if let Some(c) = cur {
        out.push(whole(c));
    }
    out
}

fn whole(r: Range<usize>) -> Window {
    Window {
        tokens: r.clone(),
        owned: r,
    }
}

fn split_long(s: Range<usize>, capacity: usize, overlap: usize, out: &mut Vec<Window>) {
    let step = capacity - overlap;
    let mut starts = vec![s.start];
    while starts[starts.len() - 1] + capacity < s.end {
        let next = (starts[starts.len() - 1] + step).min(s.end - capacity);
        starts.push(next);
    }
    let mut owned_start = s.start;
    for (k, &st) in starts.iter().enumerate() {
        let end = (st + capacity).min(s.end);
        let owned_end = match starts.get(k + 1) {
            // the seam: middle of the overlap with the next window
            Some(&next) => (next + end).div_ceil(2),
            None => s.end,
        };
        out.push(Window {
            tokens: st..end,
            owned: owned_start..owned_end,
        });
        owned_start = owned_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_tiling(ws: &[Window], n: usize) {
        let mut next = 0;
        for w in ws {
            assert_eq!(w.owned.start, next, "owned ranges must tile: {ws:?}");
            assert!(w.tokens.start <= w.owned.start && w.owned.end <= w.tokens.end);
            next = w.owned.end;
        }
        assert_eq!(next, n);
    }

    #[test]
    fn packs_sentences_up_to_capacity() {
        let ws = plan_windows(&[0..3, 3..6, 6..9], 6, 2, true);
        let ranges: Vec<_> = ws.iter().map(|w| w.tokens.clone()).collect();
        assert_eq!(ranges, [0..6, 6..9]);
        check_tiling(&ws, 9);
    }

    #[test]
    fn one_sentence_per_window_without_packing() {
        let ws = plan_windows(&[0..3, 3..6], 6, 2, false);
        let ranges: Vec<_> = ws.iter().map(|w| w.tokens.clone()).collect();
        assert_eq!(ranges, [0..3, 3..6]);
    }

    #[test]
    fn long_sentence_seams_sit_mid_overlap() {
        // 10 tokens, capacity 4, overlap 2: windows 0..4, 2..6, 4..8, 6..10
        let ws = plan_windows(std::slice::from_ref(&(0..10)), 4, 2, true);
        let t: Vec<_> = ws.iter().map(|w| w.tokens.clone()).collect();
        assert_eq!(t, [0..4, 2..6, 4..8, 6..10]);
        let o: Vec<_> = ws.iter().map(|w| w.owned.clone()).collect();
        assert_eq!(o, [0..3, 3..5, 5..7, 7..10]);
        check_tiling(&ws, 10);
    }

    #[test]
    fn last_window_is_full_and_tiling_holds() {
        for n in 1..40 {
            for cap in 1..9 {
                for ov in 0..5 {
                    let ws = plan_windows(std::slice::from_ref(&(0..n)), cap, ov, true);
                    check_tiling(&ws, n);
                    assert!(ws.iter().all(|w| w.tokens.len() <= cap));
                }
            }
        }
    }

    #[test]
    fn long_sentence_between_short_ones() {
        let ws = plan_windows(&[0..2, 2..12, 12..14], 4, 2, true);
        check_tiling(&ws, 14);
        assert_eq!(ws[0].tokens, 0..2);
        assert_eq!(ws.last().unwrap().tokens, 12..14);
    }
}
