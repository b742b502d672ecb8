//! STAGE 4 · ([`Encodings`], [`TokenPredictions`]) → [`ModelTags`]: the model's second output,
//! word-level cue, source and content spans (the raw material of `quote::tagged`), decoded
//! beside the entities so that `quote` reads a stage-4 type and never the predictions.
//!
//! The group order of the output is the model's own ([`AttributionLayout`], read from its
//! `config.json` and checked at load). Each word takes its first subword's scores. Each of the three layers is decoded on its own
//! by Viterbi under BIO constraints ([`super::decode`]: no `I` after `O`, none at the start of
//! a line, since paragraphs are lines in news bodies). Cue and source spans are `B I*` runs;
//! content spans also bridge short runs of `O` words, but not a cue, and a `B` that starts a
//! new sentence starts a new content (see [`decode`]). A span never crosses a line break.

use crate::encoding::Encodings;
use crate::prediction::decode::{best_path, Transitions};
use crate::prediction::{AttributionLayout, TokenPredictions, ATTRIBUTION_WIDTH};
use crate::span::Span;

/// One tagged span with its mean tag probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaggedSpan {
    /// Byte span in the body, from the first word's start to the last word's end.
    pub span: Span,
    /// Mean over the span's words of the probability that the word is inside the span.
    pub score: f32,
}

/// The attribution spans the model tagged in one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tagged {
    /// Reporting cues ("said", "according to").
    pub cues: Vec<TaggedSpan>,
    /// Sources (the speaker mention).
    pub sources: Vec<TaggedSpan>,
    /// Contents (what was said or believed).
    pub contents: Vec<TaggedSpan>,
}

impl Tagged {
    /// True when the model tagged nothing.
    pub fn is_empty(&self) -> bool {
        self.cues.is_empty() && self.sources.is_empty() && self.contents.is_empty()
    }
}

/// What an article's claims are made from: the rules alone, or the rules and the model's tags.
/// "The model ran and tagged nothing" (`Model` with an empty [`Tagged`]) is not "the model did
/// not run" (`RulesOnly`): the first drops the rules' untouched indirect claims, the second keeps
/// them, and each is calibrated under its own table.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum ModelTags {
    /// Claims from the rules alone: the model has no attribution output, or it is not wanted.
    #[default]
    RulesOnly,
    /// The model ran with its attribution output and tagged these spans (perhaps none).
    Model(Tagged),
}

impl ModelTags {
    /// The model's tags, when it ran with them.
    pub fn tagged(&self) -> Option<&Tagged> {
        match self {
            ModelTags::RulesOnly => None,
            ModelTags::Model(t) => Some(t),
        }
    }

    /// True when the claims are made with the model's tags.
    pub fn model_ran(&self) -> bool {
        matches!(self, ModelTags::Model(_))
    }
}

const O: usize = 0;
const B: usize = 1;
const I: usize = 2;
/// The cue layer's index in the decoded roles (cue, source, content).
const CUE: usize = 0;

/// Longest run of outside words a content span bridges ("X, “ Y"): the head's content tags
/// flicker on punctuation and quotation marks.
const CONTENT_MAX_GAP: usize = 2;

/// Decodes the three tag layers into spans, each role read from its group of `layout`;
/// [`ModelTags::RulesOnly`] when the predictions carry no attribution tags (the model has no
/// attribution output, or claims are not wanted), so that "the model ran and tagged nothing"
/// and "the model did not run" stay apart.
///
/// Cue and source spans split at every `B`. Content spans are runs of inside words (`B` or
/// `I`) that bridge up to [`CONTENT_MAX_GAP`] outside words. Two things end a content run
/// (each measured on PolNeAR dev, see the model card): a word the cue layer tags is outside
/// any content (a claim's content does not hold its own cue: "Q1, he said, Q2" is two
/// pieces), so a gap holding a cue is not bridged; and a `B` in a sentence after the run's
/// last inside word starts a new content ("… he found. Large sections …" are two contents).
/// A `B` in the same sentence does not split a run: there the head flickers inside one
/// content.
pub fn decode(
    body: &str,
    enc: &Encodings,
    preds: &TokenPredictions,
    layout: AttributionLayout,
    bio_constraints: bool,
) -> ModelTags {
    if preds.attribution.is_empty()
        || preds.attribution.len() != enc.tokens.len() * ATTRIBUTION_WIDTH
    {
        return ModelTags::RulesOnly;
    }
    // a line break between word w-1 and w ends any span
    let breaks: Vec<bool> = (0..enc.words.len())
        .map(|w| {
            w > 0
                && body
                    .get(enc.words[w - 1].span.end..enc.words[w].span.start)
                    .is_some_and(|between| between.contains('\n'))
        })
        .collect();
    let bio = Transitions::bio(&[None, None, Some(B)]);
    // tags[w][role]: roles in the order cue, source, content, whatever the model's order
    let mut tags: Vec<[(usize, f32); 3]> = vec![[(O, 0.0); 3]; enc.words.len()];
    let mut probs = Vec::with_capacity(enc.words.len() * 3);
    for (g, group) in layout.groups().into_iter().enumerate() {
        probs.clear();
        for word in &enc.words {
            let p = preds.attribution(word.tokens.start);
            probs.extend_from_slice(&p[3 * group..3 * group + 3]);
        }
        let path = if bio_constraints {
            best_path(&probs, &bio, |w| breaks[w])
        } else {
            probs.chunks(3).map(argmax3).collect()
        };
        for (w, tag) in path.into_iter().enumerate() {
            tags[w][g] = (tag, 1.0 - probs[3 * w + O]);
        }
    }
    let mut layers: [Vec<TaggedSpan>; 3] = Default::default();
    for (g, out) in layers.iter_mut().enumerate() {
        let content = g == 2;
        let max_gap = if content { CONTENT_MAX_GAP } else { 0 };
        // open span: first word, last inside word, summed inside-probability, word count
        let mut open: Option<(usize, usize, f32, usize)> = None;
        for w in 0..enc.words.len() {
            let (mut tag, inside) = tags[w][g];
            if content && tags[w][CUE].0 != O {
                tag = O;
            }
            if let Some(s) = open {
                let too_far = w - s.1 > max_gap + 1 && tag != O;
                let stale = w - s.1 > max_gap;
                let split = if content {
                    let cue_between = (s.1 + 1..w).any(|x| tags[x][CUE].0 != O);
                    let new_sentence = tag == B && enc.words[w].sentence != enc.words[s.1].sentence;
                    cue_between || new_sentence
                } else {
                    tag == B
                };
                if breaks[w] || split || (tag == O && stale) || too_far {
                    out.push(close(enc, s));
                    open = None;
                }
            }
            if tag == O {
                continue;
            }
            open = Some(match open {
                Some((first, _, sum, n)) => (first, w, sum + inside, n + 1),
                None => (w, w, inside, 1),
            });
        }
        if let Some(s) = open.take() {
            out.push(close(enc, s));
        }
    }
    let [cues, sources, contents] = layers;
    ModelTags::Model(Tagged {
        cues,
        sources,
        contents,
    })
}

/// The most probable of O, B, I (B, then I, on ties).
fn argmax3(p: &[f32]) -> usize {
    if p[B] >= p[O] && p[B] >= p[I] {
        B
    } else if p[I] >= p[O] {
        I
    } else {
        O
    }
}

fn close(enc: &Encodings, (first, last, sum, n): (usize, usize, f32, usize)) -> TaggedSpan {
    TaggedSpan {
        span: enc.words[first].span.cover(&enc.words[last].span),
        score: sum / n as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{Token, Word};

    /// One token per whitespace word of `body`, tagged by `tags` (one letter per layer:
    /// cue, source, content).
    fn run(body: &str, tags: &[&str]) -> Tagged {
        run_in(body, tags, AttributionLayout::default())
    }

    /// As [`run`], with the model's groups in the order `layout` declares.
    fn run_in(body: &str, tags: &[&str], layout: AttributionLayout) -> Tagged {
        let mut words = Vec::new();
        let mut tokens = Vec::new();
        let mut pos = 0;
        let mut sentence = 0;
        for (i, w) in body.split([' ', '\n']).enumerate() {
            let span = Span::checked(body, pos, pos + w.len()).expect("boundary");
            tokens.push(Token {
                id: 0,
                span,
                word: i,
            });
            words.push(Word {
                span,
                tokens: i..i + 1,
                sentence,
                casing: 1,
            });
            // a word "." ends the sentence
            sentence += usize::from(w == ".");
            pos += w.len() + 1;
        }
        let mut attribution = Vec::new();
        for t in tags {
            let mut word = [0.0; ATTRIBUTION_WIDTH];
            for (role, c) in t.chars().enumerate() {
                let hot = match c {
                    'B' => 1,
                    'I' => 2,
                    _ => 0,
                };
                let g = layout.groups()[role];
                word[3 * g..3 * g + 3].copy_from_slice(&[0.05; 3]);
                word[3 * g + hot] = 0.9;
            }
            attribution.extend(word);
        }
        let enc = Encodings {
            tokens,
            words,
            windows: vec![],
        };
        let preds = TokenPredictions {
            n_labels: 0,
            probs: vec![],
            attribution,
        };
        match decode(body, &enc, &preds, layout, true) {
            ModelTags::Model(t) => t,
            ModelTags::RulesOnly => panic!("no tags"),
        }
    }

    fn texts<'a>(body: &'a str, spans: &[TaggedSpan]) -> Vec<&'a str> {
        spans.iter().map(|s| s.span.slice(body)).collect()
    }

    #[test]
    fn layers_decode_independently() {
        let body = "Ana said prices will rise";
        // per word: cue, source, content
        let t = run(body, &["OBO", "BOO", "OOB", "OOI", "OOI"]);
        assert_eq!(texts(body, &t.cues), ["said"]);
        assert_eq!(texts(body, &t.sources), ["Ana"]);
        assert_eq!(texts(body, &t.contents), ["prices will rise"]);
    }

    #[test]
    fn roles_are_read_from_the_models_own_group_order() {
        let body = "Ana said prices will rise";
        let v = serde_json::json!({"whosaid": {"attribution": {
            "output": "attribution_logits",
            "groups": ["content", "cue", "source"],
            "tags": ["O", "B", "I"],
        }}});
        let layout = AttributionLayout::from_config_value(&v, std::path::Path::new("c.json"))
            .unwrap()
            .unwrap();
        let tags = ["OBO", "BOO", "OOB", "OOI", "OOI"];
        let t = run_in(body, &tags, layout);
        assert_eq!(t, run(body, &tags));
        assert_eq!(texts(body, &t.cues), ["said"]);
        assert_eq!(texts(body, &t.contents), ["prices will rise"]);
    }

    #[test]
    fn content_bridges_short_gaps_and_ignores_inner_b() {
        let body = "a “ b c B d e";
        let t = run(body, &["OOB", "OOO", "OOI", "OOI", "OOB", "OOI", "OOI"]);
        assert_eq!(texts(body, &t.contents), ["a “ b c B d e"]);
        // three outside words end it
        let body = "a b x y z c d";
        let t = run(body, &["OOB", "OOI", "OOO", "OOO", "OOO", "OOB", "OOI"]);
        assert_eq!(texts(body, &t.contents), ["a b", "c d"]);
    }

    #[test]
    fn content_stops_at_its_cue_and_at_a_new_sentence() {
        // "Q1 , he said , Q2": the content layer runs on over the cue, the cue layer tags it;
        // the cue is outside the content, and the gap holding it is not bridged
        let body = "taxes rise , he said , prices fall";
        let tags = ["OOB", "OOI", "OOI", "OBI", "BOI", "OOO", "OOI", "OOI"];
        let t = run(body, &tags);
        assert_eq!(texts(body, &t.contents), ["taxes rise , he", "prices fall"]);
        assert_eq!(texts(body, &t.cues), ["said"]);
        // a B after a sentence end starts a new content; one inside the sentence does not
        let body = "rates rise . Jobs fall and B wages";
        let tags = ["OOB", "OOI", "OOI", "OOB", "OOI", "OOI", "OOB", "OOI"];
        let t = run(body, &tags);
        assert_eq!(
            texts(body, &t.contents),
            ["rates rise .", "Jobs fall and B wages"]
        );
    }

    #[test]
    fn cues_split_at_b_and_spans_stop_at_line_breaks() {
        let body = "said told";
        let t = run(body, &["BOO", "BOO"]);
        assert_eq!(texts(body, &t.cues), ["said", "told"]);
        let body = "a b\nc d";
        let t = run(body, &["OOB", "OOI", "OOI", "OOI"]);
        assert_eq!(t.contents.len(), 2);
    }

    #[test]
    fn no_attribution_output_means_none() {
        let enc = Encodings::default();
        let preds = TokenPredictions::default();
        let layout = AttributionLayout::default();
        assert_eq!(decode("", &enc, &preds, layout, true), ModelTags::RulesOnly);
    }

    #[test]
    fn inside_cannot_start_a_line() {
        // argmax reads B | I; the I cannot continue across the line break, nor start a span
        let body = "a\nb";
        let t = run(body, &["BOO", "IOO"]);
        assert_eq!(texts(body, &t.cues), ["a"]);
    }
}
