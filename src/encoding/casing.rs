//! Casing classes of words: the shipped model's lower-cased vocabulary cannot see case, so the
//! class of each word is fed as an extra input (`casing_ids`). This is the definition;
//! `scripts/casing.py::casing_class` computes the same for training, and both are checked
//! against one table, `tests/fixtures/casing.json` (here and in `scripts/tests/test_casing.py`).

/// Special and padding tokens.
pub const PAD: u8 = 0;
/// `word`
pub const LOWER: u8 = 1;
/// `Word`, and single capitals such as `A`
pub const TITLE: u8 = 2;
/// `WORD`
pub const UPPER: u8 = 3;
/// `iPhone`, `McDonald`
pub const MIXED: u8 = 4;
/// anything holding a digit
pub const DIGIT: u8 = 5;
/// punctuation and symbols
pub const OTHER: u8 = 6;

/// Casing class of one word's original text.
pub fn class_of(word: &str) -> u8 {
    if word.chars().any(|c| c.is_numeric()) {
        return DIGIT;
    }
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let Some(&first) = letters.first() else {
        return OTHER;
    };
    if letters.iter().all(|c| c.is_lowercase()) {
        LOWER
    } else if letters.iter().all(|c| c.is_uppercase()) {
        if letters.len() > 1 {
            UPPER
        } else {
            TITLE
        }
    } else if first.is_uppercase() && letters[1..].iter().all(|c| c.is_lowercase()) {
        TITLE
    } else {
        MIXED
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_table() {
        let cases = [
            ("word", LOWER),
            ("Word", TITLE),
            ("A", TITLE),
            ("NATO", UPPER),
            ("iPhone", MIXED),
            ("McDonald", MIXED),
            ("1996-08-30", DIGIT),
            ("“", OTHER),
            ("Ångström", TITLE),
            ("ÉTÉ", UPPER),
            ("😀", OTHER),
            ("東京", MIXED),
        ];
        for (w, want) in cases {
            assert_eq!(class_of(w), want, "{w}");
        }
    }

    /// The table the Python side is checked against too.
    #[test]
    fn shared_casing_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/casing.json");
        let table: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let ids = [
            ("PAD", PAD),
            ("LOWER", LOWER),
            ("TITLE", TITLE),
            ("UPPER", UPPER),
            ("MIXED", MIXED),
            ("DIGIT", DIGIT),
            ("OTHER", OTHER),
        ];
        for (name, id) in ids {
            assert_eq!(table["classes"][name], u64::from(id), "{name}");
        }
        let id_of = |name: &str| ids.iter().find(|(n, _)| *n == name).unwrap().1;
        for row in table["words"].as_array().unwrap() {
            let (w, want) = (row[0].as_str().unwrap(), row[1].as_str().unwrap());
            assert_eq!(class_of(w), id_of(want), "{w}: want {want}");
        }
    }
}
