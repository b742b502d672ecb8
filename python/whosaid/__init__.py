"""whosaid: entities, speakers and claims (who said what) from news articles, in-process.

The same pipeline and the same records as the ``whosaid extract`` command (schema version 2,
Unicode code point offsets, so ``text[start:end]`` slices back), run by the Rust library with
the GIL released::

    import whosaid
    ex = whosaid.Extractor()
    rec = ex.extract("Azerbaijan is a fraternal country for us, Akar said.")
    for rec in ex.extract_many(articles, batch_size=64):
        ...
    tables = whosaid.frames(records)   # pandas DataFrames, one row per item

An article is a ``str`` (its text) or a mapping with ``text`` and optional ``id`` and
``title``; without an id, its position in the input (``"0"`` for ``extract``) is its id.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
from collections import namedtuple
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, Mapping, Optional, Union

from ._whosaid import (
    SCHEMA_VERSION,
    Engine as _Engine,
    ExtractError,
    InputError,
    ModelError,
    __version__,
)

__all__ = [
    "Extractor",
    "frames",
    "Frames",
    "InputError",
    "ModelError",
    "ExtractError",
    "SCHEMA_VERSION",
    "DEFAULT_MODEL",
    "__version__",
]

#: Name of the default model directory (shipped in the wheel under ``whosaid/models/``).
DEFAULT_MODEL = "minilm-conll03"

Article = Union[str, Mapping[str, Any]]
Record = Dict[str, Any]

def _find_model(model: Optional[Union[str, os.PathLike]]) -> Path:
    """The model directory: the argument, ``$WHOSAID_MODEL``, the one in the package."""
    if model is not None:
        return Path(model)
    env = os.environ.get("WHOSAID_MODEL")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / "models" / DEFAULT_MODEL


def _find_ort(ort_lib: Optional[Union[str, os.PathLike]]) -> Path:
    """ONNX Runtime's shared library: the argument, ``$ORT_DYLIB_PATH``, else the one in the
    installed ``onnxruntime`` package (``onnxruntime/capi/libonnxruntime.so*``)."""
    if ort_lib is not None:
        return Path(ort_lib)
    env = os.environ.get("ORT_DYLIB_PATH")
    if env:
        return Path(env)
    spec = importlib.util.find_spec("onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "ONNX Runtime not found: install the `onnxruntime` package (pip install onnxruntime), "
            "or pass ort_lib= / set ORT_DYLIB_PATH to a libonnxruntime.so"
        )
    for base in spec.submodule_search_locations:
        libs = sorted(glob.glob(os.path.join(base, "capi", "libonnxruntime.so*")))
        libs += sorted(glob.glob(os.path.join(base, "capi", "libonnxruntime*.dylib")))
        libs += sorted(glob.glob(os.path.join(base, "capi", "onnxruntime.dll")))
        if libs:
            # the shortest name is the unversioned one or the plain versioned file
            return Path(min(libs, key=len))
    raise ModelError(
        f"the onnxruntime package at {list(spec.submodule_search_locations)} has no "
        "capi/libonnxruntime.so*; pass ort_lib= or set ORT_DYLIB_PATH"
    )


def _error(index: int, id: Optional[str], kind: str, message: str, input: bool) -> Exception:
    cls = InputError if input else ExtractError
    name = f"article {id!r}" if id is not None else f"item {index}"
    err = cls(f"{name}: {kind}: {message}")
    err.index = index
    err.id = id
    err.kind = kind
    return err


class Extractor:
    """Runs the whosaid pipeline in-process.

    Args:
        model: a whosaid model directory (``model.int8.onnx`` or ``model.onnx``,
            ``tokenizer.json``, ``config.json``). Default: ``$WHOSAID_MODEL``, else the model
            shipped in the package.
        threads: worker threads in all (default: all cores), as ``--threads``.
        rules_only: claims from the quote rules alone, ignoring the model's attribution tags.
        claims: extract claims and speakers; off, entities only.
        ort_lib: ONNX Runtime's shared library. Default: ``$ORT_DYLIB_PATH``, else the one in
            the installed ``onnxruntime`` package.
        window_batch: model windows per inference call, as ``--batch-size`` (default: the
            CLI's).

    Raises:
        ModelError: the model or ONNX Runtime does not load.

    One Extractor may be shared by several Python threads: each concurrent call gets its own
    loaded pipeline (made on first need, then reused), so calls never wait for each other.
    """

    def __init__(
        self,
        model: Optional[Union[str, os.PathLike]] = None,
        threads: Optional[int] = None,
        rules_only: bool = False,
        claims: bool = True,
        ort_lib: Optional[Union[str, os.PathLike]] = None,
        window_batch: Optional[int] = None,
    ) -> None:
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be at least 1, not {threads}")
        if window_batch is not None and window_batch < 1:
            raise ValueError(f"window_batch must be at least 1, not {window_batch}")
        self.model = _find_model(model)
        self.ort_lib = _find_ort(ort_lib)
        self._engine = _Engine(
            str(self.model),
            str(self.ort_lib),
            threads=threads,
            rules_only=rules_only,
            claims=claims,
            batch_size=window_batch,
        )

    def __repr__(self) -> str:
        return f"whosaid.Extractor(model={str(self.model)!r})"

    def extract(self, article: Article) -> Record:
        """One article → its record (a dict, exactly the JSON record of ``whosaid extract``).

        Raises:
            InputError: the article is not a str or a mapping with a string ``text``, its text
                holds lone surrogates, or it is too long.
            ExtractError: a pipeline stage failed on it.
        """
        index, id, record, kind, message, input = self._engine.extract(article)
        if record is None:
            raise _error(index, id, kind, message, input)
        return json.loads(record)

    def extract_many(
        self,
        articles: Iterable[Article],
        batch_size: int = 64,
        errors: str = "raise",
    ) -> Iterator[Record]:
        """Records of many articles, in input order, streamed.

        Articles are read from the iterable as the pipeline needs them, ``batch_size`` at a
        time (as ``--buffer``: the windows of a batch's articles are sorted by length and
        batched together), so memory stays bounded on a generator of millions of articles.

        Args:
            articles: any iterable of str or mappings (a list, a generator,
                ``df.to_dict("records")``).
            batch_size: articles per chunk (the CLI's ``--buffer``; 64 gives the CLI's
                records exactly).
            errors: ``"raise"`` (the default) raises at the first failed article;
                ``"record"`` yields ``{"id": ..., "error": {"kind": ..., "message": ...,
                "index": ...}}`` in its place, so nothing is lost.

        Raises:
            InputError, ExtractError: with ``errors="raise"``, for the first failed article.
        """
        if errors not in ("raise", "record"):
            raise ValueError(f'errors must be "raise" or "record", not {errors!r}')
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        stream = self._engine.stream(articles, batch_size)
        try:
            for index, id, record, kind, message, input in stream:
                if record is not None:
                    yield json.loads(record)
                elif errors == "record":
                    yield {
                        "id": id,
                        "error": {"kind": kind, "message": message, "index": index},
                    }
                else:
                    raise _error(index, id, kind, message, input)
        finally:
            stream.close()


Frames = namedtuple("Frames", ["articles", "entities", "claims", "speakers"])
Frames.__doc__ = """Records as pandas DataFrames, one row per item, each with ``article_id``.

- ``articles``: id, title, counts of entities / claims / speakers, error kind and message
  (for error records of ``extract_many(errors="record")``).
- ``entities``: one row per entity mention (``id``, ``text``, ``label``, ``start``,
  ``end``, ``score``, ``cluster``).
- ``claims``: one row per claim (``id``, ``kind``, ``text``, ``start``, ``end``, ``rule``,
  ``support`` as a list of rule ids, ``confidence``, ``unclosed``, ``cue_text``/``cue_start``/``cue_end``,
  ``speaker_text``/``speaker_start``/``speaker_end``/``speaker_name``/``speaker_cluster``/
  ``speaker_resolution``, ``pieces`` as a list of dicts).
- ``speakers``: one row per speaker (``id``, ``name``, ``label``, ``cluster``, ``claims``
  as a list of claim ids, ``mentions`` as a list of dicts).
"""

_ENTITY_COLUMNS = ["article_id", "id", "text", "label", "start", "end", "score", "cluster"]
_CLAIM_COLUMNS = [
    "article_id", "id", "kind", "text", "start", "end", "rule", "support", "confidence",
    "unclosed", "cue_text", "cue_start", "cue_end",
    "speaker_text", "speaker_start", "speaker_end", "speaker_name", "speaker_cluster",
    "speaker_resolution", "pieces",
]
_SPEAKER_COLUMNS = ["article_id", "id", "name", "label", "cluster", "claims", "mentions"]
_ARTICLE_COLUMNS = [
    "article_id", "title", "entities", "claims", "speakers", "error_kind", "error_message",
]


def frames(records: Iterable[Record]) -> Frames:
    """Records (from ``extract``/``extract_many`` or a ``whosaid extract`` JSONL file read
    with ``json.loads``) → :class:`Frames` of pandas DataFrames, ready to join on
    ``article_id``. Offsets are code points into the article's text, as in the records.

    Raises:
        ImportError: pandas is not installed (``pip install pandas`` or ``whosaid[frames]``).
    """
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - exercised where pandas is missing
        raise ImportError(
            "whosaid.frames needs pandas: pip install pandas (or pip install 'whosaid[frames]')"
        ) from e
    articles, entities, claims, speakers = [], [], [], []
    for rec in records:
        aid = rec.get("id")
        error = rec.get("error") or {}
        articles.append({
            "article_id": aid,
            "title": rec.get("title"),
            "entities": len(rec.get("entities", [])),
            "claims": len(rec.get("claims", [])),
            "speakers": len(rec.get("speakers", [])),
            "error_kind": error.get("kind"),
            "error_message": error.get("message"),
        })
        for e in rec.get("entities", []):
            entities.append({"article_id": aid, **e})
        for c in rec.get("claims", []):
            cue = c.get("cue") or {}
            sp = c.get("speaker") or {}
            claims.append({
                "article_id": aid,
                "id": c["id"], "kind": c["kind"], "text": c["text"],
                "start": c["start"], "end": c["end"], "rule": c["rule"],
                "support": list(c.get("support", [])),
                "confidence": c["confidence"], "unclosed": c["unclosed"],
                "cue_text": cue.get("text"), "cue_start": cue.get("start"),
                "cue_end": cue.get("end"),
                "speaker_text": sp.get("text"), "speaker_start": sp.get("start"),
                "speaker_end": sp.get("end"), "speaker_name": sp.get("name"),
                "speaker_cluster": sp.get("cluster"),
                "speaker_resolution": sp.get("resolution"),
                "pieces": c.get("pieces", []),
            })
        for s in rec.get("speakers", []):
            speakers.append({"article_id": aid, **s})

    def table(rows, columns):
        df = pd.DataFrame(rows, columns=columns)
        for col in ("start", "end", "cue_start", "cue_end", "speaker_start", "speaker_end"):
            if col in df.columns:
                df[col] = df[col].astype("Int64")
        return df

    return Frames(
        articles=table(articles, _ARTICLE_COLUMNS),
        entities=table(entities, _ENTITY_COLUMNS),
        claims=table(claims, _CLAIM_COLUMNS),
        speakers=table(speakers, _SPEAKER_COLUMNS),
    )
