//! Word tags → mentions. One rule set decodes BIO, IOB1, BIOES/BILOU and IO:
//! an entity starts at `B`/`S`, or at `I`/`E` that does not continue an open entity of the same
//! type (the repair of an `I-` without `B-`); it ends at `O`, `E`/`S`, a type change, or a
//! sentence boundary.

use super::Entity;
use crate::encoding::Encodings;
use crate::prediction::{LabelMap, Prefix};

struct Open {
    first: usize,
    last: usize,
    kind: String,
    scores: f32,
    n: usize,
}

/// Mentions from per-word (label, probability) pairs. Clusters are filled later.
pub(super) fn mentions(enc: &Encodings, words: &[(usize, f32)], labels: &LabelMap) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    let close = |o: Option<Open>, out: &mut Vec<Entity>| {
        if let Some(o) = o {
            out.push(Entity {
                span: enc.words[o.first].span.cover(&enc.words[o.last].span),
                label: o.kind,
                score: o.scores / o.n as f32,
                cluster: 0,
            });
        }
    };
    for (w, &(label, score)) in words.iter().enumerate() {
        let Some(tag) = labels.tag(label) else {
            close(open.take(), &mut out);
            continue;
        };
        let same_sentence = open
            .as_ref()
            .is_some_and(|o| enc.words[o.last].sentence == enc.words[w].sentence);
        let continues = same_sentence && open.as_ref().is_some_and(|o| o.kind == tag.kind);
        match tag.prefix {
            Prefix::Outside => close(open.take(), &mut out),
            Prefix::Inside | Prefix::End if continues => {
                if let Some(o) = open.as_mut() {
                    o.last = w;
                    o.scores += score;
                    o.n += 1;
                }
                if tag.prefix == Prefix::End {
                    close(open.take(), &mut out);
                }
            }
            _ => {
                close(open.take(), &mut out);
                open = Some(Open {
                    first: w,
                    last: w,
                    kind: tag.kind.clone(),
                    scores: score,
                    n: 1,
                });
                if matches!(tag.prefix, Prefix::Single | Prefix::End) {
                    close(open.take(), &mut out);
                }
            }
        }
    }
    close(open, &mut out);
    out
}

#[cfg(test)]
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;
    use crate::encoding::Word;
    use crate::span::Span;

    fn run(body: &str, sentences: &[usize], tags: &[&str]) -> Vec<(String, String)> {
        let mut words = Vec::new();
        let mut pos = 0;
        for (i, w) in body.split(' ').enumerate() {
            words.push(Word {
                span: Span::new(pos, pos + w.len()),
                tokens: i..i + 1,
                sentence: sentences[i],
                casing: 1,
            });
            pos += w.len() + 1;
        }
        let enc = Encodings {
            tokens: vec![],
            words,
            windows: vec![],
        };
        let mut all: Vec<String> = vec!["O".into()];
        for t in tags {
            if !all.contains(&t.to_string()) {
                all.push(t.to_string());
            }
        }
        let labels = LabelMap::new(all.clone());
        let wl: Vec<(usize, f32)> = tags
            .iter()
            .map(|t| (all.iter().position(|a| a == t).unwrap(), 1.0))
            .collect();
        mentions(&enc, &wl, &labels)
            .into_iter()
            .map(|e| (e.span.slice(body).to_string(), e.label))
            .collect()
    }

    fn pairs(x: &[(&str, &str)]) -> Vec<(String, String)> {
        x.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn bio_iob1_bioes_table() {
        let s = [0; 5];
        let cases: &[(&[&str], &[(&str, &str)])] = &[
            // BIO
            (
                &["B-PER", "I-PER", "O", "B-LOC", "O"],
                &[("Zoë Ångström", "PER"), ("Köln", "LOC")],
            ),
            // IOB1: I- starts an entity, B- separates adjacent ones of the same type
            (
                &["I-PER", "I-PER", "O", "I-LOC", "O"],
                &[("Zoë Ångström", "PER"), ("Köln", "LOC")],
            ),
            (
                &["I-PER", "B-PER", "O", "O", "O"],
                &[("Zoë", "PER"), ("Ångström", "PER")],
            ),
            // BIOES
            (
                &["B-PER", "E-PER", "O", "S-LOC", "O"],
                &[("Zoë Ångström", "PER"), ("Köln", "LOC")],
            ),
            // type change splits
            (
                &["B-PER", "I-ORG", "O", "O", "O"],
                &[("Zoë", "PER"), ("Ångström", "ORG")],
            ),
            // lone E- is a one-word entity
            (&["O", "E-PER", "O", "O", "O"], &[("Ångström", "PER")]),
        ];
        for (tags, want) in cases {
            assert_eq!(
                run("Zoë Ångström said Köln 😀", &s, tags),
                pairs(want),
                "{tags:?}"
            );
        }
    }

    #[test]
    fn never_crosses_sentences() {
        let got = run("Ann Lee. Bo", &[0, 0, 1], &["B-PER", "I-PER", "I-PER"]);
        assert_eq!(got, pairs(&[("Ann Lee.", "PER"), ("Bo", "PER")]));
    }
}
