"""Shared pieces of the NER training and export scripts.

The casing classes (scripts/casing.py) and the word definition must match `src/encoding/casing.rs`:
a word is what the tokenizer's pre-tokenizer yields (its `word_ids`), and its class is
computed from the word's original text.
"""
import torch
from torch import nn

from casing import (  # noqa: F401  (the casing classes, defined by the Rust side)
    CASE_PAD, CASE_LOWER, CASE_TITLE, CASE_UPPER, CASE_MIXED, CASE_DIGIT, CASE_OTHER, N_CASING, casing_class,
)
TENSOR_CASING_IDS = "casing_ids"




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
