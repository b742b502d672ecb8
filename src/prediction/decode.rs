//! Structured decoding: the most probable tag sequence that obeys BIO.
//!
//! Per-position argmax can write `O I-PER` or `B-PER I-ORG`, which no gold sequence contains.
//! [`best_path`] runs Viterbi over the positions' log-probabilities with hard transition
//! constraints (a forbidden transition scores −∞) and optional additive transition scores, so
//! the answer is the sequence of highest total log-probability among the valid ones. A
//! position where a segment restarts (a sentence or line start) is decoded as if it followed
//! `O`. The cost is O(n · k²) for n positions and k tags.

/// Log-probability floor, so a probability of 0 stays finite.
const MIN_LOG: f32 = -30.0;

/// Which tag may follow which: the BIO rule "an `I-X` only after `B-X` or `I-X`".
#[derive(Debug, Clone, PartialEq)]
pub struct Transitions {
    /// `allowed[prev * k + cur]`.
    allowed: Vec<bool>,
    /// Tags allowed at a segment start (after `O`).
    start: Vec<bool>,
    /// Additive scores `[prev * k + cur]` (zero unless a CRF layer provides them).
    scores: Vec<f32>,
    k: usize,
}

impl Transitions {
    /// BIO constraints for tags described by `inside_of`: `inside_of[t] = Some(b)` when tag
    /// `t` is an inside tag that may only follow tag `b` (its begin tag) or itself; `None` for
    /// tags that may follow anything.
    pub fn bio(inside_of: &[Option<usize>]) -> Transitions {
        let k = inside_of.len();
        let mut allowed = vec![true; k * k];
        for (cur, b) in inside_of.iter().enumerate() {
            if let Some(b) = *b {
                for prev in 0..k {
                    allowed[prev * k + cur] = prev == b || prev == cur;
                }
            }
        }
        Transitions {
            allowed,
            start: inside_of.iter().map(Option::is_none).collect(),
            scores: vec![0.0; k * k],
            k,
        }
    }

    /// The same constraints with learned transition scores added (row-major `[prev, cur]`,
    /// as a CRF layer writes them); `None` when `scores` has the wrong length.
    pub fn with_scores(mut self, scores: &[f32]) -> Option<Transitions> {
        (scores.len() == self.k * self.k).then(|| {
            self.scores = scores.to_vec();
            self
        })
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        self.k
    }

    /// True for a tag set of size 0.
    pub fn is_empty(&self) -> bool {
        self.k == 0
    }
}

/// The best valid tag sequence for `probs` (row-major `[n, k]` probabilities). `restart(i)`
/// says position `i` starts a new segment. Ties go to the lower tag index, so the result is
/// deterministic. Rows shorter than `k` count as zero probability.
pub fn best_path(probs: &[f32], t: &Transitions, restart: impl Fn(usize) -> bool) -> Vec<usize> {
    let k = t.k;
    if k == 0 {
        return Vec::new();
    }
    let n = probs.len() / k;
    let lp = |i: usize, c: usize| probs[i * k + c].max(0.0).ln().max(MIN_LOG);
    let mut score = vec![f32::NEG_INFINITY; k];
    let mut back = vec![0u32; n * k];
    for i in 0..n {
        let mut next = vec![f32::NEG_INFINITY; k];
        for cur in 0..k {
            let emit = lp(i, cur);
            if i == 0 || restart(i) {
                if t.start[cur] {
                    // a restart follows the best previous tag, whatever it was
                    let (arg, best) = argmax(&score);
                    next[cur] = if i == 0 { emit } else { best + emit };
                    back[i * k + cur] = arg as u32;
                }
                continue;
            }
            let mut best = (0usize, f32::NEG_INFINITY);
            for (prev, &s) in score.iter().enumerate() {
                if !t.allowed[prev * k + cur] || s == f32::NEG_INFINITY {
                    continue;
                }
                let v = s + t.scores[prev * k + cur];
                if v > best.1 {
                    best = (prev, v);
                }
            }
            if best.1 > f32::NEG_INFINITY {
                next[cur] = best.1 + emit;
                back[i * k + cur] = best.0 as u32;
            }
        }
        score = next;
    }
    let mut path = vec![0usize; n];
    if n == 0 {
        return path;
    }
    let (mut cur, _) = argmax(&score);
    for i in (0..n).rev() {
        path[i] = cur;
        cur = back[i * k + cur] as usize;
    }
    path
}

/// Index and value of the largest element (the first on ties).
fn argmax(x: &[f32]) -> (usize, f32) {
    x.iter().copied().enumerate().fold(
        (0, f32::NEG_INFINITY),
        |b, (i, v)| if v > b.1 { (i, v) } else { b },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// O, B-X, I-X, B-Y, I-Y.
    fn bio2() -> Transitions {
        Transitions::bio(&[None, None, Some(1), None, Some(3)])
    }

    fn rows(r: &[[f32; 5]]) -> Vec<f32> {
        r.iter().flatten().copied().collect()
    }

    #[test]
    fn table() {
        let t = bio2();
        let cases: &[(&[[f32; 5]], &[usize])] = &[
            // argmax already valid: unchanged
            (
                &[[0.1, 0.8, 0.1, 0.0, 0.0], [0.1, 0.1, 0.8, 0.0, 0.0]],
                &[1, 2],
            ),
            // O then I-X: argmax says [0, 2]; the best valid path is B-X I-X (0.4 · 0.6)
            // over O O (0.5 · 0.3)
            (
                &[[0.5, 0.4, 0.1, 0.0, 0.0], [0.3, 0.1, 0.6, 0.0, 0.0]],
                &[1, 2],
            ),
            // the same with a weak B: O O wins (0.9 · 0.3 > 0.05 · 0.6)
            (
                &[[0.9, 0.05, 0.05, 0.0, 0.0], [0.3, 0.1, 0.6, 0.0, 0.0]],
                &[0, 0],
            ),
            // B-X then I-Y is invalid: it becomes B-X I-X or B-X B-Y
            (
                &[[0.0, 0.9, 0.0, 0.1, 0.0], [0.0, 0.0, 0.3, 0.2, 0.5]],
                &[1, 2],
            ),
            // first position may not be inside
            (&[[0.2, 0.1, 0.7, 0.0, 0.0]], &[0]),
        ];
        for (r, want) in cases {
            assert_eq!(best_path(&rows(r), &t, |_| false), *want, "{r:?}");
        }
    }

    #[test]
    fn restart_forbids_inside_at_a_segment_start() {
        let t = bio2();
        let p = rows(&[[0.1, 0.8, 0.1, 0.0, 0.0], [0.1, 0.1, 0.8, 0.0, 0.0]]);
        assert_eq!(best_path(&p, &t, |_| false), [1, 2]);
        assert_eq!(best_path(&p, &t, |i| i == 1), [1, 0]);
    }

    #[test]
    fn transition_scores_shift_the_choice() {
        let t = bio2().with_scores(&[0.0; 25]).unwrap();
        let p = rows(&[[0.1, 0.8, 0.1, 0.0, 0.0], [0.45, 0.1, 0.55, 0.0, 0.0]]);
        assert_eq!(best_path(&p, &t, |_| false), [1, 2]);
        let mut s = vec![0.0; 25];
        s[5 + 2] = -1.0; // B-X → I-X penalised
        let t = bio2().with_scores(&s).unwrap();
        assert_eq!(best_path(&p, &t, |_| false), [1, 0]);
        assert!(bio2().with_scores(&[0.0; 3]).is_none());
    }

    #[test]
    fn empty_and_short_inputs() {
        let t = bio2();
        assert!(best_path(&[], &t, |_| false).is_empty());
        assert!(best_path(&[0.5; 3], &t, |_| false).is_empty());
        assert!(best_path(&[], &Transitions::bio(&[]), |_| false).is_empty());
    }
}
