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
    /// Row `r` as the model reads it without its padding: token ids and casing classes
    /// (empty when the batch has none), special tokens included. What `dump_windows` hands
    /// the training scripts, so training sees the rows inference feeds.
    pub fn row(&self, r: usize) -> (&[i64], &[i64]) {
        let start = (r * self.seq).min(self.input_ids.len());
        let end = (start + self.seq).min(self.input_ids.len());
        let real = self.attention_mask[start..end]
            .iter()
            .take_while(|m| **m == 1)
            .count();
        let casing = if self.casing_ids.is_empty() {
            &[][..]
        } else {
            &self.casing_ids[start..start + real]
        };
        (&self.input_ids[start..start + real], casing)
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::encoding::EncoderConfig;
    use crate::segment::segment;

    /// A window's row is the same alone and inside a padded batch of its neighbours, and
    /// holds the tokenizer's special tokens with the casing class of padding: the row
    /// `dump_windows` gives training is the row inference feeds.
    #[test]
    fn a_window_row_is_the_same_alone_and_in_a_batch() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/minilm-conll03");
        let config = EncoderConfig {
            max_tokens: 16,
            overlap: 4,
            pack_sentences: true,
        };
        let encoder = Encoder::from_file(&dir.join("tokenizer.json"), config).unwrap();
        let article = Article::new(
            "a",
            "Zoë Ångström said the bridge would reopen in June. ÉCOLE staff disagreed. \
             The ministry, in a statement on Friday, said nothing at all about the cost.",
        );
        let enc = encoder.encode(&article, &segment(&article)).unwrap();
        assert!(enc.windows.len() > 1, "{}", enc.windows.len());
        let items: Vec<(usize, usize)> = (0..enc.windows.len()).map(|w| (0, w)).collect();
        let all = Batch::build(&encoder, &[&enc], &items, true);
        for (r, &item) in items.iter().enumerate() {
            let alone = Batch::build(&encoder, &[&enc], &[item], true);
            assert_eq!(all.row(r), alone.row(0), "window {r}");
            let (ids, casing) = alone.row(0);
            let (p, s) = (encoder.prefix(), encoder.suffix());
            let want_prefix: Vec<i64> = p.iter().map(|&i| i64::from(i)).collect();
            let want_suffix: Vec<i64> = s.iter().map(|&i| i64::from(i)).collect();
            assert_eq!(&ids[..p.len()], want_prefix.as_slice());
            assert_eq!(&ids[ids.len() - s.len()..], want_suffix.as_slice());
            assert_eq!(
                ids.len(),
                enc.windows[item.1].tokens.len() + p.len() + s.len()
            );
            assert_eq!(casing.len(), ids.len());
            assert!(casing[..p.len()]
                .iter()
                .all(|&c| c == i64::from(casing::PAD)));
            assert!(casing[p.len()..ids.len() - s.len()]
                .iter()
                .all(|&c| c != i64::from(casing::PAD)));
        }
    }
}
