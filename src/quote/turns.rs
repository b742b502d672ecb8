//! Interview and transcript layouts: paragraphs that open with a speaker label (`Nick Bos: …`,
//! `WALLACE: …`; the label test of `indirect.colon`), each starting a turn that runs until the
//! next label. In such a layout first person in a turn is the turn's speaker, and second
//! person is the other party of a two-party interview.

use super::indirect::speaker_label;
use super::words::Words;
use crate::segment::punct;
use crate::segment::Segments;
use crate::span::Span;

/// Fewest labelled paragraphs that make an article an interview or transcript: one `Name:`
/// paragraph alone is a headline or a caption, not a layout.
const MIN_TURNS: usize = 2;

/// The turns of an article.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Turns {
    /// Per paragraph, the turn it belongs to (an index into `labels`).
    turn_of_paragraph: Vec<Option<usize>>,
    /// Per turn, the label's span.
    labels: Vec<Span>,
    /// Per turn, its party: the lower-cased label text.
    parties: Vec<String>,
    /// Exactly two parties speak (an interviewer and an interviewee).
    two_parties: bool,
}

impl Turns {
    /// The turns of an article laid out as an interview or transcript; none otherwise.
    pub(crate) fn find(all: &Words<'_>, segments: &Segments) -> Turns {
        let body = all.body();
        let mut out = Turns::default();
        let mut current = None;
        for p in 0..segments.paragraphs.len() {
            let words = all.paragraph(p);
            if let Some((label, _)) = speaker_label(&words) {
                let span = words[label.start].span.cover(&words[label.end - 1].span);
                out.labels.push(span);
                out.parties.push(span.slice(body).to_lowercase());
                current = Some(out.labels.len() - 1);
            }
            out.turn_of_paragraph.push(current);
        }
        if out.labels.len() < MIN_TURNS {
            return Turns::default();
        }
        let mut parties: Vec<&String> = out.parties.iter().collect();
        parties.sort();
        parties.dedup();
        out.two_parties = parties.len() == 2;
        out
    }

    /// The label of the turn paragraph `para` belongs to.
    pub(crate) fn speaker_of(&self, para: usize) -> Option<Span> {
        let t = (*self.turn_of_paragraph.get(para)?)?;
        self.labels.get(t).copied()
    }

    /// True when a claim with this cue and content is a turn's question: the cue is the colon
    /// right after a turn's label and the content ends in a question mark (`Wikinews: Why
    /// bronze?`). An interviewer's prompt is not a claim; the answer is.
    pub(crate) fn asks(&self, body: &str, cue: Span, content: Span) -> bool {
        let after_label = self.labels.iter().any(|l| {
            l.end <= cue.start
                && body
                    .get(l.end..cue.start)
                    .is_some_and(|gap| gap.trim().is_empty())
        });
        // the question mark ends the content, or comes right after it (the tags stop short)
        let closing = |c: char| c.is_whitespace() || punct::can_close(c);
        let asked = content.slice(body).trim_end_matches(closing).ends_with('?')
            || body
                .get(content.end..)
                .is_some_and(|rest| rest.trim_start_matches(closing).starts_with('?'));
        after_label && cue.slice(body) == ":" && asked
    }

    /// In a two-party layout, a label of the party that is not the speaker of paragraph
    /// `para`'s turn: the next turn of the other party, else the one before (a question is
    /// answered after it). `None` with more or fewer parties than two.
    pub(crate) fn other_party(&self, para: usize) -> Option<Span> {
        let t = (*self.turn_of_paragraph.get(para)?)?;
        if !self.two_parties {
            return None;
        }
        let me = &self.parties[t];
        let other = |k: &usize| &self.parties[*k] != me;
        (t + 1..self.labels.len())
            .find(other)
            .or_else(|| (0..t).rev().find(other))
            .map(|k| self.labels[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::segment::segment;

    fn turns(body: &str) -> (Segments, Turns) {
        let a = Article::new("t", body);
        let s = segment(&a);
        let t = Turns::find(&Words::new(body, &s), &s);
        (s, t)
    }

    #[test]
    fn turns_run_from_a_label_to_the_next() {
        let body = "Ana Ruiz spoke to us.\n\nWikinews: Why bronze?\n\nAna Ruiz: I like it. It lasts.\n\nIt also ages well.\n\nWikinews: Thanks.";
        let (s, t) = turns(body);
        let label = |p: usize| t.speaker_of(p).map(|x| x.slice(body));
        assert_eq!(s.paragraphs.len(), 5);
        assert_eq!(
            (0..5).map(label).collect::<Vec<_>>(),
            [
                None,
                Some("Wikinews"),
                Some("Ana Ruiz"),
                Some("Ana Ruiz"),
                Some("Wikinews")
            ]
        );
        // the other party: the interviewee for the interviewer's turns, and back
        assert_eq!(t.other_party(1).map(|x| x.slice(body)), Some("Ana Ruiz"));
        assert_eq!(t.other_party(3).map(|x| x.slice(body)), Some("Wikinews"));
        assert_eq!(t.other_party(0), None);
    }

    #[test]
    fn a_question_after_a_turn_label_is_not_a_claim() {
        let body = "Ana Ruiz spoke to us.\n\nWikinews: Why bronze?\n\nAna Ruiz: It lasts. Why not?\n\nWikinews: It lasts, you say.\n\nShe asked: “Why bronze?”";
        let (_, t) = turns(body);
        let at = |needle: &str| {
            let s = body.find(needle).unwrap();
            Span::new(s, s + needle.len())
        };
        // the colon of the first occurrence of `before:`
        let colon = |before: &str| {
            let s = body.find(&format!("{before}:")).unwrap() + before.len();
            Span::new(s, s + 1)
        };
        let cases = [
            (colon("Wikinews"), at("Why bronze?"), true),
            // a turn that ends in a question, whoever speaks it
            (colon("Ana Ruiz"), at("It lasts. Why not?"), true),
            (colon("Ana Ruiz"), at("It lasts."), false),
            // the question mark right after a content that stops short of it
            (colon("Wikinews"), at("Why bronze"), true),
            // a colon that follows no label: a cue in the text, not a turn
            (colon("She asked"), at("“Why bronze?”"), false),
        ];
        for (cue, content, want) in cases {
            assert_eq!(t.asks(body, cue, content), want, "{}", content.slice(body));
        }
        assert!(!Turns::default().asks(body, colon("Wikinews"), at("Why bronze?")));
    }

    #[test]
    fn one_label_or_three_parties_is_not_a_two_party_interview() {
        let (_, t) = turns("Update: the bridge is open.\n\nThe mayor was there.");
        assert_eq!(t, Turns::default());
        let body =
            "A: x\n\nBen Ode: one two three.\n\nCy Dee: four five six.\n\nEd Fox: seven eight.";
        let (_, t) = turns(body);
        assert!(t.speaker_of(1).is_some());
        assert_eq!(t.other_party(1), None);
    }
}
