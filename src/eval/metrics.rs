//! Confusion counts and precision / recall / F1.

use std::ops::AddAssign;

use serde::Serialize;

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predicted and in gold.
    pub tp: usize,
    /// Predicted, not in gold.
    pub fp: usize,
    /// In gold, not predicted.
    pub fn_: usize,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Precision, recall, F1 and support (gold count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// tp / (tp + fp), 0 when nothing was predicted.
    pub precision: f64,
    /// tp / (tp + fn), 0 when gold is empty.
    pub recall: f64,
    /// Harmonic mean, 0 when both are 0.
    pub f1: f64,
    /// Number of gold items.
    pub support: usize,
}

impl Counts {
    /// Scores of these counts.
    pub fn prf(&self) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            precision: p,
            recall: r,
            f1,
            support: self.tp + self.fn_,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_scores() {
        // 3 right, 1 invented, 2 missed: P = 3/4, R = 3/5, F1 = 2PR/(P+R) = 0.6667
        let c = Counts {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        let s = c.prf();
        assert_eq!(s.precision, 0.75);
        assert_eq!(s.recall, 0.6);
        assert!((s.f1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.support, 5);
        assert_eq!(Counts::default().prf().f1, 0.0);
    }

    #[test]
    fn counts_add() {
        let mut a = Counts {
            tp: 1,
            fp: 2,
            fn_: 3,
        };
        a += Counts {
            tp: 1,
            fp: 0,
            fn_: 1,
        };
        assert_eq!(
            a,
            Counts {
                tp: 2,
                fp: 2,
                fn_: 4
            }
        );
    }
}
