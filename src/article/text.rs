//! One text file = one article; its id is the path relative to the directory given.

use std::io::Read;

use super::{check_body, Article, Open, Origin, ReadOptions};
use crate::error::{Error, Result};
use crate::span::ArticleId;

/// Reads the whole remaining input as one article.
pub(super) fn read_whole(open: &mut Open, options: &ReadOptions) -> Result<Article> {
    let mut bytes = Vec::new();
    let limit = options.max_file_bytes();
    (&mut open.reader)
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| Error::Io {
            path: open.input.path.clone(),
            source,
        })?;
    if bytes.len() > limit {
        return Err(Error::BadInput {
            input: open.input.name.clone(),
            line: 0,
            kind: "too_long",
            message: format!(
                "file is longer than --max-chars {} allows ({limit} bytes); not read further",
                options.max_chars
            ),
        });
    }
    let body = String::from_utf8(bytes).map_err(|e| Error::BadInput {
        input: open.input.name.clone(),
        line: 0,
        kind: "invalid_utf8",
        message: format!("file is not valid UTF-8: {e}"),
    })?;
    check_body(&body, options, &open.input.name, 0)?;
    Ok(Article {
        id: ArticleId(open.input.text_id.clone()),
        title: None,
        body,
        origin: Origin {
            input: open.input.name.clone(),
            line: 0,
        },
    })
}
