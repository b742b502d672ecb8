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
    let limit = options.max_line_bytes();
    loop {
        buf.clear();
        let (n, whole) = match read_line_bounded(&mut open.reader, &mut buf, limit) {
            Ok(r) => r,
            Err(source) => {
                return Some(Err(Error::Io {
                    path: open.input.path.clone(),
                    source,
                }))
            }
        };
        if n == 0 {
            return None;
        }
        open.line += 1;
        if !whole {
            return Some(Err(Error::BadInput {
                input: open.input.name.clone(),
                line: open.line,
                kind: "too_long",
                message: format!(
                    "line of {n} bytes is longer than --max-chars {} allows ({limit} bytes); skipped unread",
                    options.max_chars
                ),
            }));
        }
        if buf.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        return Some(parse_line(&buf, &open.input.name, open.line, options));
    }
}

/// Reads one line (through its `\n`) into `buf`, keeping at most `limit` bytes: the rest of a
/// longer line is consumed and dropped. Returns the line's full length in bytes and whether it
/// was kept whole.
fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    let mut total = 0;
    let mut whole = true;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((total, whole));
        }
        let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if whole && buf.len() + take <= limit {
            buf.extend_from_slice(&chunk[..take]);
        } else if whole {
            whole = false;
            buf.clear();
            buf.shrink_to_fit();
        }
        total += take;
        reader.consume(take);
        if done {
            return Ok((total, whole));
        }
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
    from_value(value, input, line, options)
}

/// Turns one parsed JSON value into an article: the checks of a JSONL line after parsing
/// (an object, an id that is a string or number, a string text within `max_chars`), for
/// callers that hold the value already (the Python binding). `input` and `line` name it in
/// errors and in the default id `input:line`.
pub fn from_value(value: Value, input: &str, line: u64, options: &ReadOptions) -> Result<Article> {
    let bad = |kind, message: String| Error::BadInput {
        input: input.to_string(),
        line,
        kind,
        message,
    };
    let Value::Object(mut obj) = value else {
        return Err(bad("not_object", "item is not a JSON object".into()));
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
mod bounded_tests {
    use super::read_line_bounded;

    #[test]
    fn long_lines_are_consumed_but_not_kept() {
        let text = "short\n0123456789abcdef\nlast".as_bytes();
        let mut r = std::io::BufReader::with_capacity(4, text);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        loop {
            buf.clear();
            let (n, whole) = read_line_bounded(&mut r, &mut buf, 8).unwrap();
            if n == 0 {
                break;
            }
            got.push((n, whole, String::from_utf8(buf.clone()).unwrap()));
        }
        assert_eq!(
            got,
            [
                (6, true, "short\n".to_string()),
                (17, false, String::new()),
                (4, true, "last".to_string())
            ]
        );
    }
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
