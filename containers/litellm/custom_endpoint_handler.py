"""LiteLLM custom provider that forwards OpenAI chat requests to the endpoint under test.

ENDPOINT_URL (or the model's api_base) is an OpenAI-compatible /v1/chat/completions URL; MODEL is the
model id sent there (default: the served id from MODEL_ID). Replies and streams pass through as
LiteLLM ModelResponse objects, so the proxy adds its own overhead only.
"""
import json
import os

import httpx
import litellm
from litellm import CustomLLM
from litellm.types.utils import GenericStreamingChunk, ModelResponse


def _target(api_base):
    url = api_base or os.environ.get("ENDPOINT_URL", "")
    if not url:
        raise litellm.exceptions.BadRequestError("set ENDPOINT_URL", model="custom-model", llm_provider="custom-endpoint")
    return url


def _body(model, messages, optional_params, stream):
    body = {"model": os.environ.get("MODEL", os.environ.get("MODEL_ID", model)), "messages": messages, "stream": stream}
    for key in ("max_tokens", "temperature", "top_p", "top_k", "stop", "seed"):
        if key in optional_params:
            body[key] = optional_params[key]
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


def _response(data, model_response):
    return ModelResponse(**data) if isinstance(data, dict) else model_response


def _chunk(event):
    choice = (event.get("choices") or [{}])[0]
    delta = choice.get("delta") or {}
    usage = event.get("usage")
    return GenericStreamingChunk(
        text=delta.get("content") or "",
        is_finished=choice.get("finish_reason") is not None,
        finish_reason=choice.get("finish_reason") or "",
        index=choice.get("index", 0),
        tool_use=None,
        usage={"prompt_tokens": usage["prompt_tokens"], "completion_tokens": usage["completion_tokens"],
               "total_tokens": usage["total_tokens"]} if usage else None,
    )


class CustomEndpointLLM(CustomLLM):
    def completion(self, model, messages, api_base, model_response, optional_params, timeout=600, **kwargs):
        reply = httpx.post(_target(api_base), json=_body(model, messages, optional_params, False), timeout=timeout)
        reply.raise_for_status()
        return _response(reply.json(), model_response)

    async def acompletion(self, model, messages, api_base, model_response, optional_params, timeout=600, **kwargs):
        async with httpx.AsyncClient(timeout=timeout) as client:
            reply = await client.post(_target(api_base), json=_body(model, messages, optional_params, False))
            reply.raise_for_status()
            return _response(reply.json(), model_response)

    async def astreaming(self, model, messages, api_base, model_response, optional_params, timeout=600, **kwargs):
        async with httpx.AsyncClient(timeout=timeout) as client:
            async with client.stream("POST", _target(api_base), json=_body(model, messages, optional_params, True)) as reply:
                reply.raise_for_status()
                async for line in reply.aiter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    yield _chunk(json.loads(data))


custom_endpoint_llm = CustomEndpointLLM()
