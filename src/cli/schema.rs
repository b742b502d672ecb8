//! `whosaid schema`: the JSON Schema of the record, as committed in `schema/record.schema.json`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

/// The schema, compiled in.
pub const RECORD_SCHEMA: &str = include_str!("../../schema/record.schema.json");

/// Prints the schema.
pub fn print() -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    out.write_all(RECORD_SCHEMA.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
