"""How an OpenAI chat request maps onto any template endpoint, and how its replies map back.

Pure functions (no LiteLLM, no network), used by custom_endpoint_handler.py and tested on their own.
Ported from the old framework's LiteLLM handler (aws-samples/aws-deep-learning-ami-ubuntu-dcv-desktop,
gen-ai-inference-testing, MIT-0): the same environment variables keep their meaning:

- ENDPOINT_URL (or the model's api_base): where requests go.
- TEMPLATE, TEMPLATE_KEYS: a request config's JSON body and the dotted paths ("[i]" is a list index)
  filled in order with the model id (when "model" is a key: first) and the prompt. Unset: the target
  is an OpenAI-compatible /v1/chat/completions and the chat request is passed through.
- CUSTOM_HEADERS: a JSON object of extra request headers.
- RESPONSE_TEXT_PATH: dotted path of the reply text in each reply (or streamed event); unset: the
  known shapes (OpenAI, Triton generate/infer, DJL LMI, TGI) are tried.
- MODEL (or MODEL_ID): the served model id put in the "model" key; CONTENT_TYPE of requests.
"""
import copy
import json
import re

_INDEX = re.compile(r"^\[(\d+)\]$")
_PASSED_PARAMS = ("max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "stop", "seed")


class MappingError(ValueError):
    """A setting the handler cannot use; the message names the variable and the fix."""


def _steps(path):
    steps = []
    for part in path.split("."):
        match = _INDEX.match(part)
        steps.append(int(match.group(1)) if match else part)
    return steps


def _json_env(env, name, default, kind):
    raw = env.get(name, "")
    if not raw.strip():
        return default
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise MappingError(f"{name} is not valid JSON ({error.msg}); set it to a JSON {kind.__name__}") from error
    if not isinstance(value, kind):
        raise MappingError(f"{name} must be a JSON {kind.__name__}, got {type(value).__name__}")
    return value


def messages_to_prompt(messages):
    """One prompt from chat messages: a single message's text, else "role: text" lines (as the old handler)."""
    parts = []
    for message in messages or []:
        content = message.get("content", "")
        if isinstance(content, list):
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        parts.append((message.get("role", ""), content or ""))
    if len(parts) == 1:
        return parts[0][1]
    return "\n".join(f"{role}: {text}" if role else text for role, text in parts if text)


def fill_template(template, keys, inputs):
    """A copy of `template` with inputs[i] at keys[i]; a list placeholder receives [input]."""
    if len(keys) != len(inputs):
        raise MappingError(f"TEMPLATE_KEYS has {len(keys)} keys but {len(inputs)} values were given")
    body = copy.deepcopy(template)
    for key, value in zip(keys, inputs):
        steps = _steps(key)
        node = body
        try:
            for step in steps[:-1]:
                node = node[step]
            last = steps[-1]
            if isinstance(node, dict) and isinstance(node.get(last), list) and not isinstance(value, list):
                value = [value]
            node[last] = value
        except (KeyError, IndexError, TypeError) as error:
            raise MappingError(f'TEMPLATE_KEYS entry "{key}" is not a path in TEMPLATE') from error
    return body


def stream_url(url, stream):
    """Triton's streamed generate is generate_stream."""
    if stream and re.search(r"/generate/?$", url):
        return re.sub(r"/generate(/?)$", r"/generate_stream\1", url)
    return url


def _set_output_length(body, max_tokens):
    if "max_tokens" in body:
        body["max_tokens"] = max_tokens
    if "max_completion_tokens" in body:
        body["max_completion_tokens"] = max_tokens
    parameters = body.get("parameters")
    if isinstance(parameters, dict) and "max_new_tokens" in parameters:
        parameters["max_new_tokens"] = max_tokens
    sampling = body.get("sampling_parameters")
    if isinstance(sampling, dict):
        sampling["max_tokens"] = max_tokens
    elif isinstance(sampling, str) and sampling.strip():
        parsed = json.loads(sampling)
        parsed["max_tokens"] = max_tokens
        body["sampling_parameters"] = json.dumps(parsed)


def build_request(env, model, messages, optional_params, stream, api_base=None):
    """(url, body, headers) of the request to the target for one chat request."""
    url = api_base or env.get("ENDPOINT_URL", "")
    if not url:
        raise MappingError("no target: set ENDPOINT_URL (or the model's api_base) to the endpoint under test")
    served = env.get("MODEL") or env.get("MODEL_ID") or model
    params = optional_params or {}
    template = _json_env(env, "TEMPLATE", None, dict)
    headers = {"Content-Type": env.get("CONTENT_TYPE", "application/json")}
    headers.update({str(k): str(v) for k, v in _json_env(env, "CUSTOM_HEADERS", {}, dict).items()})
    if template is None:
        body = {"model": served, "messages": messages, "stream": stream}
        body.update({k: params[k] for k in _PASSED_PARAMS if k in params})
        if stream:
            body["stream_options"] = {"include_usage": True}
        return url, body, headers
    keys = _json_env(env, "TEMPLATE_KEYS", None, list)
    if not keys:
        raise MappingError("TEMPLATE is set but TEMPLATE_KEYS is not: set the dotted paths to fill, e.g. [\"text_input\"]")
    inputs = [messages_to_prompt(messages)]
    if "model" in keys:
        inputs.insert(0, served)
    body = fill_template(template, keys, inputs)
    if stream:
        body["stream"] = True
    elif "stream" in body:
        body["stream"] = False
    if "max_tokens" in params:
        _set_output_length(body, params["max_tokens"])
    return stream_url(url, stream), body, headers


def read_path(data, path):
    """The value at a dotted path ("[i]" indexes a list), or None."""
    node = data
    for step in _steps(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _text(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(_text(v) for v in value)
    return value if isinstance(value, str) else json.dumps(value)


def extract_text(data, path=None, streamed=False):
    """The reply text of a whole reply, or the content of one streamed event ("" when it has none)."""
    if path:
        return _text(read_path(data, path))
    if not isinstance(data, dict):
        return "" if streamed else _text(data)
    choices = data.get("choices")
    if isinstance(choices, list):
        choice = choices[0] if choices and isinstance(choices[0], dict) else {}
        part = choice.get("delta" if streamed else "message") or {}
        return _text(part.get("content")) or _text(choice.get("text"))
    if "text_output" in data:
        return _text(data["text_output"])
    token = data.get("token")
    if isinstance(token, dict):
        return "" if token.get("special") or token.get("special_token") else _text(token.get("text"))
    if streamed:
        return ""
    outputs = data.get("outputs")
    if isinstance(outputs, list) and outputs and isinstance(outputs[0], dict):
        return _text(outputs[0].get("data"))
    for key in ("generated_text", "output", "text", "completion", "response"):
        if key in data:
            return _text(data[key])
    return json.dumps(data)


def _count(value):
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, int) and value >= 0 else None


def extract_usage(data):
    """{prompt_tokens, completion_tokens} from a reply or event, when the server sent them."""
    if not isinstance(data, dict):
        return None
    usage = data.get("usage")
    if isinstance(usage, dict) and _count(usage.get("completion_tokens")) is not None:
        return {"prompt_tokens": _count(usage.get("prompt_tokens")) or 0, "completion_tokens": usage["completion_tokens"]}
    generated = _count(data.get("num_output_tokens"))
    if generated is not None:
        return {"prompt_tokens": _count(data.get("num_input_tokens")) or 0, "completion_tokens": generated}
    details = data.get("details")
    if isinstance(details, dict) and _count(details.get("generated_tokens")) is not None:
        return {"prompt_tokens": 0, "completion_tokens": details["generated_tokens"]}
    return None


def finish_reason(data):
    """The event's finish reason when it ends the reply, else None."""
    if not isinstance(data, dict):
        return None
    choices = data.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return choices[0].get("finish_reason")
    if isinstance(data.get("generated_text"), str):
        details = data.get("details")
        return (details.get("finish_reason") if isinstance(details, dict) else None) or "stop"
    return None


def parse_stream_line(line):
    """One line of an SSE or JSON-lines stream: ("event", data), ("done", None) or ("skip", None)."""
    text = line.strip()
    if not text or text.startswith(":") or text.startswith("event:") or text.startswith("id:"):
        return "skip", None
    if text.startswith("data:"):
        text = text[5:].strip()
    if text == "[DONE]":
        return "done", None
    try:
        return "event", json.loads(text)
    except json.JSONDecodeError:
        return "skip", None
