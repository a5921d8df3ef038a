"""A small stand-in for encoder_heads.py: deterministic numbers from the texts, no torch. Every call
is recorded in CALLS (model, texts, pairs) so tests can check batching and model_id routing."""
CALLS = []


class StandInEncoder:
    def __init__(self, encoder_type, model_id, max_len):
        self.encoder_type = encoder_type
        self.model_id = model_id
        self.max_len = max_len

    def run(self, texts, pairs=None):
        CALLS.append((self.model_id, list(texts), list(pairs) if pairs is not None else None))
        rows = []
        for i, text in enumerate(texts):
            words = text.split()[: self.max_len]
            if self.encoder_type == "embeddings":
                rows.append([round(len(text) / 1000.0, 3), float(len(words)), float(len(self.model_id)), -0.25])
            elif self.encoder_type == "reranker":
                shared = set(text.lower().split()) & set(pairs[i].lower().split())
                rows.append([float(len(shared))])
            elif self.encoder_type == "sequence_classification":
                rows.append([float(len(words) % 3), -1.0])
            elif self.encoder_type == "token_classification":
                rows.append([len(w) % 9 for w in words])
            else:
                rows.append([100 + j for j, w in enumerate(words) if w in ("[MASK]", "<mask>")])
        return rows


def load_encoder(encoder_type, model_id, max_len, trust):
    return StandInEncoder(encoder_type, model_id, max_len)
