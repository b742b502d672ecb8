//! `whosaid._whosaid`: the Python extension module, a thin layer over the Rust library.
//!
//! It turns Python items into articles (through [`whosaid::article::from_value`], the checks
//! of a JSONL line), runs [`whosaid::pipeline::Pipeline`] with the GIL released, and hands
//! back each record as the JSON text `whosaid extract` writes (the Python package parses it),
//! or an error tuple. The public API, its docs and the default model and runtime lookup live
//! in `python/whosaid/__init__.py`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex, PoisonError};

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyIterator, PyMapping, PyString};
use serde_json::{Map, Value};

use whosaid::article::{from_value, Article, ReadOptions};
use whosaid::error::Error;
use whosaid::pipeline::{LoadOptions, Outcome, Pipeline, PipelineConfig};

create_exception!(
    _whosaid,
    InputError,
    PyValueError,
    "An article that cannot be processed: not a str or dict, no `text`, a `text` that is not \
     a string or holds lone surrogates, or too long. Attributes: `index` (position in the \
     input), `id` (the article id, when known), `kind` (a stable name such as `missing_text`)."
);
create_exception!(
    _whosaid,
    ModelError,
    PyRuntimeError,
    "The model directory or ONNX Runtime does not load (raised when an Extractor is built)."
);
create_exception!(
    _whosaid,
    ExtractError,
    PyRuntimeError,
    "A readable article on which a pipeline stage failed (inference, or an internal error \
     caught at the article boundary). Same attributes as InputError."
);

/// Input name used in errors about Python items.
const INPUT: &str = "python";

/// One result: (index, id, record JSON, error kind, error message, whether the error is the
/// input's). Exactly one of the record and the error is set.
type Item = (
    u64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
);

/// An error with its causes, one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// The message of an error without the location prefix the CLI adds (`python line 3: kind:`).
fn message(e: &Error) -> String {
    match e {
        Error::BadInput { message, .. } => message.clone(),
        other => chain(other),
    }
}

fn done(index: u64, id: String, record: &whosaid::record::Record) -> Item {
    match serde_json::to_string(record) {
        Ok(json) => (index, Some(id), Some(json), None, None, false),
        Err(e) => (
            index,
            Some(id),
            None,
            Some("internal".into()),
            Some(format!("cannot serialise record: {e}")),
            false,
        ),
    }
}

fn failed(index: u64, id: Option<String>, e: &Error) -> Item {
    let input = matches!(e, Error::BadInput { .. });
    (
        index,
        id,
        None,
        Some(e.kind().into()),
        Some(message(e)),
        input,
    )
}

fn bad(index: u64, kind: &'static str, message: String) -> Error {
    Error::BadInput {
        input: INPUT.into(),
        line: index,
        kind,
        message,
    }
}

/// The name of a Python object's type, for messages.
fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map_or_else(|_| "object".to_string(), |n| n.to_string())
}

/// An article id given as a JSON string or number, as text (what the JSONL reader accepts).
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A Python value as the JSON value a JSONL line would hold; `Err` for a string that is not
/// valid Unicode (lone surrogates). Other objects become `{"python_type": NAME}`, which the
/// article checks reject as "not a string".
fn json_value(v: &Bound<'_, PyAny>) -> Result<Value, String> {
    if v.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = v.downcast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if let Ok(i) = v.downcast::<PyInt>() {
        Ok(match i.extract::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(i.to_string()),
        })
    } else if let Ok(f) = v.downcast::<PyFloat>() {
        Ok(serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number))
    } else if let Ok(s) = v.downcast::<PyString>() {
        s.to_cow()
            .map(|s| Value::String(s.to_string()))
            .map_err(|e| e.to_string())
    } else {
        Ok(Value::Object(Map::from_iter([(
            "python_type".to_string(),
            Value::String(type_name(v)),
        )])))
    }
}

/// One Python item (a str, or a mapping with `text` and optional `id` and `title`) → article.
/// The id defaults to the item's position in the input. On failure, the id when known.
fn article(item: &Bound<'_, PyAny>, index: u64) -> Result<Article, (Option<String>, Error)> {
    let options = ReadOptions::default();
    let mut obj = Map::new();
    if let Ok(s) = item.downcast::<PyString>() {
        let text = s.to_cow().map_err(|e| {
            let message = format!("text is not valid Unicode (lone surrogates?): {e}");
            (None, bad(index, "invalid_text", message))
        })?;
        obj.insert("text".into(), Value::String(text.to_string()));
    } else {
        let mapping = match item.downcast::<PyDict>() {
            Ok(d) => d.as_mapping().clone(),
            Err(_) => item.downcast::<PyMapping>().cloned().map_err(|_| {
                let message = format!(
                    "item is a {}, not a str or a dict with `text`",
                    type_name(item)
                );
                (None, bad(index, "not_object", message))
            })?,
        };
        let mut known_id = None;
        for key in ["id", "text", "title"] {
            let Some(v) = mapping.get_item(key).ok() else {
                continue;
            };
            match json_value(&v) {
                Ok(value) => {
                    if key == "id" {
                        known_id = id_text(&value);
                    }
                    obj.insert(key.into(), value);
                }
                Err(e) => {
                    let message = format!("field `{key}` is not valid Unicode: {e}");
                    return Err((known_id, bad(index, "invalid_text", message)));
                }
            }
        }
    }
    if matches!(obj.get("id"), None | Some(Value::Null)) {
        obj.insert("id".into(), Value::String(index.to_string()));
    }
    let id = obj.get("id").and_then(id_text);
    from_value(Value::Object(obj), INPUT, index, &options).map_err(|e| (id, e))
}

/// The loaded pipelines of one Extractor: one per concurrent user, made on demand.
struct Pool {
    model: PathBuf,
    ort: PathBuf,
    options: LoadOptions,
    free: Mutex<Vec<Pipeline>>,
}

impl Pool {
    fn take(&self) -> Result<Pipeline, Error> {
        let free = self
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match free {
            Some(p) => Ok(p),
            None => whosaid::pipeline::load(&self.model, &self.ort, &self.options),
        }
    }

    fn give(&self, mut pipeline: Pipeline) {
        pipeline.set_buffer(self.options.config.buffer);
        self.free
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(pipeline);
    }
}

/// The Rust side of `whosaid.Extractor`.
#[pyclass(module = "whosaid._whosaid", frozen)]
struct Engine {
    pool: Arc<Pool>,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (model, ort_lib, threads=None, rules_only=false, claims=true, batch_size=None))]
    fn new(
        py: Python<'_>,
        model: PathBuf,
        ort_lib: PathBuf,
        threads: Option<usize>,
        rules_only: bool,
        claims: bool,
        batch_size: Option<usize>,
    ) -> PyResult<Engine> {
        let options = LoadOptions {
            threads,
            rules_only,
            config: PipelineConfig {
                claims,
                batch_size: batch_size.unwrap_or(whosaid::pipeline::DEFAULT_BATCH_SIZE),
                ..PipelineConfig::default()
            },
            ..LoadOptions::default()
        };
        let pool = Pool {
            model,
            ort: ort_lib,
            options,
            free: Mutex::new(Vec::new()),
        };
        let first = py
            .allow_threads(|| pool.take())
            .map_err(|e| ModelError::new_err(chain(&e)))?;
        pool.give(first);
        Ok(Engine {
            pool: Arc::new(pool),
        })
    }

    /// One article → one result tuple.
    fn extract(&self, py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<Item> {
        let article = match article(item, 0) {
            Ok(a) => a,
            Err((id, e)) => return Ok(failed(0, id, &e)),
        };
        let pool = &self.pool;
        let result = py.allow_threads(|| {
            let mut pipeline = pool.take()?;
            let id = article.id.0.clone();
            let r = pipeline.process(article);
            pool.give(pipeline);
            Ok::<_, Error>((id, r))
        });
        Ok(match result {
            Err(e) => return Err(ModelError::new_err(chain(&e))),
            Ok((id, Ok(p))) => done(0, id, &p.record),
            Ok((id, Err(e))) => failed(0, Some(id), &e),
        })
    }

    /// A stream of result tuples over an iterable, in input order, `buffer` articles per
    /// chunk. The pipeline runs on its own threads, pulling items with the GIL held only to
    /// read them.
    fn stream(&self, py: Python<'_>, items: &Bound<'_, PyAny>, buffer: usize) -> PyResult<Stream> {
        let iter = PyIterator::from_object(items)?.unbind();
        let pool = Arc::clone(&self.pool);
        let mut pipeline = py
            .allow_threads(|| pool.take())
            .map_err(|e| ModelError::new_err(chain(&e)))?;
        pipeline.set_buffer(buffer);
        // `None` marks the end of a run that went through the whole input
        let (tx, rx) = sync_channel::<Option<Item>>(buffer.max(1));
        let input_error = Arc::new(Mutex::new(None));
        let ids = Arc::new(Mutex::new(HashMap::new()));
        let input = PyItems {
            iter,
            index: 0,
            done: false,
            error: Arc::clone(&input_error),
            ids: Arc::clone(&ids),
        };
        std::thread::Builder::new()
            .name("whosaid-stream".into())
            .spawn(move || {
                let items = tx.clone();
                let sink = move |o: Outcome| {
                    let item = match o {
                        Outcome::Done(p) => {
                            done(p.article.origin.line, p.article.id.0.clone(), &p.record)
                        }
                        Outcome::Failed { origin, id, error } => {
                            let known = id.or_else(|| {
                                ids.lock()
                                    .unwrap_or_else(PoisonError::into_inner)
                                    .remove(&origin.line)
                            });
                            failed(origin.line, known, &error)
                        }
                    };
                    items
                        .send(Some(item))
                        .map_err(|_| std::io::Error::other("the Python side stopped reading"))
                };
                let completed = pipeline.run(input, sink).is_ok();
                pool.give(pipeline);
                if completed {
                    let _ = tx.send(None);
                }
            })
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start a worker thread: {e}")))?;
        Ok(Stream {
            rx: Mutex::new(Some(rx)),
            input_error,
        })
    }
}

/// A Python iterable as the pipeline's input: each `next` takes the GIL for one item.
struct PyItems {
    iter: Py<PyIterator>,
    index: u64,
    done: bool,
    /// An exception raised by the iterable itself, re-raised at the end of the stream.
    error: Arc<Mutex<Option<PyErr>>>,
    /// Ids of items that failed before they became articles, by index.
    ids: Arc<Mutex<HashMap<u64, String>>>,
}

impl Iterator for PyItems {
    type Item = whosaid::error::Result<Article>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        Python::with_gil(|py| {
            let next = self.iter.bind(py).clone().next();
            match next {
                None => {
                    self.done = true;
                    None
                }
                Some(Err(e)) => {
                    self.done = true;
                    *self.error.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                    None
                }
                Some(Ok(item)) => {
                    let index = self.index;
                    self.index += 1;
                    Some(article(&item, index).map_err(|(id, e)| {
                        if let Some(id) = id {
                            self.ids
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .insert(index, id);
                        }
                        e
                    }))
                }
            }
        })
    }
}

/// Result tuples of `Engine.stream`, as a Python iterator.
#[pyclass(module = "whosaid._whosaid", frozen)]
struct Stream {
    rx: Mutex<Option<Receiver<Option<Item>>>>,
    input_error: Arc<Mutex<Option<PyErr>>>,
}

#[pymethods]
impl Stream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Item>> {
        let rx = &self.rx;
        let next = py.allow_threads(|| {
            let guard = rx.lock().unwrap_or_else(PoisonError::into_inner);
            guard.as_ref().map(|r| r.recv().ok())
        });
        match next {
            // closed, or a message: an item, or the end of the input
            None => Ok(None),
            Some(Some(Some(item))) => Ok(Some(item)),
            Some(end) => {
                self.close();
                if let Some(e) = self
                    .input_error
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take()
                {
                    return Err(e); // the iterable itself raised
                }
                match end {
                    Some(None) => Ok(None),
                    _ => Err(PyRuntimeError::new_err(
                        "the whosaid worker thread stopped before the end of the input",
                    )),
                }
            }
        }
    }

    /// Stops the stream: the worker finishes the chunk in hand and returns its pipeline.
    fn close(&self) {
        self.rx
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }
}

/// The extension module.
#[pymodule]
fn _whosaid(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Engine>()?;
    m.add_class::<Stream>()?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("ExtractError", py.get_type::<ExtractError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SCHEMA_VERSION", whosaid::record::SCHEMA_VERSION)?;
    Ok(())
}
