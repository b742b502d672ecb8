"""Type stubs of the whosaid Python package (see whosaid/__init__.py for the docs)."""

import os
from typing import Any, Dict, Iterable, Iterator, Mapping, NamedTuple, Optional, Union

import pandas

__version__: str
SCHEMA_VERSION: int
DEFAULT_MODEL: str

Article = Union[str, Mapping[str, Any]]
Record = Dict[str, Any]
PathLike = Union[str, os.PathLike[str]]

class InputError(ValueError):
    """An article that cannot be processed (not a str or dict with a string `text`, lone
    surrogates, too long)."""

    index: int
    id: Optional[str]
    kind: str

class ExtractError(RuntimeError):
    """A pipeline stage failed on a readable article."""

    index: int
    id: Optional[str]
    kind: str

class ModelError(RuntimeError):
    """The model directory or ONNX Runtime does not load."""

class Extractor:
    """Runs the whosaid pipeline in-process; safe to share between Python threads."""

    model: os.PathLike[str]
    ort_lib: os.PathLike[str]
    def __init__(
        self,
        model: Optional[PathLike] = None,
        threads: Optional[int] = None,
        rules_only: bool = False,
        claims: bool = True,
        ort_lib: Optional[PathLike] = None,
        window_batch: Optional[int] = None,
    ) -> None: ...
    def extract(self, article: Article) -> Record:
        """One article → its record (the JSON record of `whosaid extract`)."""
    def extract_many(
        self,
        articles: Iterable[Article],
        batch_size: int = 64,
        errors: str = "raise",
    ) -> Iterator[Record]:
        """Records of many articles, in input order, streamed with bounded memory."""

class Frames(NamedTuple):
    """Records as pandas DataFrames, one row per item, each with `article_id`."""

    articles: pandas.DataFrame
    entities: pandas.DataFrame
    claims: pandas.DataFrame
    speakers: pandas.DataFrame

def frames(records: Iterable[Record]) -> Frames:
    """Records → DataFrames (articles, entities, claims, speakers), ready to join."""
