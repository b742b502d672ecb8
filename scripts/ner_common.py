"""Shared pieces of the NER training and export scripts.

The casing classes and the word definition here must match `src/encoding/casing.rs`:
a word is what the tokenizer's pre-tokenizer yields (its `word_ids`), and its class is
computed from the word's original text.
"""
import torch
from torch import nn

# Casing classes. 0 is reserved for special and padding tokens.
CASE_PAD, CASE_LOWER, CASE_TITLE, CASE_UPPER, CASE_MIXED, CASE_DIGIT, CASE_OTHER = range(7)
N_CASING = 7
TENSOR_CASING_IDS = "casing_ids"


def casing_class(word: str) -> int:
    """Casing class of one word (mirrors `casing::class_of` in Rust)."""
    if any(c.isdigit() for c in word):
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


class CasedTokenClassifier(nn.Module):
    """BERT encoder + a casing-class embedding added to the word embeddings + a linear head.

    The forward pass calls the embedding and encoder blocks with a classic additive mask,
    which exports to a plain ONNX graph (see ENGINE.md on transformers' masking_utils).
    """

    def __init__(self, bert, num_labels, use_casing=True, dropout=0.1):
        super().__init__()
        self.bert = bert
        self.use_casing = use_casing
        hidden = bert.config.hidden_size
        if use_casing:
            self.casing = nn.Embedding(N_CASING, hidden)
            nn.init.zeros_(self.casing.weight)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(hidden, num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids, casing_ids=None):
        return self.classifier(self.encode(input_ids, attention_mask, token_type_ids, casing_ids))

    def encode(self, input_ids, attention_mask, token_type_ids, casing_ids=None):
        """The last encoder layer's hidden states, after dropout (what the heads read)."""
        emb = self.bert.embeddings.word_embeddings(input_ids)
        if self.use_casing:
            emb = emb + self.casing(casing_ids)
        seq = input_ids.shape[1]
        pos = self.bert.embeddings.position_ids[:, :seq] if hasattr(self.bert.embeddings, "position_ids") \
            else torch.arange(seq, device=input_ids.device).unsqueeze(0)
        emb = emb + self.bert.embeddings.position_embeddings(pos)
        emb = emb + self.bert.embeddings.token_type_embeddings(token_type_ids)
        h = self.bert.embeddings.dropout(self.bert.embeddings.LayerNorm(emb))
        mask = (1.0 - attention_mask[:, None, None, :].to(h.dtype)) * torch.finfo(h.dtype).min
        for layer in self.bert.encoder.layer:
            out = layer(h, attention_mask=mask)
            h = out[0] if isinstance(out, tuple) else out
        return self.dropout(h)
