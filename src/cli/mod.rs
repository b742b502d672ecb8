//! The command line: flag parsing, loading, error reporting and the exit-code policy.
//! The only place `anyhow` is used.
//!
//! Exit codes: 0 every article processed; 2 some articles failed (each reported on stderr and
//! in `--errors`); 3 the run could not start (bad flags, model or runtime that will not load).
//! A closed stdout (broken pipe) exits 0 quietly.

mod args;
mod cmd_eval;
mod cmd_export;
mod cmd_extract;
mod cmd_render;
mod config;
mod schema;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, EvalCommand};

/// Exit code when some articles failed.
pub const EXIT_PARTIAL: u8 = 2;
/// Exit code when the run could not start.
pub const EXIT_FATAL: u8 = 3;

/// Parses flags, runs the command, maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_FATAL } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Extract(a) => cmd_extract::run(a),
        Command::Eval(EvalCommand::Ner(a)) => cmd_eval::ner(a),
        Command::Eval(EvalCommand::Quotes(a)) => cmd_eval::quotes(a),
        Command::Eval(EvalCommand::Attribution(a)) => cmd_eval::attribution(a),
        Command::Eval(EvalCommand::Speakers(a)) => cmd_eval::speakers(a),
        Command::Schema => schema::print(),
        Command::Render(a) => cmd_render::run(a),
        Command::Export(a) => cmd_export::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("whosaid: error: {e:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

/// Creates (truncates) an output file, buffered, with the path in the error.
fn create_file(path: &std::path::Path) -> anyhow::Result<std::io::BufWriter<std::fs::File>> {
    use anyhow::Context;
    let f = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(std::io::BufWriter::new(f))
}

/// The texts of `--text` inputs by article id; an unreadable item is reported and skipped.
fn read_texts(args: &args::TextArgs) -> std::collections::HashMap<String, String> {
    use whosaid::article::{ArticleReader, FieldNames, ReadOptions};
    let options = ReadOptions {
        fields: FieldNames {
            id: args.id_field.clone(),
            text: args.text_field.clone(),
            ..FieldNames::default()
        },
        ..ReadOptions::default()
    };
    let mut texts = std::collections::HashMap::new();
    for a in ArticleReader::new(&args.text, options) {
        match a {
            Ok(a) => {
                texts.insert(a.id.0, a.body);
            }
            Err(e) => eprintln!(
                "whosaid: skipped a --text item: {:#}",
                anyhow::Error::new(e)
            ),
        }
    }
    texts
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
