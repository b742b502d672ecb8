//! Writes one record per line. Each line is serialized whole before it is written, so a crash
//! leaves at most one torn line (the last), which `--resume` repairs.

use std::io::{self, Write};

use super::Record;

/// Buffered JSONL writer.
pub struct RecordWriter<W: Write> {
    out: io::BufWriter<W>,
    line: Vec<u8>,
}

impl<W: Write> RecordWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> RecordWriter<W> {
        RecordWriter {
            out: io::BufWriter::with_capacity(1 << 16, out),
            line: Vec::with_capacity(4096),
        }
    }

    /// Writes one record as one line.
    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, record).map_err(io::Error::other)?;
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    /// Flushes buffered lines (called after each batch, so progress is durable).
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
