//! Raw command-line values (clap derive). Validation and loading happen in `config.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Entities, speakers and claims (who said what) from news articles, one JSONL record per
/// article.
#[derive(Debug, Parser)]
#[command(name = "whosaid", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract entities, speakers and claims from articles into JSONL records.
    Extract(ExtractArgs),
    /// Score the pipeline against a labelled sample.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Print the JSON Schema of the output record.
    Schema,
    /// Render records as one self-contained HTML page (entities, claims, speakers, filters).
    Render(RenderArgs),
    /// Write records as pre-annotations for a labelling tool (Label Studio tasks, doccano
    /// lines): labellers correct them, and the tool's export reads back into `eval`.
    Export(ExportArgs),
}

/// `whosaid export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Records written by `whosaid extract`.
    #[arg(value_name = "RECORDS.jsonl")]
    pub records: PathBuf,
    /// The tool to write for.
    #[arg(long, value_enum)]
    pub format: ExportFormatArg,
    /// The input the records came from: the texts to label (--text is required here).
    #[command(flatten)]
    pub texts: TextArgs,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The articles records came from, for commands that show or export their text.
#[derive(Debug, Args)]
pub struct TextArgs {
    /// The input the records came from (same forms as `extract` inputs).
    #[arg(long, value_name = "INPUT")]
    pub text: Vec<PathBuf>,
    /// JSON field holding the article id in --text inputs.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// JSON field holding the article text in --text inputs.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
}

/// `whosaid export --format` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormatArg {
    /// Label Studio tasks (JSON list) with the records as predictions.
    LabelStudio,
    /// doccano JSONL with entities and relations.
    Doccano,
}

/// How `eval` reads its gold.
#[derive(Debug, Args, Clone)]
pub struct GoldArgs {
    /// Gold format; `auto` decides by extension and content and says what it found.
    #[arg(long = "format", value_enum, default_value_t = GoldFormatArg::Auto)]
    pub format: GoldFormatArg,
    /// JSON label mapping for other annotation schemes: `source`, `cue`, `content` (span
    /// labels), `attribution_events` (brat event types), `entities` (label renames).
    #[arg(long, value_name = "FILE.json")]
    pub mapping: Option<PathBuf>,
    /// With several annotators per article: score against the first (brat files in name
    /// order, Label Studio's first submitted annotation) or against each.
    #[arg(long, value_enum, default_value_t = AnnotatorsArg::First)]
    pub annotators: AnnotatorsArg,
}

/// `eval --format` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GoldFormatArg {
    /// By extension and content.
    Auto,
    /// CoNLL columns (`eval ner`).
    Conll,
    /// whosaid / PolNeAR attribution JSONL (`eval quotes`).
    Polnear,
    /// brat standoff directory (also PolNeAR's text/ + attributions/ layout).
    Brat,
    /// Label Studio JSON export.
    LabelStudio,
    /// doccano JSONL export.
    Doccano,
}

/// `eval --annotators` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AnnotatorsArg {
    /// The first annotation of each article.
    First,
    /// Every annotation, each its own gold article.
    All,
}

/// `whosaid render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Records written by `whosaid extract`.
    #[arg(value_name = "RECORDS.jsonl")]
    pub records: PathBuf,
    /// The input the records came from, to show the text.
    #[command(flatten)]
    pub texts: TextArgs,
    /// Output HTML file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Model and runtime flags shared by every command that runs the model.
#[derive(Debug, Args, Clone)]
pub struct ModelArgs {
    /// Model directory (model.int8.onnx or model.onnx, tokenizer.json, config.json).
    /// Default: $WHOSAID_MODEL, then models/minilm-conll03 next to the binary's repository,
    /// then ./models/minilm-conll03.
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// ONNX file inside the model directory (default: model.int8.onnx if present, else model.onnx).
    #[arg(long, value_name = "FILE")]
    pub onnx_file: Option<String>,
    /// ONNX Runtime shared library (libonnxruntime.so). Default: $ORT_DYLIB_PATH, then
    /// libonnxruntime.so next to the binary, then .ort/libonnxruntime.so in the repository
    /// (made by scripts/setup.sh), then ./.ort/.
    #[arg(long, value_name = "PATH")]
    pub ort_lib: Option<PathBuf>,
    /// Worker threads in all (inference + pre/post-processing). Default: all cores.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Threads for ONNX Runtime (default: chosen from --threads).
    #[arg(long, value_name = "N")]
    pub inference_threads: Option<usize>,
    /// Windows per inference batch.
    #[arg(long, default_value_t = whosaid::pipeline::DEFAULT_BATCH_SIZE, value_name = "N")]
    pub batch_size: usize,
    /// Claims from the rules alone: ignore the model's attribution tags (when its graph has
    /// them, as the default model's does).
    #[arg(long, conflicts_with = "model_alone")]
    pub rules_only: bool,
    /// Claims from the model's tags alone: every tagged content with its nearest tagged cue
    /// and source, no rules (the model's part of the merge, for evaluation).
    #[arg(long)]
    pub model_alone: bool,
    /// The least mean tag probability of a tagged claim the merge keeps, instead of the
    /// model's `whosaid.merge.min_score` (for fitting it: scripts/fit_merge.sh).
    #[arg(long, hide = true, value_name = "P")]
    pub merge_min_score: Option<f32>,
    /// Write each claim's raw score as its confidence instead of the calibrated probability
    /// (for fitting the calibration table).
    #[arg(long, hide = true)]
    pub raw_confidence: bool,
    /// Articles per chunk; windows are sorted by length within a chunk to keep padding small
    /// (a chunk also closes at 1 MiB of text; an article of 256 KiB or more goes alone).
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub buffer: usize,
    /// Model window length in tokens (default: the model's config, else 128).
    #[arg(long, value_name = "N")]
    pub window_tokens: Option<usize>,
    /// Tokens shared by consecutive windows of a sentence longer than a window.
    #[arg(long, default_value_t = whosaid::pipeline::DEFAULT_WINDOW_OVERLAP, value_name = "N")]
    pub window_overlap: usize,
    /// Put one sentence per window instead of packing whole sentences up to the window length.
    #[arg(long)]
    pub no_pack: bool,
    /// How subword predictions become word predictions (as in the Hugging Face pipeline).
    #[arg(long, value_enum, default_value_t = AggregationArg::First)]
    pub aggregation: AggregationArg,
    /// Word tags as each word's most probable tag (`argmax`) instead of the most probable
    /// BIO-valid sequence (the default; for comparison).
    #[arg(long, value_enum, default_value_t = TagDecodingArg::Bio)]
    pub tag_decoding: TagDecodingArg,
}

/// `--tag-decoding` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TagDecodingArg {
    /// Viterbi under BIO constraints.
    Bio,
    /// Each word on its own.
    Argmax,
}

/// `--aggregation` values.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AggregationArg {
    /// Label of the first subword.
    First,
    /// Mean distribution over subwords.
    Average,
    /// Most confident subword.
    Max,
}

/// `whosaid extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Inputs: JSONL files, .txt files, directories of them, `-` for stdin; .gz read transparently.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write one JSONL line per failed article here (input, line, id, kind, message).
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Append to an existing --output, skipping articles whose ids it already holds (a torn
    /// last line is repaired first).
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// JSON field holding the article id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,
    /// JSON field holding the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,
    /// JSON field holding the optional title.
    #[arg(long, default_value = "title", value_name = "NAME")]
    pub title_field: String,
    /// Articles longer than this many characters are reported as failed, not processed.
    #[arg(long, default_value_t = whosaid::article::DEFAULT_MAX_CHARS, value_name = "N")]
    pub max_chars: usize,
    /// Entities only: skip claims and speakers.
    #[arg(long)]
    pub no_claims: bool,
    /// Print counts, padding ratio and time per stage on stderr at the end.
    #[arg(long)]
    pub stats: bool,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
    /// Seconds between progress lines when stderr is not a terminal (a line is printed only
    /// while work is in flight).
    #[arg(long, default_value_t = 30, value_name = "SECS", hide = true)]
    pub progress_every: u64,
    /// Model and runtime.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// `whosaid eval ...`.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Entity-level NER scores against CoNLL column gold.
    Ner(EvalNerArgs),
    /// Claim and speaker scores against PolNeAR-style attribution gold (JSONL).
    Quotes(EvalQuotesArgs),
    /// Token-level source / cue / content scores against BIO instances (CofeNet's metric).
    Attribution(EvalAttributionArgs),
    /// Each claim's speaker scored as the right entity against GUM speaker gold (JSONL:
    /// `id`, `text`, `attributions` with the speaker entity's mentions).
    Speakers(EvalSpeakersArgs),
}

/// `whosaid eval speakers`.
#[derive(Debug, Args)]
pub struct EvalSpeakersArgs {
    /// JSONL: per line `id`, `text`, `attributions` (content, speaker_kind, speaker_entity,
    /// speaker_mentions with core_start/core_end, speaker_name), code points.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Score these records (JSONL in whosaid's record schema) instead of running the model.
    #[arg(long, value_name = "FILE")]
    pub records: Option<PathBuf>,
    /// Model and runtime.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// `whosaid eval attribution`.
#[derive(Debug, Args)]
pub struct EvalAttributionArgs {
    /// JSONL: per line `tokens` and `labels` (`O`, `B-`/`I-` + source, cue or content), e.g.
    /// CofeNet's PolNeAR instances or a token-labelling tool's export.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Score the rules alone, the model alone and the two merged, one run each (a table of
    /// the three; with --json one object keyed by part).
    #[arg(long, conflicts_with = "records")]
    pub parts: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Write `token gold predicted` columns here, a blank line between instances.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// Score these records (JSONL in whosaid's record schema, e.g. another system's output)
    /// instead of running the model; ids are those `--texts-out` writes.
    #[arg(long, value_name = "FILE")]
    pub records: Option<PathBuf>,
    /// Write the detokenized instances as input JSONL (`id`, `text`) here and stop: the
    /// articles another system must label for `--records`.
    #[arg(long, value_name = "FILE")]
    pub texts_out: Option<PathBuf>,
    /// Model and runtime.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// `whosaid eval ner`.
#[derive(Debug, Args)]
pub struct EvalNerArgs {
    /// CoNLL file (token first, tag last, -DOCSTART- between documents), or entity spans in
    /// a brat directory, a Label Studio export or a doccano export (see --format).
    #[arg(long, value_name = "PATH")]
    pub gold: PathBuf,
    /// Gold format, label mapping, annotators.
    #[command(flatten)]
    pub gold_args: GoldArgs,
    /// Span formats: score these records' entities (whosaid's record schema, ids as in the
    /// gold) instead of running the model.
    #[arg(long, value_name = "FILE")]
    pub records: Option<PathBuf>,
    /// Feed the model whole documents (sentences packed into windows) or one sentence at a time.
    #[arg(long, value_enum, default_value_t = NerMode::Document)]
    pub mode: NerMode,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Write `token gold predicted` columns here (for checking against seqeval).
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// Write an HTML error report here: type confusion and sentences with errors.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Model and runtime.
    #[command(flatten)]
    pub model: ModelArgs,
}

/// How eval ner feeds the model.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum NerMode {
    /// Each document is one article; sentences are packed into windows.
    Document,
    /// Each sentence is its own window.
    Sentence,
}

/// `whosaid eval quotes`.
#[derive(Debug, Args)]
pub struct EvalQuotesArgs {
    /// JSONL (per line `text` and `attributions` with `source`, `cue`, `content` span
    /// lists), a brat directory, a Label Studio export or a doccano export (see --format).
    #[arg(long, value_name = "PATH")]
    pub gold: PathBuf,
    /// Gold format, label mapping, annotators.
    #[command(flatten)]
    pub gold_args: GoldArgs,
    /// Score the rules alone, the model alone and the two merged, one run each (a table of
    /// the three; with --json one object keyed by part).
    #[arg(long, conflicts_with = "records")]
    pub parts: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Write the predicted claims next to the gold, one JSON line per article.
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,
    /// Write an HTML error report here: claims missed and invented, side by side.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Score these records (JSONL in whosaid's record schema, e.g. another system's output)
    /// instead of running the model; matched to gold articles by id (`article`/`id`, else
    /// `lineN`). A gold article without a record counts as one with no claims.
    #[arg(long, value_name = "FILE")]
    pub records: Option<PathBuf>,
    /// Fit the confidence calibration table on this gold (raw scores binned per rule, see
    /// `quote::confidence`) and write it here as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub fit_confidence: Option<PathBuf>,
    /// Model and runtime.
    #[command(flatten)]
    pub model: ModelArgs,
}
