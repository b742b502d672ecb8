//! One article per JSONL line. Bad lines become per-line errors; blank lines are skipped.

use std::io::BufRead;

use serde_json::Value;

use super::{check_body, Article, Open, Origin, ReadOptions};
use crate::error::{Error, Result};
use crate::span::ArticleId;

/// Names of the JSON fields read from each line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldNames {
    /// Field holding the article id (string or number); default `id`.
    pub id: String,
    /// Field holding the article text; default `text`.
    pub text: String,
    /// Field holding an optional title; default `title`.
    pub title: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            id: "id".into(),
            text: "text".into(),
            title: "title".into(),
        }
    }
}

/// Reads the next non-blank line. `None` at end of input; `Some(Err(Error::Io))` when the
/// stream itself fails (a truncated gzip), after which the input is abandoned.
pub(super) fn next_line(open: &mut Open, options: &ReadOptions) -> Option<Result<Article>> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match open.reader.read_until(b'\n', &mut buf) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(source) => {
                return Some(Err(Error::Io {
                    path: open.input.path.clone(),
                    source,
                }))
            }
        }
        open.line += 1;
        if buf.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        return Some(parse_line(&buf, &open.input.name, open.line, options));
    }
}

/// Parses one JSONL line into an article.
pub(crate) fn parse_line(
    bytes: &[u8],
    input: &str,
    line: u64,
    options: &ReadOptions,
) -> Result<Article> {
    let bad = |kind, message: String| Error::BadInput {
        input: input.to_string(),
        line,
        kind,
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| bad("invalid_utf8", format!("line is not valid UTF-8: {e}")))?;
    let value: Value = serde_json::from_str(text.trim_end_matches(['\n', '\r']))
        .map_err(|e| bad("invalid_json", format!("invalid JSON: {e}")))?;
    let Value::Object(mut obj) = value else {
        return Err(bad("not_object", "line is not a JSON object".into()));
    };
    let f = &options.fields;
    let id = match obj.get(&f.id) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Null) | None => format!("{input}:{line}"),
        Some(_) => {
            return Err(bad(
                "bad_id",
                format!("field `{}` is neither a string nor a number", f.id),
            ))
        }
    };
    let body = match obj.remove(&f.text) {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(bad(
                "bad_text",
                format!("field `{}` is not a string (article {id})", f.text),
            ))
        }
        None => {
            return Err(bad(
                "missing_text",
                format!("no field `{}` (article {id})", f.text),
            ))
        }
    };
    let title = match obj.remove(&f.title) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    check_body(&body, options, input, line)?;
    Ok(Article {
        id: ArticleId(id),
        title,
        body,
        origin: Origin {
            input: input.to_string(),
            line,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Article> {
        parse_line(s.as_bytes(), "in.jsonl", 7, &ReadOptions::default())
    }

    #[test]
    fn reads_id_text_title() {
        let a = parse(r#"{"id": 12, "text": "Zoë said “hi”.", "title": "T"}"#).unwrap();
        assert_eq!(a.id.0, "12");
        assert_eq!(a.body, "Zoë said “hi”.");
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.origin.line, 7);
    }

    #[test]
    fn bad_lines_are_errors_with_kinds() {
        let cases = [
            ("{not json", "invalid_json"),
            ("[1, 2]", "not_object"),
            (r#"{"id": "a"}"#, "missing_text"),
            (r#"{"id": "a", "text": 5}"#, "bad_text"),
            (r#"{"id": "a", "text": "x\u0000y"}"#, "nul_byte"),
        ];
        for (line, kind) in cases {
            let err = parse(line).unwrap_err();
            assert_eq!(err.kind(), kind, "{line}");
        }
        let err = parse_line(b"{\"text\": \"\xff\"}", "x", 1, &ReadOptions::default());
        assert_eq!(err.unwrap_err().kind(), "invalid_utf8");
    }

    #[test]
    fn missing_id_gets_input_and_line() {
        let a = parse(r#"{"text": ""}"#).unwrap();
        assert_eq!(a.id.0, "in.jsonl:7");
    }

    #[test]
    fn max_chars_guard() {
        let opts = ReadOptions {
            max_chars: 3,
            ..ReadOptions::default()
        };
        let err = parse_line(br#"{"text": "abcd"}"#, "x", 1, &opts).unwrap_err();
        assert_eq!(err.kind(), "too_long");
    }
}
