//! The reliability table: claim confidence against measured precision, its expected
//! calibration error and Brier score.

use serde::Serialize;

/// Number of equal-width confidence bins in the reliability table.
pub const RELIABILITY_BINS: usize = 10;

/// One bin of the reliability table: claims whose confidence falls in `[from, to)` (the last
/// bin includes 1), and how many of them match a gold attribution by content overlap.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ReliabilityBin {
    /// Lower bound.
    pub from: f64,
    /// Upper bound.
    pub to: f64,
    /// Claims in the bin.
    pub predicted: usize,
    /// Of those, matched by content overlap (IoU ≥ 0.5).
    pub correct: usize,
    /// Mean confidence of the bin's claims.
    pub mean_confidence: f64,
    /// `correct / predicted` (0 for an empty bin).
    pub precision: f64,
}

/// Confidence against measured precision: the reliability table, its expected calibration
/// error (the claim-weighted mean of |precision − mean confidence| over bins), and the Brier
/// score (mean squared gap between each claim's confidence and whether it was right: lower
/// is better, and unlike the ECE it also rewards confidences that tell right from wrong).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Reliability {
    /// Bins in order of confidence.
    pub bins: Vec<ReliabilityBin>,
    /// Expected calibration error.
    pub ece: f64,
    /// Brier score (0 when there are no claims).
    pub brier: f64,
}

#[derive(Debug, Clone, Default)]
pub(super) struct ReliabilityAcc {
    n: [usize; RELIABILITY_BINS],
    correct: [usize; RELIABILITY_BINS],
    sum: [f64; RELIABILITY_BINS],
    squared_error: f64,
}

impl ReliabilityAcc {
    pub(super) fn add(&mut self, confidence: f64, correct: bool) {
        let c = if confidence.is_finite() {
            confidence.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let b = ((c * RELIABILITY_BINS as f64) as usize).min(RELIABILITY_BINS - 1);
        self.n[b] += 1;
        self.correct[b] += usize::from(correct);
        self.sum[b] += c;
        self.squared_error += (c - f64::from(u8::from(correct))).powi(2);
    }

    pub(super) fn table(&self) -> Reliability {
        let total: usize = self.n.iter().sum();
        let mut ece = 0.0;
        let bins = (0..RELIABILITY_BINS)
            .map(|b| {
                let n = self.n[b];
                let (mean, precision) = if n == 0 {
                    (0.0, 0.0)
                } else {
                    (self.sum[b] / n as f64, self.correct[b] as f64 / n as f64)
                };
                if total > 0 {
                    ece += n as f64 / total as f64 * (precision - mean).abs();
                }
                ReliabilityBin {
                    from: b as f64 / RELIABILITY_BINS as f64,
                    to: (b + 1) as f64 / RELIABILITY_BINS as f64,
                    predicted: n,
                    correct: self.correct[b],
                    mean_confidence: mean,
                    precision,
                }
            })
            .collect();
        let brier = if total > 0 {
            self.squared_error / total as f64
        } else {
            0.0
        };
        Reliability { bins, ece, brier }
    }
}
