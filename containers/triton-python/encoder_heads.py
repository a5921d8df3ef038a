"""The encoder heads behind model.py, with torch and transformers: load_encoder(type, model, max_len,
trust) returns an object whose run(texts, pairs) gives one row of numbers per text: a normalised
mean-pooled embedding; the reranker's relevance score ([score]); sequence-classification logits;
a label id per token; the predicted token id at each mask position."""
import torch
from transformers import (AutoModel, AutoModelForMaskedLM, AutoModelForSequenceClassification,
                          AutoModelForTokenClassification, AutoTokenizer)

HEADS = {
    "embeddings": AutoModel,
    "reranker": AutoModelForSequenceClassification,
    "sequence_classification": AutoModelForSequenceClassification,
    "token_classification": AutoModelForTokenClassification,
    "masked_lm": AutoModelForMaskedLM,
}


class Encoder:
    def __init__(self, encoder_type, model_id, max_len, trust):
        self.encoder_type = encoder_type
        self.max_len = max_len
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tokenizer = AutoTokenizer.from_pretrained(model_id, trust_remote_code=trust)
        model = HEADS[encoder_type].from_pretrained(model_id, trust_remote_code=trust)
        self.model = model.to(self.device).eval()

    @torch.inference_mode()
    def run(self, texts, pairs=None):
        enc = self.tokenizer(texts, pairs, padding=True, truncation=True, max_length=self.max_len,
                             return_tensors="pt").to(self.device)
        out = self.model(**enc)
        if self.encoder_type == "embeddings":
            mask = enc["attention_mask"].unsqueeze(-1).to(out.last_hidden_state.dtype)
            pooled = (out.last_hidden_state * mask).sum(1) / mask.sum(1).clamp(min=1)
            return torch.nn.functional.normalize(pooled, dim=-1).float().tolist()
        if self.encoder_type == "reranker":
            return [[s] for s in out.logits.view(len(texts), -1)[:, 0].float().tolist()]
        if self.encoder_type == "sequence_classification":
            return out.logits.float().tolist()
        lengths = enc["attention_mask"].sum(1).tolist()
        if self.encoder_type == "token_classification":
            ids = out.logits.argmax(-1).tolist()
            return [row[:n] for row, n in zip(ids, lengths)]
        masked = enc["input_ids"] == self.tokenizer.mask_token_id
        best = out.logits.argmax(-1)
        return [best[i][masked[i]].tolist() for i in range(len(texts))]


def load_encoder(encoder_type, model_id, max_len, trust):
    return Encoder(encoder_type, model_id, max_len, trust)
