"""Casing classes of words, as the Rust side computes them (`src/encoding/casing.rs`, the one
definition; this copy exists because training runs in Python). Torch-free, so the test that
checks both languages against one table (`tests/fixtures/casing.json`,
`scripts/tests/test_casing.py` and the Rust unit test) runs anywhere.

Rust's `char::is_numeric` is the Unicode general categories Nd, Nl and No; Python's
`str.isdigit` is narrower ("½", "Ⅻ", "〇" are numeric in Rust, not digits in Python), so this
checks the category."""
import unicodedata

# Casing classes. 0 is reserved for special and padding tokens.
CASE_PAD, CASE_LOWER, CASE_TITLE, CASE_UPPER, CASE_MIXED, CASE_DIGIT, CASE_OTHER = range(7)
N_CASING = 7
NAMES = {"PAD": CASE_PAD, "LOWER": CASE_LOWER, "TITLE": CASE_TITLE, "UPPER": CASE_UPPER,
         "MIXED": CASE_MIXED, "DIGIT": CASE_DIGIT, "OTHER": CASE_OTHER}


def is_numeric(c: str) -> bool:
    """Rust's `char::is_numeric`."""
    return unicodedata.category(c) in ("Nd", "Nl", "No")


def casing_class(word: str) -> int:
    """Casing class of one word (mirrors `casing::class_of` in Rust)."""
    if any(is_numeric(c) for c in word):
        return CASE_DIGIT
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return CASE_OTHER
    if all(c.islower() for c in letters):
        return CASE_LOWER
    if all(c.isupper() for c in letters):
        return CASE_UPPER if len(letters) > 1 else CASE_TITLE
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return CASE_TITLE
    return CASE_MIXED


def word_spans(word_ids, offsets):
    """Character span of each pre-tokenizer word, from a fast tokenizer's `word_ids()` and
    `offset_mapping`: the union of its subword offsets."""
    spans = {}
    for w, (a, b) in zip(word_ids, offsets):
        if w is None:
            continue
        if w in spans:
            spans[w] = (min(spans[w][0], a), max(spans[w][1], b))
        else:
            spans[w] = (a, b)
    return spans


def casing_ids(text, word_ids, offsets, spans=None):
    """The `casing_ids` input of one encoded text: each token the class of its whole word, 0
    for special tokens (what `encoding::casing` gives the Rust side)."""
    spans = spans if spans is not None else word_spans(word_ids, offsets)
    return [CASE_PAD if w is None else casing_class(text[spans[w][0]:spans[w][1]]) for w in word_ids]
