//! Padding windows into `[rows, seq]` arrays.

use crate::encoding::{casing, Encoder, Encodings};

/// One padded inference batch (row-major `[rows, seq]` arrays, i64 as ONNX BERT exports take).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Number of windows.
    pub rows: usize,
    /// Padded length (longest window + special tokens).
    pub seq: usize,
    /// Number of special tokens before each window's first token.
    pub prefix_len: usize,
    /// Token ids.
    pub input_ids: Vec<i64>,
    /// 1 for real tokens, 0 for padding.
    pub attention_mask: Vec<i64>,
    /// All zeros (single-segment input).
    pub token_type_ids: Vec<i64>,
    /// Casing class per token (0 for specials and padding); empty when the model takes none.
    pub casing_ids: Vec<i64>,
}

/// Counts of real and padded positions, for `--stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Batches run.
    pub batches: usize,
    /// Windows run.
    pub windows: usize,
    /// Real positions (tokens + specials).
    pub real: usize,
    /// Padding positions.
    pub padded: usize,
}

impl BatchStats {
    /// Adds one batch.
    pub fn add(&mut self, b: &Batch) {
        let real = b.attention_mask.iter().filter(|m| **m == 1).count();
        self.batches += 1;
        self.windows += b.rows;
        self.real += real;
        self.padded += b.rows * b.seq - real;
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, o: &BatchStats) {
        self.batches += o.batches;
        self.windows += o.windows;
        self.real += o.real;
        self.padded += o.padded;
    }
}

impl Batch {
    /// Pads the windows `items` (pairs of article index and window index).
    pub fn build(
        encoder: &Encoder,
        docs: &[&Encodings],
        items: &[(usize, usize)],
        with_casing: bool,
    ) -> Batch {
        let prefix = encoder.prefix();
        let suffix = encoder.suffix();
        let specials = prefix.len() + suffix.len();
        let seq = items
            .iter()
            .map(|&(d, w)| docs[d].windows[w].tokens.len() + specials)
            .max()
            .unwrap_or(specials);
        let rows = items.len();
        let pad = i64::from(encoder.pad_id());
        let mut b = Batch {
            rows,
            seq,
            prefix_len: prefix.len(),
            input_ids: vec![pad; rows * seq],
            attention_mask: vec![0; rows * seq],
            token_type_ids: vec![0; rows * seq],
            casing_ids: if with_casing {
                vec![i64::from(casing::PAD); rows * seq]
            } else {
                Vec::new()
            },
        };
        for (r, &(d, w)) in items.iter().enumerate() {
            let doc = docs[d];
            let window = &doc.windows[w];
            let row = r * seq;
            let mut pos = row;
            for &id in prefix {
                b.input_ids[pos] = i64::from(id);
                pos += 1;
            }
            for tok in &doc.tokens[window.tokens.clone()] {
                b.input_ids[pos] = i64::from(tok.id);
                if with_casing {
                    b.casing_ids[pos] = i64::from(doc.words[tok.word].casing);
                }
                pos += 1;
            }
            for &id in suffix {
                b.input_ids[pos] = i64::from(id);
                pos += 1;
            }
            for m in &mut b.attention_mask[row..pos] {
                *m = 1;
            }
        }
        b
    }
}
