//! Quotation marks, stated once. Segmentation reads them to end a sentence after a closing
//! mark and to look past an opening one; the quote stage pairs them into quotations
//! (`quote::marks`), trims them off contents and tells speech from scare quotes with them.
//!
//! A mark is double (`“ ” „ « » "`, and the doubled `''` and ``` `` ```, which
//! `quote::marks` reads as one double mark) or single (`‘ ’ ‹ › '` and the backtick); it
//! opens (`“ „ « ‘ ‹` and the backtick), closes (`” » ’ ›`), or faces either way (the
//! straight `"` and `'`, decided from their neighbours). `“` also closes in texts that use it
//! at both ends, and `’` is also the apostrophe: `quote::marks` decides those from context.

/// Marks that open a quotation.
pub(crate) const OPENING: &[char] = &['“', '„', '«', '‘', '‹', '`'];
/// Marks that close a quotation.
pub(crate) const CLOSING: &[char] = &['”', '»', '’', '›'];
/// Straight marks: open or close, by their neighbours.
pub(crate) const STRAIGHT: &[char] = &['"', '\''];
/// The double marks.
pub(crate) const DOUBLE: &[char] = &['"', '“', '”', '„', '«', '»'];

/// True for every quotation mark, double or single, of any facing.
pub(crate) fn is_quote_mark(c: char) -> bool {
    OPENING.contains(&c) || CLOSING.contains(&c) || STRAIGHT.contains(&c)
}

/// True for a mark that can open a quotation (opening or straight).
pub(crate) fn can_open(c: char) -> bool {
    OPENING.contains(&c) || STRAIGHT.contains(&c)
}

/// True for a mark that can close a quotation (closing or straight).
pub(crate) fn can_close(c: char) -> bool {
    CLOSING.contains(&c) || STRAIGHT.contains(&c)
}

/// True for a double mark.
pub(crate) fn is_double(c: char) -> bool {
    DOUBLE.contains(&c)
}

/// True for a double mark that only opens (`“ „ «`), never the straight `"`.
pub(crate) fn opens_double(c: char) -> bool {
    is_double(c) && OPENING.contains(&c)
}

/// True for a double mark that only closes (`” »`), never the straight `"`.
pub(crate) fn closes_double(c: char) -> bool {
    is_double(c) && CLOSING.contains(&c)
}

/// The mark a word-scanner token is, when it is one character of [`is_quote_mark`].
pub(crate) fn mark_token(w: &str) -> Option<char> {
    let mut cs = w.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) if is_quote_mark(c) => Some(c),
        _ => None,
    }
}

/// True when the token `w` is one quotation mark.
pub(crate) fn is_mark_token(w: &str) -> bool {
    mark_token(w).is_some()
}

/// True when the token `w` is a mark that can close a quotation.
pub(crate) fn is_closing_token(w: &str) -> bool {
    mark_token(w).is_some_and(can_close)
}

/// True when the token `w` is a double mark that can open a quotation (`“ „ « "`).
pub(crate) fn is_double_opening_token(w: &str) -> bool {
    mark_token(w).is_some_and(|c| is_double(c) && can_open(c))
}

/// True when the token `w` is a double mark that can close a quotation (`” » "`).
pub(crate) fn is_double_closing_token(w: &str) -> bool {
    mark_token(w).is_some_and(|c| is_double(c) && can_close(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classes_partition_the_marks() {
        for c in OPENING.iter().chain(CLOSING).chain(STRAIGHT) {
            let classes = [OPENING, CLOSING, STRAIGHT]
                .iter()
                .filter(|l| l.contains(c))
                .count();
            assert_eq!(classes, 1, "{c:?} is in {classes} facing classes");
            assert!(is_quote_mark(*c));
        }
        for c in DOUBLE {
            assert!(is_quote_mark(*c), "{c:?}");
        }
        assert!(can_open('"') && can_close('"') && !can_open('”') && !can_close('“'));
        assert!(is_mark_token("«") && !is_mark_token("x") && !is_mark_token("''"));
        assert!(is_closing_token("’") && !is_closing_token("„"));
        assert!(opens_double('„') && !opens_double('"') && !opens_double('‘'));
        assert!(closes_double('»') && !closes_double('"') && !closes_double('’'));
    }
}
