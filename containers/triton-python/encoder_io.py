"""What the Triton encoder model takes and returns, per ENCODER_TYPE: its config.pbtxt (inputs, typed
output, batching) and the helpers model.py reads requests and shapes replies with. Standard library
only, so start.sh can write the config and tests can run it without the image.

    python3 encoder_io.py config <encoder_type> <max_batch_size> [KIND_GPU|KIND_CPU]  -> config.pbtxt

Inputs follow the shipped request configs (config/encoder/*/triton_inference_server-python.yaml):
`text_input` BYTES [1, 1] per item (batched up to MAX_NUM_SEQS by Triton's dynamic batcher), or, for
the reranker, `query` [1] and `texts` [N] in one unbatched request; `model_id` BYTES [1, 1] (optional)
picks one of several comma-separated MODEL_IDs. Outputs are typed tensors, one row per item:
embeddings FP32 [dim], reranker scores FP32 [N], sequence-classification logits FP32 [labels],
token-classification label ids INT32 [tokens], masked-LM predicted token ids INT32 [masks]; rows of
different lengths in one batch are padded with -1.
"""
import sys

# name, Triton data type, dims (without the batch dimension when batched)
TASKS = {
    "embeddings": {"inputs": [("text_input", "TYPE_STRING", [1])],
                   "output": ("embeddings", "TYPE_FP32", [-1]), "batched": True},
    "reranker": {"inputs": [("query", "TYPE_STRING", [1]), ("texts", "TYPE_STRING", [-1])],
                 "output": ("scores", "TYPE_FP32", [-1]), "batched": False},
    "sequence_classification": {"inputs": [("text_input", "TYPE_STRING", [1])],
                                "output": ("logits", "TYPE_FP32", [-1]), "batched": True},
    "token_classification": {"inputs": [("text_input", "TYPE_STRING", [1])],
                             "output": ("predictions", "TYPE_INT32", [-1]), "batched": True},
    "masked_lm": {"inputs": [("text_input", "TYPE_STRING", [1])],
                  "output": ("predictions", "TYPE_INT32", [-1]), "batched": True},
}
PAD = -1


def task_spec(encoder_type):
    """The contract of one encoder type; ValueError naming the choices for an unknown one."""
    if encoder_type not in TASKS:
        raise ValueError(f"ENCODER_TYPE={encoder_type!r} is not one of {', '.join(TASKS)}")
    return TASKS[encoder_type]


def _dims(dims):
    return "[ " + ", ".join(str(d) for d in dims) + " ]"


def config_pbtxt(encoder_type, max_batch_size, kind="KIND_GPU"):
    """The model's config.pbtxt: one entry per line, as the stand-in frontend in the tests reads it."""
    spec = task_spec(encoder_type)
    batched = spec["batched"]
    lines = ['backend: "python"', f"max_batch_size: {max_batch_size if batched else 0}"]
    if batched:
        lines.append("dynamic_batching { max_queue_delay_microseconds: 1000 }")
    lines.append("input [")
    entries = [f'  {{ name: "{n}", data_type: {t}, dims: {_dims(d)} }}' for n, t, d in spec["inputs"]]
    # model_id: [1] per item when batched (requests send [1, 1]); [1, 1] as a whole when not.
    entries.append(f'  {{ name: "model_id", data_type: TYPE_STRING, dims: {_dims([1] if batched else [1, 1])}, optional: true }}')
    lines.append(",\n".join(entries))
    lines.append("]")
    name, dtype, dims = spec["output"]
    lines.append(f'output [\n  {{ name: "{name}", data_type: {dtype}, dims: {_dims(dims)} }}\n]')
    lines.append(f"instance_group [ {{ count: 1, kind: {kind} }} ]")
    return "\n".join(lines) + "\n"


def as_text(value):
    """One BYTES element as str."""
    return value.decode("utf-8") if isinstance(value, (bytes, bytearray)) else str(value)


def flat(values):
    """A nested list flattened in row-major order."""
    if isinstance(values, (list, tuple)):
        out = []
        for v in values:
            out.extend(flat(v))
        return out
    return [values]


def pick_model(requested, served):
    """The served model a request's model_id names; with one model, model_id may be left out."""
    if requested is None:
        if len(served) == 1:
            return served[0]
        raise ValueError(f"several models are served ({', '.join(served)}): send a model_id input")
    name = requested.strip()
    if name not in served:
        raise ValueError(f"unknown model_id {name!r}; served: {', '.join(served)}")
    return name


def padded(rows, pad=PAD):
    """Rows of numbers made rectangular (shorter rows padded), as one Triton output needs."""
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [pad] * (width - len(r)) for r in rows]


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] != "config":
        print("usage: encoder_io.py config <encoder_type> <max_batch_size> [KIND_GPU|KIND_CPU]", file=sys.stderr)
        sys.exit(2)
    try:
        sys.stdout.write(config_pbtxt(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else "KIND_GPU"))
    except ValueError as error:
        print(f"encoder_io: {error}", file=sys.stderr)
        sys.exit(2)
