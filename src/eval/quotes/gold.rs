//! The attribution gold reader of `eval quotes` (PolNeAR-style JSONL), with its span checks.

use super::GoldArticle;
use crate::error::Result;

/// Reads attribution gold JSONL (one [`GoldArticle`] per non-blank line) and checks it: every
/// line valid UTF-8 and JSON, every piece with `start <= end <= ` the text's length in code
/// points, and, where a piece gives its `text`, that text equal to the slice it names. Any
/// problem is an [`Error::Gold`](crate::error::Error::Gold) naming the file, the line and the field.
pub fn parse_gold(bytes: &[u8], path: &std::path::Path) -> Result<Vec<GoldArticle>> {
    crate::eval::read_jsonl(
        bytes,
        path,
        "a gold article (`text`, `attributions`)",
        check_article,
    )
}

/// The span checks of [`parse_gold`] for one article.
fn check_article(g: &GoldArticle) -> std::result::Result<(), String> {
    let chars: Vec<char> = g.text.chars().collect();
    for (a, att) in g.attributions.iter().enumerate() {
        for (role, pieces) in [
            ("source", &att.source),
            ("cue", &att.cue),
            ("content", &att.content),
        ] {
            for (k, p) in pieces.iter().enumerate() {
                let field = format!("attributions[{a}].{role}[{k}]");
                if p.start > p.end {
                    return Err(format!("{field}: start {} is after end {}", p.start, p.end));
                }
                if p.end > chars.len() {
                    return Err(format!(
                        "{field}: end {} is past the text ({} code points)",
                        p.end,
                        chars.len()
                    ));
                }
                let slice: String = chars[p.start..p.end].iter().collect();
                if !p.text.is_empty() && slice != p.text {
                    return Err(format!(
                        "{field}: text {:?} does not match the slice [{}, {}) of the article, {:?}",
                        p.text, p.start, p.end, slice
                    ));
                }
            }
        }
    }
    Ok(())
}
