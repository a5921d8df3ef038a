"""Triton Python-backend model for encoders. ENCODER_TASK picks the head: embeddings (mean-pooled,
normalised), reranker and sequence_classification (scores / labels), token_classification (entities),
masked_lm (top tokens for each [MASK]). Replies are JSON strings in the BYTES output "output"."""
import json
import os

import numpy as np
import torch
import triton_python_backend_utils as pb_utils
from transformers import (AutoModel, AutoModelForMaskedLM, AutoModelForSequenceClassification,
                          AutoModelForTokenClassification, AutoTokenizer)

HEADS = {
    "embeddings": AutoModel,
    "reranker": AutoModelForSequenceClassification,
    "sequence_classification": AutoModelForSequenceClassification,
    "token_classification": AutoModelForTokenClassification,
    "masked_lm": AutoModelForMaskedLM,
}


class TritonPythonModel:
    def initialize(self, args):
        self.task = os.environ.get("ENCODER_TASK", "embeddings")
        model_id = os.environ["MODEL_ID"]
        trust = os.environ.get("TRUST_REMOTE_CODE", "false") == "true"
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tokenizer = AutoTokenizer.from_pretrained(model_id, trust_remote_code=trust)
        self.model = HEADS[self.task].from_pretrained(model_id, trust_remote_code=trust).to(self.device).eval()
        self.max_len = int(os.environ.get("MAX_MODEL_LEN", "512"))

    def _texts(self, request, name):
        tensor = pb_utils.get_input_tensor_by_name(request, name)
        if tensor is None:
            return None
        return [t.decode("utf-8") for t in tensor.as_numpy().reshape(-1)]

    @torch.inference_mode()
    def _run(self, texts, pairs):
        enc = self.tokenizer(texts, pairs, padding=True, truncation=True, max_length=self.max_len,
                             return_tensors="pt").to(self.device)
        out = self.model(**enc)
        if self.task == "embeddings":
            mask = enc["attention_mask"].unsqueeze(-1)
            pooled = (out.last_hidden_state * mask).sum(1) / mask.sum(1)
            return [{"embedding": v} for v in torch.nn.functional.normalize(pooled, dim=-1).tolist()]
        if self.task in ("reranker", "sequence_classification"):
            logits = out.logits
            if self.task == "reranker" or logits.shape[-1] == 1:
                return [{"score": float(s)} for s in logits.view(len(texts), -1)[:, 0].tolist()]
            labels = self.model.config.id2label
            return [{"label": labels[int(i)], "score": float(p)} for p, i in zip(*logits.softmax(-1).max(-1))]
        if self.task == "token_classification":
            labels = self.model.config.id2label
            ids = out.logits.argmax(-1).tolist()
            return [{"labels": [labels[i] for i in row]} for row in ids]
        masked = enc["input_ids"] == self.tokenizer.mask_token_id
        results = []
        for row in range(len(texts)):
            positions = masked[row].nonzero().view(-1).tolist()
            tops = [self.tokenizer.convert_ids_to_tokens(out.logits[row, p].topk(5).indices.tolist()) for p in positions]
            results.append({"tokens": tops})
        return results

    def execute(self, requests):
        responses = []
        for request in requests:
            texts = self._texts(request, "text")
            pairs = self._texts(request, "text_pair")
            replies = self._run(texts, pairs)
            data = np.array([json.dumps(r).encode("utf-8") for r in replies], dtype=object).reshape(-1, 1)
            responses.append(pb_utils.InferenceResponse([pb_utils.Tensor("output", data)]))
        return responses
