//! The orchestration of the quote stage: the rules in registry order, the join with the
//! model's tags ([`combine`]), then speaker resolution. The only module of `quote` that calls
//! the rule modules; none of them imports it.

use super::claim::{ClaimKind, Quote};
use super::marks::{self, Quoted};
use super::turns::Turns;
use super::words::Words;
use super::{direct, indirect, speaker, tagged};
use crate::article::Article;
use crate::entity::{Entities, ModelTags};
use crate::segment::{punct, Segments};
use crate::span::{Span, SpanIndex};

/// Intersection over union of two spans' lengths.
fn iou(a: Span, b: Span) -> f32 {
    let inter = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f32 / union as f32
    }
}

/// Least intersection over union at which a tagged content is the same claim as a rule's
/// quotation (half of the two together: the tags flicker on the marks and a trailing word).
const COVERS_QUOTATION_IOU: f32 = 0.5;

/// Least confidence (mean tag probability) of a tagged claim that replaces the rules' claims,
/// for a model whose `config.json` does not give its own (`whosaid.merge.min_score`, fitted on
/// dev by `scripts/fit_merge.sh`); below it the rules' claims stand.
pub const TAGGED_MIN_CONFIDENCE: f32 = 0.6;

/// Joins the model's tagged claims with the rules' claims.
///
/// - A rule's direct quote stays (quotation marks are exact). A tagged claim that covers it
///   agrees with it (`model.tagged` joins its `support`); when the quote has no speaker it
///   takes the tagged claim's cue and speaker (or its cue alone when the tagged claim has no
///   speaker). Where the tagged cue or speaker overlaps the rule's, the tagged one's
///   boundaries win: the model learned the annotation's (`said :` with its colon, `said
///   sarcastically`, a source with its title). Its `rule` stays the rule that found it.
/// - Every other tagged claim with a cue and at least `min_score` is kept and replaces the
///   rules' indirect claims it overlaps, whose rules join its `support`, unless it overlaps a
///   quotation the rules found a cue for (a cue-less quotation it overlaps is part of it: a
///   mixed claim). A kept claim with no speaker takes the speaker of a replaced rule claim
///   that read the same cue; one the tags paired with a label's colon takes the cue and
///   speaker of a replaced rule claim whose verb sits between that colon and the content
///   (`Wikinews: Don't you think Darfur is …?`).
/// - A tagged claim with no cue is kept (at least `min_score`, overlapping nothing kept) only
///   when it is the tail of a quotation opened before its paragraph: it starts the paragraph
///   and ends on a closing double mark the rules paired with no opening one (`He represents
///   our greatest shame.”` given alone, as sentence-level input cuts a longer quotation). Its
///   speaker and cue are in text the article does not hold, so it has none. On PolNeAR dev
///   instances the tags' cue-less contents of that shape were exactly right 23 times of 39;
///   other cue-less contents 22 of 110.
/// - A rule's indirect claim that no tagged content touches at all is dropped: on PolNeAR dev
///   such claims were right less often than wrong, while the model's silence was informative.
///   This holds whenever the model ran, also when it tagged nothing in the article. One that
///   a tagged content touches stays, with `model.tagged` in its `support`.
///
/// Returns the non-direct claims.
fn combine(
    body: &str,
    segments: &Segments,
    quoted: &[Quoted],
    direct: &mut [Quote],
    indirect: Vec<Quote>,
    tagged: Vec<Quote>,
    min_score: f32,
) -> Vec<Quote> {
    let mut tagged = tagged;
    // body order (tagged claims come in it already; the sort is stable)
    tagged.sort_by_key(|t| t.content().start);
    let touched = SpanIndex::new(tagged.iter().map(Quote::content));
    let direct_index = SpanIndex::new(direct.iter().map(Quote::content));
    // the quotations the rules found a cue for: a tagged claim may not overlap one
    let cued_index = SpanIndex::new(
        direct
            .iter()
            .filter(|d| d.cue.is_some())
            .map(Quote::content),
    );
    let mut out: Vec<Quote> = Vec::new();
    // running maximum of the ends of `out`'s contents, which start in body order: an earlier
    // kept claim can overlap a new one only while this reaches past the new one's start
    let mut out_max_end: Vec<usize> = Vec::new();
    for t in tagged {
        let tc = t.content();
        let covered = direct_index
            .near(tc, 0)
            .filter(|(_, d)| iou(*d, tc) >= COVERS_QUOTATION_IOU)
            .map(|(i, _)| i)
            .min();
        if let Some(d) = covered.and_then(|i| direct.get_mut(i)) {
            d.agree(t.rule);
            // a cue or source the tags found inside the quotation belongs to a claim nested in
            // it (`“… they wait for praise …”`), never to the quotation itself
            let inside =
                |s: Option<Span>| s.is_some_and(|s| d.pieces.iter().any(|p| p.contains(&s)));
            if inside(t.cue) || inside(t.speaker.as_ref().map(|s| s.mention)) {
                continue;
            }
            if d.speaker.is_none() && t.speaker.is_some() {
                d.cue = t.cue;
                d.speaker = t.speaker;
                continue;
            }
            match (d.cue, t.cue) {
                (None, Some(tc)) => d.cue = Some(tc),
                (Some(dc), Some(tc)) if dc.overlaps(&tc) => d.cue = Some(tc),
                _ => {}
            }
            if let (Some(ds), Some(ts)) = (d.speaker.as_mut(), t.speaker) {
                if ds.mention.overlaps(&ts.mention) {
                    *ds = ts;
                }
            }
            continue;
        }
        let overlaps_out = (0..out.len())
            .rev()
            .take_while(|&k| out_max_end[k] > tc.start)
            .any(|k| out[k].content().overlaps(&tc));
        let free = !overlaps_out && !cued_index.any_overlaps(tc);
        if !free || t.score < min_score {
            continue;
        }
        let mut t = t;
        if t.cue.is_none() {
            if !quotation_tail(body, segments, quoted, tc) {
                continue;
            }
            // the quotation left open at the end of the paragraph before goes on here without
            // an opening mark: the tail is that quotation's last piece
            // (a scan of the direct quotes, made only for a tail that passed every test above)
            let para = |pos: usize| segments.paragraph_at(pos);
            let before = para(tc.start).and_then(|p| p.checked_sub(1));
            let open = direct.iter_mut().find(|d| {
                d.unclosed && before.is_some() && para(d.content().end.saturating_sub(1)) == before
            });
            if let Some(d) = open {
                d.pieces.push(tc);
                d.agree(t.rule);
                continue;
            }
            // quoted speech, though its opening mark is not in the text
            t.kind = ClaimKind::Direct;
        }
        let end = out_max_end.last().copied().unwrap_or(0).max(tc.end);
        out.push(t);
        out_max_end.push(end);
    }
    let kept_index = SpanIndex::new(out.iter().map(Quote::content));
    let mut kept: Vec<Quote> = Vec::new();
    for mut r in indirect {
        let rc = r.content();
        let mut replaced = false;
        for (i, _) in kept_index.overlapping(rc) {
            replaced = true;
            if let Some(t) = out.get_mut(i) {
                t.agree(r.rule);
                // the rule read the same cue and found its speaker where the tags hold none
                let same_cue = matches!((t.cue, r.cue), (Some(a), Some(b)) if a.overlaps(&b));
                if t.speaker.is_none() && same_cue {
                    t.speaker = r.speaker.clone();
                }
                // the tags paired the content with a label's colon, the rule with a verb
                // between that colon and the content (`Wikinews: Don't you think Darfur is
                // …?`): the verb and its subject are the claim's
                let verb_after_colon = matches!(
                    (t.cue, r.cue),
                    (Some(a), Some(b)) if a.slice(body) == ":"
                        && a.end <= b.start
                        && b.end <= t.content().start
                );
                if verb_after_colon && r.speaker.is_some() {
                    t.cue = r.cue;
                    t.speaker = r.speaker.clone();
                }
            }
        }
        if !replaced && touched.any_overlaps(rc) {
            r.agree(tagged::RULE_TAGGED);
            kept.push(r);
        }
    }
    out.extend(kept);
    out
}

/// True when `content` is the tail of a quotation opened before its paragraph: it starts the
/// paragraph and ends on a closing double mark (`”`, `»`, `"`, `''`) inside no quotation the
/// rules paired.
fn quotation_tail(body: &str, segments: &Segments, quoted: &[Quoted], content: Span) -> bool {
    let starts_paragraph = segments
        .paragraph_at(content.start)
        .and_then(|i| segments.paragraphs.get(i))
        .and_then(|p| body.get(p.span.start..content.start))
        .is_some_and(|before| before.trim().is_empty());
    let text = content.slice(body).trim_end();
    let closes = text.ends_with("''")
        || text
            .chars()
            .next_back()
            .is_some_and(|c| punct::is_double(c) && punct::can_close(c));
    let mark_at = content.start + text.len().saturating_sub(1);
    starts_paragraph
        && closes
        && !marks::touching(quoted, Span::new(mark_at, mark_at + 1))
            .iter()
            .any(|q| q.span.start <= mark_at && mark_at < q.span.end)
}

/// Which claims [`attribute_with`] makes when the model ran.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Merge {
    /// The rules' claims joined with the model's tagged claims ([`combine`]): what whosaid
    /// writes. `min_score`: the least mean tag probability of a tagged claim that replaces the
    /// rules' (the model's `whosaid.merge.min_score`, else [`TAGGED_MIN_CONFIDENCE`]).
    Joined {
        /// Least score of a kept tagged claim.
        min_score: f32,
    },
    /// The model's tagged claims alone, every tagged content whatever its cue or score (with
    /// its nearest tagged cue and source): the model's part of the merge, for `eval --parts`.
    ModelAlone,
}

impl Default for Merge {
    fn default() -> Self {
        Merge::Joined {
            min_score: TAGGED_MIN_CONFIDENCE,
        }
    }
}

/// Finds every claim of an article, in body order, from the rules alone or from the rules and
/// the model's attribution tags (`tags`), joined ([`Merge::Joined`] at
/// [`TAGGED_MIN_CONFIDENCE`]).
pub fn attribute(
    article: &Article,
    segments: &Segments,
    entities: &Entities,
    tags: &ModelTags,
) -> Vec<Quote> {
    attribute_with(article, segments, entities, tags, Merge::default())
}

/// [`attribute`], with the choice of what the model's tags make ([`Merge`]; without tags the
/// claims are the rules' alone either way).
pub fn attribute_with(
    article: &Article,
    segments: &Segments,
    entities: &Entities,
    tags: &ModelTags,
    merge: Merge,
) -> Vec<Quote> {
    let body = article.body.as_str();
    if let (Merge::ModelAlone, Some(tags)) = (merge, tags.tagged()) {
        let words = Words::new(body, segments);
        let spans = direct::quoted_spans(body, segments);
        let mut quotes = tagged::tagged_quotes(&words, segments, &spans, tags);
        quotes.sort_by_key(|q| (q.content().start, q.content().end));
        speaker::resolve(
            &words,
            segments,
            entities,
            &Turns::find(&words, segments),
            &mut quotes,
        );
        speaker::merge_continuations(segments, &mut quotes);
        return quotes;
    }
    // the carrier: every word of the article scanned and lower-cased once
    let words = Words::new(body, segments);
    let spans = direct::quoted_spans(body, segments);
    let mut quotes = direct::direct_quotes(&words, segments, &spans);
    let mut indirect = indirect::indirect_quotes(&words, segments, &spans, &quotes);
    // which quotations the rules found a cue for (combine may lend others the model's)
    let rule_cued: Vec<bool> = quotes.iter().map(|q| q.cue.is_some()).collect();
    if let (Some(tags), Merge::Joined { min_score }) = (tags.tagged(), merge) {
        indirect = combine(
            body,
            segments,
            &spans,
            &mut quotes,
            indirect,
            tagged::tagged_quotes(&words, segments, &spans, tags),
            min_score,
        );
    }
    // a cue-less quotation inside indirect content is part of a mixed claim, not a claim
    // (also when only the model's tags gave it a cue: the enclosing claim already has it)
    let indirect_index = SpanIndex::new(indirect.iter().map(Quote::content));
    let mut cued = rule_cued.into_iter();
    quotes.retain(|q| {
        cued.next().unwrap_or(false)
            || !indirect_index
                .near(q.content(), 0)
                .any(|(_, i)| i.contains(&q.content()))
    });
    quotes.extend(indirect);
    // an interviewer's question after a turn label is a prompt, not a claim
    let turns = Turns::find(&words, segments);
    quotes.retain(|q| !q.cue.is_some_and(|c| turns.asks(body, c, q.content())));
    quotes.sort_by_key(|q| (q.content().start, q.content().end));
    speaker::resolve(&words, segments, entities, &turns, &mut quotes);
    speaker::merge_continuations(segments, &mut quotes);
    quotes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::claim::{ClaimKind, Resolution, Speaker};
    use crate::quote::rules::RuleId;

    fn q(rule: RuleId, content: (usize, usize), cue: Option<(usize, usize)>, conf: f32) -> Quote {
        Quote {
            kind: ClaimKind::Indirect,
            pieces: vec![Span::new(content.0, content.1)],
            cue: cue.map(|c| Span::new(c.0, c.1)),
            speaker: cue.map(|c| Speaker {
                mention: Span::new(c.0.saturating_sub(4), c.0),
                cluster: None,
                name: "X".into(),
                resolution: Resolution::None,
            }),
            rule,
            support: Vec::new(),
            score: conf,
            confidence: None,
            unclosed: false,
        }
    }

    /// [`combine`] over `body` segmented and its quotations found as the pipeline does.
    fn combine_in(
        body: &str,
        direct: &mut [Quote],
        indirect: Vec<Quote>,
        tagged: Vec<Quote>,
        min_score: f32,
    ) -> Vec<Quote> {
        let segments = crate::segment::segment_text(body);
        let quoted = direct::quoted_spans(body, &segments);
        combine(
            body, &segments, &quoted, direct, indirect, tagged, min_score,
        )
    }

    /// A cue-less tagged content is a claim only as the tail of a quotation opened before its
    /// paragraph; when the paragraph before ends in a quotation left open, it is that
    /// quotation's last piece.
    #[test]
    fn a_quotation_tail_is_kept_without_a_cue() {
        let at = |body: &str, t: &str| {
            let s = body.find(t).unwrap();
            (s, s + t.len())
        };
        let tag = |body: &str, t: &str, score: f32| {
            let mut x = q(tagged::RULE_TAGGED, at(body, t), None, score);
            x.speaker = None;
            x
        };
        let body = "The ferry will run all winter.”";
        let out = combine_in(body, &mut [], vec![], vec![tag(body, body, 0.9)], 0.6);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, ClaimKind::Direct);
        assert!(out[0].cue.is_none() && out[0].speaker.is_none());
        // too weak, or not at the paragraph start, or no closing mark: no claim
        for (body, t, score) in [
            (body, body, 0.5),
            (
                "Still, the ferry will run all winter.”",
                "the ferry will run all winter.”",
                0.9,
            ),
            (
                "The ferry will run all winter.",
                "The ferry will run all winter.",
                0.9,
            ),
        ] {
            let out = combine_in(body, &mut [], vec![], vec![tag(body, t, score)], 0.6);
            assert!(out.is_empty(), "{body}");
        }
        // the mark closes a quotation the rules paired: not a tail
        let body = "“The ferry will run all winter.”";
        assert!(combine_in(body, &mut [], vec![], vec![tag(body, body, 0.9)], 0.6).is_empty());
        // the quotation opened in the paragraph before and left open there
        let body = "Ana Ruiz said, “We are ready.\n\nThe ferry will run all winter.”";
        let mut open = q(
            RuleId::DirectCueQuote,
            at(body, "“We are ready."),
            Some(at(body, "said")),
            0.9,
        );
        open.kind = ClaimKind::Direct;
        open.unclosed = true;
        let mut direct = vec![open];
        let t = "The ferry will run all winter.”";
        let out = combine_in(body, &mut direct, vec![], vec![tag(body, t, 0.9)], 0.6);
        assert!(out.is_empty());
        assert_eq!(direct[0].pieces.len(), 2);
        assert_eq!(direct[0].pieces[1].slice(body), t);
        assert_eq!(direct[0].support, [tagged::RULE_TAGGED]);
    }

    #[test]
    fn combine_table() {
        let mut direct = vec![Quote {
            speaker: None,
            cue: None,
            ..q(RuleId::DirectNoCue, (0, 20), None, 0.5)
        }];
        let rules = vec![
            q(RuleId::IndirectCueContent, (100, 140), Some((90, 94)), 0.8), // replaced
            q(
                RuleId::IndirectCueContent,
                (200, 240),
                Some((190, 194)),
                0.8,
            ), // kept: tag too weak
            q(
                RuleId::IndirectCueContent,
                (300, 340),
                Some((290, 294)),
                0.8,
            ), // dropped: untouched
        ];
        let tagged = vec![
            q(tagged::RULE_TAGGED, (1, 20), Some((25, 29)), 0.9), // gives the quote its speaker
            q(tagged::RULE_TAGGED, (95, 150), Some((80, 84)), 0.9),
            q(tagged::RULE_TAGGED, (210, 230), Some((180, 184)), 0.3),
            q(tagged::RULE_TAGGED, (400, 440), None, 0.9), // no cue: not a claim
        ];
        let out = combine_in("", &mut direct, rules, tagged, TAGGED_MIN_CONFIDENCE);
        let got: Vec<(String, usize)> = out
            .iter()
            .map(|x| (x.provenance(), x.content().start))
            .collect();
        assert_eq!(
            got,
            [
                ("model.tagged+indirect.cue_content".to_string(), 95),
                ("indirect.cue_content+model.tagged".to_string(), 200)
            ]
        );
        // the quotation keeps its rule; the model that lent its speaker supports it
        assert_eq!(direct[0].rule, RuleId::DirectNoCue);
        assert_eq!(direct[0].support, [tagged::RULE_TAGGED]);
        assert!(direct[0].speaker.is_some());
    }

    /// A tagged claim paired with a turn label's colon takes the verb cue and subject a rule
    /// read between that colon and the content.
    #[test]
    fn a_verb_after_the_label_colon_is_the_cue() {
        let body = "Wikinews: Do you think the bridge will hold?";
        let at = |t: &str| {
            let s = body.find(t).unwrap();
            (s, s + t.len())
        };
        let rule = || {
            let mut r = q(
                RuleId::IndirectCueContent,
                at("the bridge will hold"),
                Some(at("think")),
                0.8,
            );
            r.speaker.as_mut().unwrap().mention = Span::new(at("you").0, at("you").1);
            r
        };
        let tag = q(
            tagged::RULE_TAGGED,
            at("the bridge will hold"),
            Some(at(":")),
            0.9,
        );
        let out = combine_in(body, &mut [], vec![rule()], vec![tag.clone()], 0.6);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].cue.map(|c| c.slice(body)), Some("think"));
        let speaker = out[0].speaker.as_ref().map(|s| s.mention.slice(body));
        assert_eq!(speaker, Some("you"));
        // a verb before the colon is not one the turn's content hangs on
        let body2 = "Ana thinks: the bridge will hold";
        let at2 = |t: &str| {
            let s = body2.find(t).unwrap();
            (s, s + t.len())
        };
        let rule2 = q(
            RuleId::IndirectCueContent,
            at2("the bridge will hold"),
            Some(at2("thinks")),
            0.8,
        );
        let tag2 = q(
            tagged::RULE_TAGGED,
            at2("the bridge will hold"),
            Some(at2(":")),
            0.9,
        );
        let out = combine_in(body2, &mut [], vec![rule2], vec![tag2], 0.6);
        assert_eq!(out[0].cue.map(|c| c.slice(body2)), Some(":"));
    }

    #[test]
    fn a_kept_tagged_claim_without_a_speaker_takes_the_rules_one_for_the_same_cue() {
        let rules = || vec![q(RuleId::IndirectContentCue, (0, 40), Some((46, 50)), 0.8)];
        let speakerless = |cue: (usize, usize)| Quote {
            speaker: None,
            ..q(tagged::RULE_TAGGED, (0, 41), Some(cue), 0.9)
        };
        // same cue: the rule's speaker (mention 42..46) comes over
        let out = combine_in("", &mut [], rules(), vec![speakerless((46, 50))], 0.6);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, tagged::RULE_TAGGED);
        assert_eq!(
            out[0].speaker.as_ref().map(|s| s.mention),
            Some(Span::new(42, 46))
        );
        // another cue: the speaker read for a cue the tagged claim does not use stays out
        let out = combine_in("", &mut [], rules(), vec![speakerless((60, 64))], 0.6);
        assert!(out[0].speaker.is_none());
    }

    #[test]
    fn combine_keeps_a_direct_quote_with_a_speaker_and_drops_untouched_rules() {
        let rules_direct = || vec![q(RuleId::DirectQuoteCue, (0, 20), Some((22, 26)), 0.9)];
        // the model ran and tagged nothing: direct quotes stay as they are, indirect go
        let mut direct = rules_direct();
        let rules = vec![q(
            RuleId::IndirectCueContent,
            (100, 140),
            Some((90, 94)),
            0.8,
        )];
        assert!(combine_in("", &mut direct, rules, Vec::new(), TAGGED_MIN_CONFIDENCE).is_empty());
        assert_eq!(direct, rules_direct());
        // a tagged claim over a direct quote that already has a speaker only supports it
        let mut direct = rules_direct();
        let tagged = vec![q(tagged::RULE_TAGGED, (0, 19), Some((40, 44)), 0.9)];
        assert!(combine_in("", &mut direct, Vec::new(), tagged, TAGGED_MIN_CONFIDENCE).is_empty());
        let mut want = rules_direct();
        want[0].support = vec![tagged::RULE_TAGGED];
        assert_eq!(direct, want);
        // a tagged claim that only touches a rule claim keeps it, and is dropped itself when
        // it overlaps it (only a free tagged claim is added)
        let mut direct = Vec::new();
        let rules = vec![q(
            RuleId::IndirectCueContent,
            (100, 140),
            Some((90, 94)),
            0.8,
        )];
        let tagged = vec![q(tagged::RULE_TAGGED, (130, 160), None, 0.9)];
        let out = combine_in("", &mut direct, rules, tagged, TAGGED_MIN_CONFIDENCE);
        let got: Vec<String> = out.iter().map(|x| x.provenance()).collect();
        assert_eq!(got, ["indirect.cue_content+model.tagged"]);
    }

    #[test]
    fn combine_takes_the_models_boundaries_and_joins_cue_less_quotations() {
        // rule quote: content 0..20, cue "said" 26..30, speaker 22..26; the model's cue
        // "said :" (26..32) and speaker 18..26 overlap them: its boundaries win
        let mut rule = q(RuleId::DirectCueQuote, (40, 60), Some((26, 30)), 0.9);
        rule.kind = ClaimKind::Direct;
        let mut tag = q(tagged::RULE_TAGGED, (40, 60), Some((26, 32)), 0.9);
        if let Some(s) = tag.speaker.as_mut() {
            s.mention = Span::new(18, 26);
        }
        let mut direct = vec![rule.clone()];
        assert!(combine_in("", &mut direct, Vec::new(), vec![tag.clone()], 0.6).is_empty());
        assert_eq!(direct[0].cue, Some(Span::new(26, 32)));
        assert_eq!(
            direct[0].speaker.as_ref().unwrap().mention,
            Span::new(18, 26)
        );
        assert_eq!(direct[0].rule, RuleId::DirectCueQuote);
        // a model cue elsewhere (not overlapping) leaves the rule's
        let mut direct = vec![rule.clone()];
        let far = q(tagged::RULE_TAGGED, (40, 60), Some((70, 74)), 0.9);
        combine_in("", &mut direct, Vec::new(), vec![far], 0.6);
        assert_eq!(direct[0].cue, Some(Span::new(26, 30)));
        // a tagged claim overlapping a cue-less quotation (not covering it) is kept, a mixed
        // claim; one overlapping a quotation the rules gave a cue is not
        let cueless = q(RuleId::DirectNoCue, (50, 60), None, 0.5);
        let wide = q(tagged::RULE_TAGGED, (30, 60), Some((20, 24)), 0.9);
        let mut direct = vec![cueless];
        assert_eq!(
            combine_in("", &mut direct, Vec::new(), vec![wide.clone()], 0.6).len(),
            1
        );
        let mut direct = vec![rule];
        assert!(combine_in("", &mut direct, Vec::new(), vec![wide.clone()], 0.6).is_empty());
        // the least score is the caller's (the model's fitted policy)
        let mut direct = Vec::new();
        assert_eq!(
            combine_in("", &mut direct, Vec::new(), vec![wide.clone()], 0.85).len(),
            1
        );
        assert!(combine_in("", &mut direct, Vec::new(), vec![wide], 0.95).is_empty());
    }

    #[test]
    fn model_ran_differs_from_model_absent() {
        let body = "Officials said the vote was fair and open to all.";
        let article = Article::new("a", body);
        let seg = crate::segment::segment(&article);
        let entities = Entities::default();
        let rules_only = attribute(&article, &seg, &entities, &ModelTags::RulesOnly);
        assert_eq!(rules_only.len(), 1, "{rules_only:?}");
        // the model's part alone: its one tagged content, with no cue and a low score (the
        // merge would drop it), and none of the rules' claims
        let start = body.find("fair").unwrap();
        let content = crate::entity::TaggedSpan {
            span: Span::new(start, start + "fair and open to all".len()),
            score: 0.3,
        };
        let tags = ModelTags::Model(crate::entity::Tagged {
            contents: vec![content],
            ..Default::default()
        });
        let alone = attribute_with(&article, &seg, &entities, &tags, Merge::ModelAlone);
        assert_eq!(alone.len(), 1, "{alone:?}");
        assert_eq!(
            (alone[0].rule, alone[0].content().slice(body)),
            (tagged::RULE_TAGGED, "fair and open to all")
        );
        // merged, the rules' claim stays (the tagged content touches it) and the model supports it
        let merged = attribute(&article, &seg, &entities, &tags);
        assert_eq!(merged.len(), 1, "{merged:?}");
        assert_eq!(merged[0].provenance(), "indirect.cue_content+model.tagged");
        // the model ran and found no attribution here: the rules' indirect claim goes
        let silent = attribute(
            &article,
            &seg,
            &entities,
            &ModelTags::Model(Default::default()),
        );
        assert!(silent.is_empty(), "{silent:?}");
    }
}
