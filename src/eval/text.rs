//! The text reports of the evaluations, one table printer for all of them: P/R/F1 cells,
//! the per-type table of `eval ner`, the role / kind / rule / reliability tables of
//! `eval quotes`, the role table of `eval attribution`, and the CoNLL prediction columns.

use std::fmt::Write as _;

use super::attribution::AttributionScores;
use super::ner::NerScores;
use super::quotes::QuoteScores;
use super::speakers::{SpeakerScores, SpeakerSlice};
use super::Prf;

/// Precision, recall and F1 as three cells of width 6, 3 decimals.
pub fn prf_cells(p: &Prf) -> String {
    format!("{:>6.3} {:>6.3} {:>6.3}", p.precision, p.recall, p.f1)
}

fn ner_row(name: &str, p: &Prf) -> String {
    format!(
        "{name:<10} {:>9.4} {:>9.4} {:>9.4} {:>8}",
        p.precision, p.recall, p.f1, p.support
    )
}

/// The per-type table of `eval ner`, micro last.
pub fn ner_table(scores: &NerScores) -> String {
    let mut out = format!(
        "{:<10} {:>9} {:>9} {:>9} {:>8}\n",
        "type", "precision", "recall", "f1", "support"
    );
    for (k, p) in &scores.per_type {
        out.push_str(&ner_row(k, p));
        out.push('\n');
    }
    out.push_str(&ner_row("micro", &scores.micro));
    out.push('\n');
    out
}

/// The text report of `eval quotes`: counts, the role table (exact and overlap), by gold kind,
/// by rule, and the reliability table.
pub fn quotes_report(s: &QuoteScores, seconds: f64, missing: usize) -> String {
    let mut out = String::new();
    // writing into a String cannot fail
    let _ = write_quotes(&mut out, s, seconds, missing);
    out
}

fn write_quotes(
    out: &mut String,
    s: &QuoteScores,
    seconds: f64,
    missing: usize,
) -> std::fmt::Result {
    writeln!(
        out,
        "{} articles, {} gold attributions, {} predicted claims, {seconds:.1}s",
        s.articles, s.gold, s.predicted
    )?;
    if missing > 0 {
        writeln!(
            out,
            "{missing} gold articles had no record (scored as no claims)"
        )?;
    }
    writeln!(
        out,
        "{:<24} {:>20} {:>20}",
        "", "exact P/R/F1", "overlap P/R/F1"
    )?;
    for (name, r) in [
        ("content", &s.content),
        ("source", &s.source),
        ("cue", &s.cue),
    ] {
        writeln!(
            out,
            "{name:<24} {} {}",
            prf_cells(&r.exact),
            prf_cells(&r.overlap)
        )?;
    }
    writeln!(out, "by gold kind (content overlap | source exact):")?;
    for (k, r) in &s.by_kind {
        writeln!(
            out,
            "  {k:<22} {} | {}   gold {} pred {}",
            prf_cells(&r.content.overlap),
            prf_cells(&r.source.exact),
            r.gold,
            r.predicted
        )?;
    }
    writeln!(
        out,
        "by rule (content overlap precision, exact precision, source exact precision):"
    )?;
    for (k, r) in &s.by_rule {
        writeln!(
            out,
            "  {k:<22} n={:<5} {:>6.3} {:>6.3} {:>6.3}",
            r.predicted,
            r.content.overlap.precision,
            r.content.exact.precision,
            r.source.exact.precision
        )?;
    }
    writeln!(
        out,
        "reliability (confidence bin: claims, mean confidence, content overlap precision; ECE {:.3}, Brier {:.4}):",
        s.reliability.ece, s.reliability.brier
    )?;
    for b in s.reliability.bins.iter().filter(|b| b.predicted > 0) {
        writeln!(
            out,
            "  [{:.1}, {:.1})  n={:<5} {:>6.3} {:>6.3}",
            b.from, b.to, b.predicted, b.mean_confidence, b.precision
        )?;
    }
    Ok(())
}

/// The text report of `eval attribution`: per role, exact and begin P/R/F1.
pub fn attribution_report(
    s: &AttributionScores,
    failed: usize,
    missing: usize,
    seconds: f64,
) -> String {
    let mut out = format!(
        "{} instances ({failed} failed, {missing} without a record) in {seconds:.1}s; spans exact (first and last token) | begin (first token)\n",
        s.instances
    );
    out.push_str(&format!(
        "{:<8} {:>6} {:>6} {:>6} | {:>6} {:>6} {:>6} {:>7}\n",
        "role", "P", "R", "F1", "P", "R", "F1", "gold"
    ));
    for (name, r) in [
        ("source", &s.source),
        ("cue", &s.cue),
        ("content", &s.content),
    ] {
        out.push_str(&format!(
            "{name:<8} {} | {} {:>7}\n",
            prf_cells(&r.exact),
            prf_cells(&r.begin),
            r.exact.support
        ));
    }
    out.push_str(&format!(
        "error classes of the gold spans (spurious: predicted spans overlapping none)\n{:<8} {:>6} {:>6} {:>6} {:>9} {:>9} {:>6} {:>8}\n",
        "role", "gold", "exact", "missed", "over-ext.", "cut short", "split", "spurious"
    ));
    for (name, r) in [
        ("source", &s.source),
        ("cue", &s.cue),
        ("content", &s.content),
    ] {
        let e = &r.errors;
        out.push_str(&format!(
            "{name:<8} {:>6} {:>6} {:>6} {:>9} {:>9} {:>6} {:>8}\n",
            e.gold, e.exact, e.missed, e.over_extended, e.cut_short, e.split, e.spurious
        ));
    }
    out
}

/// The text report of `eval speakers`: found, right and strict per slice.
pub fn speakers_report(s: &SpeakerScores, seconds: f64, missing: usize) -> String {
    let mut out = format!(
        "{} documents, {} gold attributions, {} predicted claims, {seconds:.1}s\n",
        s.documents, s.all.gold, s.predicted
    );
    if missing > 0 {
        out.push_str(&format!(
            "{missing} gold documents had no record (scored as no claims)\n"
        ));
    }
    out.push_str(&format!(
        "{:<22} {:>5} {:>7} {:>7} {:>7} {:>9}\n",
        "", "gold", "found", "right", "strict", "end2end"
    ));
    let mut row = |name: &str, sl: &SpeakerSlice| {
        out.push_str(&format!(
            "{name:<22} {:>5} {:>7.3} {:>7.3} {:>7.3} {:>9.3}\n",
            sl.gold,
            sl.claim_recall(),
            sl.accuracy(),
            sl.accuracy_strict(),
            sl.end_to_end_strict()
        ));
    };
    row("all", &s.all);
    for (k, sl) in &s.by_speaker_kind {
        row(&format!("gold kind {k}"), sl);
    }
    for (k, sl) in &s.by_resolution {
        row(&format!("resolved {k}"), sl);
    }
    out.push_str("each gold attribution in one class (see `eval::speakers::error_class`):\n");
    for (k, n) in &s.classes {
        out.push_str(&format!(
            "  {k:<44} {n:>5} {:>7.3}\n",
            SpeakerSlice::ratio(*n, s.all.gold)
        ));
    }
    out.push_str(&format!(
        "speaker name accuracy {:.3} ({} named); claim precision {:.3} ({} of {} claims overlap gold)\n",
        s.name_accuracy(),
        s.named,
        s.claim_precision(),
        s.claims_overlapping_gold,
        s.predicted
    ));
    out
}

/// One sentence as CoNLL columns `token gold predicted`, then a blank line (the
/// `--predictions` files of `eval ner` and `eval attribution`, which conlleval reads).
pub fn write_columns<T: std::fmt::Display, G: std::fmt::Display, P: std::fmt::Display>(
    w: &mut dyn std::io::Write,
    tokens: &[T],
    gold: &[G],
    pred: &[P],
) -> std::io::Result<()> {
    for ((t, g), p) in tokens.iter().zip(gold).zip(pred) {
        writeln!(w, "{t} {g} {p}")?;
    }
    writeln!(w)
}

/// The `--parts` table of `eval quotes`: per part (rules alone, model alone, merged) the F1
/// of content (exact and by overlap), source and cue (exact), and the claims predicted.
pub fn quotes_parts(rows: &[(&'static str, QuoteScores)]) -> String {
    let mut out = format!(
        "{:<12} {:>14} {:>16} {:>15} {:>12} {:>10}\n",
        "part", "content exact", "content overlap", "source exact", "cue exact", "predicted"
    );
    for (name, s) in rows {
        out.push_str(&format!(
            "{name:<12} {:>14.3} {:>16.3} {:>15.3} {:>12.3} {:>10}\n",
            s.content.exact.f1,
            s.content.overlap.f1,
            s.source.exact.f1,
            s.cue.exact.f1,
            s.predicted
        ));
    }
    out
}

/// The `--parts` table of `eval attribution`: per part (rules alone, model alone, merged)
/// exact F1 of content, source and cue, and precision and recall of each.
pub fn attribution_parts(rows: &[(&'static str, AttributionScores)]) -> String {
    let mut out = format!(
        "exact F1 (P/R) per role\n{:<12} {:>22} {:>22} {:>22}\n",
        "part", "content", "source", "cue"
    );
    for (name, s) in rows {
        let cell = |p: &Prf| format!("{:.3} ({:.3}/{:.3})", p.f1, p.precision, p.recall);
        out.push_str(&format!(
            "{name:<12} {:>22} {:>22} {:>22}\n",
            cell(&s.content.exact),
            cell(&s.source.exact),
            cell(&s.cue.exact)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prf(p: f64, r: f64, support: usize) -> Prf {
        Prf {
            precision: p,
            recall: r,
            f1: 2.0 * p * r / (p + r),
            support,
        }
    }

    #[test]
    fn tables_are_aligned_columns() {
        let mut scores = NerScores::default();
        scores.per_type.insert("PER".into(), prf(0.5, 1.0, 2));
        scores.micro = prf(0.5, 1.0, 2);
        let t = ner_table(&scores);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[1],
            "PER           0.5000    1.0000    0.6667        2"
        );
        assert!(lines[2].starts_with("micro "));
        let a = attribution_report(&AttributionScores::default(), 1, 2, 0.04);
        assert!(
            a.starts_with("0 instances (1 failed, 2 without a record) in 0.0s"),
            "{a}"
        );
        assert_eq!(a.lines().count(), 10);
        let q = quotes_report(&QuoteScores::default(), 1.0, 3);
        assert!(q.contains("3 gold articles had no record"), "{q}");
        let mut cols = Vec::new();
        write_columns(&mut cols, &["a", "b"], &["O", "B-PER"], &["O", "O"]).unwrap();
        assert_eq!(String::from_utf8(cols).unwrap(), "a O O\nb B-PER O\n\n");
    }
}
