"""Triton Python-backend model for encoders (ENCODER_TYPE: embeddings, reranker,
sequence_classification, token_classification, masked_lm). Reads exactly what the shipped encoder
configs send and returns typed tensors (the contract is in encoder_io.py). MODEL_ID may list several
models ("a,b"): each request then names one with the `model_id` input. Batched requests are run together
per model and split back in order. The heads (torch + transformers) are in encoder_heads.py; tests put
a small stand-in there through ENCODER_HEADS_MODULE."""
import importlib
import os

import numpy as np
import triton_python_backend_utils as pb_utils

from encoder_io import as_text, flat, padded, pick_model, task_spec

NUMPY_TYPES = {"TYPE_FP32": np.float32, "TYPE_INT32": np.int32}


class TritonPythonModel:
    def initialize(self, args):
        self.encoder_type = os.environ.get("ENCODER_TYPE", "embeddings")
        self.spec = task_spec(self.encoder_type)
        self.models = [m.strip() for m in os.environ["MODEL_ID"].split(",") if m.strip()]
        heads = importlib.import_module(os.environ.get("ENCODER_HEADS_MODULE", "encoder_heads"))
        max_len = int(os.environ.get("MAX_MODEL_LEN", "512"))
        trust = os.environ.get("TRUST_REMOTE_CODE", "false") == "true"
        self.encoders = {m: heads.load_encoder(self.encoder_type, m, max_len, trust) for m in self.models}
        pb_utils.Logger.log_info(f"encoder {self.encoder_type}: {', '.join(self.models)}")

    def _texts(self, request, name, required=True):
        tensor = pb_utils.get_input_tensor_by_name(request, name)
        if tensor is None:
            if required:
                raise ValueError(f"input {name!r} is missing")
            return None
        return [as_text(v) for v in flat(tensor.as_numpy().tolist())]

    def _read(self, request):
        """(model, texts, pairs) of one request."""
        ids = self._texts(request, "model_id", required=False)
        model = pick_model(ids[0] if ids else None, self.models)
        if self.encoder_type == "reranker":
            query = self._texts(request, "query")
            texts = self._texts(request, "texts")
            if len(query) != 1:
                raise ValueError(f"input 'query' must hold one text, got {len(query)}")
            return model, [query[0]] * len(texts), texts
        return model, self._texts(request, "text_input"), None

    def _reply(self, rows):
        name, dtype, _ = self.spec["output"]
        if self.encoder_type == "reranker":
            data = np.array([r[0] for r in rows], dtype=NUMPY_TYPES[dtype])
        else:
            data = np.array(padded(rows), dtype=NUMPY_TYPES[dtype])
        return pb_utils.InferenceResponse(output_tensors=[pb_utils.Tensor(name, data)])

    def execute(self, requests):
        parsed = []
        for request in requests:
            try:
                parsed.append(self._read(request))
            except ValueError as error:
                parsed.append(error)
        # One forward pass per model over every text of the batch, split back per request.
        rows = {}
        for model in self.models:
            mine = [p for p in parsed if not isinstance(p, Exception) and p[0] == model]
            if not mine:
                continue
            texts = [t for p in mine for t in p[1]]
            pairs = [t for p in mine for t in p[2]] if self.encoder_type == "reranker" else None
            out = iter(self.encoders[model].run(texts, pairs))
            for p in mine:
                rows[id(p)] = [next(out) for _ in p[1]]
        responses = []
        for p in parsed:
            if isinstance(p, Exception):
                responses.append(pb_utils.InferenceResponse(error=pb_utils.TritonError(str(p))))
            else:
                responses.append(self._reply(rows[id(p)]))
        return responses

    def finalize(self):
        self.encoders = {}
