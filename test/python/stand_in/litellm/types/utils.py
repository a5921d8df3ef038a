"""Stand-in for litellm.types.utils.GenericStreamingChunk, a TypedDict: a call returns a dict. The
stand-in also checks the keys, so a chunk LiteLLM's stream wrapper could not read fails the tests."""

_KEYS = {"text", "tool_use", "is_finished", "finish_reason", "usage", "index"}


def GenericStreamingChunk(**fields):
    missing = _KEYS - fields.keys()
    unknown = fields.keys() - _KEYS - {"provider_specific_fields"}
    if missing or unknown:
        raise TypeError(f"GenericStreamingChunk: missing {sorted(missing)}, unknown {sorted(unknown)}")
    if not isinstance(fields["text"], str) or not isinstance(fields["is_finished"], bool):
        raise TypeError("GenericStreamingChunk: text must be str and is_finished bool")
    usage = fields["usage"]
    if usage is not None and set(usage) != {"prompt_tokens", "completion_tokens", "total_tokens"}:
        raise TypeError(f"GenericStreamingChunk: usage keys {sorted(usage)}")
    return dict(fields)
