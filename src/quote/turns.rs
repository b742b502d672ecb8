//! Interview and transcript layouts: paragraphs that open with a speaker label (`Nick Bos: …`,
//! `WALLACE: …`; the label test of `indirect.colon`), each starting a turn that runs until the
//! next label. In such a layout first person in a turn is the turn's speaker, and second
//! person is the other party of a two-party interview.

use super::indirect::speaker_label;
use super::words::Words;
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
